/**
 * `recover_events` (client_recovery.rs, #28512, spec §2): after a resume, merge one
 * `process/read{afterSeq: last published}` into a session. Chunks go into the pending map; an
 * exit the response reports but no event carried fills the one remaining hole (with the
 * response's denial state, #30273); Closed takes `nextSeq - 1`. Any other hole means output is
 * no longer retained: an error (the caller terminates the process and fails the session).
 */
import { fromBase64, type ReadResult } from '../protocol/wire.ts';
import type { OrderedSessionEvents } from './orderedEvents.ts';

/** Returns an error message, or undefined when the merge succeeded. */
export function recoverEvents(events: OrderedSessionEvents, r: ReadResult): string | undefined {
  const last = events.lastPublishedSeq;
  const target = r.nextSeq - 1;
  if (target <= last || events.closedPublished || events.failure !== undefined) return undefined;
  for (const c of r.chunks) {
    if (c.seq > last) events.insert({ type: 'output', seq: c.seq, stream: c.stream, chunk: fromBase64(c.chunk) });
  }
  const denied = r.sandboxDenied ?? false;
  // An Exited already pending gets its denial OR-merged with the response's.
  for (const [seq, e] of events.pending) {
    if (e.type === 'exited') events.pending.set(seq, { ...e, sandboxDenied: (e.sandboxDenied ?? false) || denied });
  }
  const holes = (upTo: number) => {
    const out: number[] = [];
    for (let s = last + 1; s <= upTo; s++) if (!events.pending.has(s)) out.push(s);
    return out;
  };
  if (r.closed) {
    const at = events.pending.get(target);
    if (at && at.type !== 'closed') return `seq ${target} is not Closed`;
    if (!at) events.insert({ type: 'closed', seq: target });
  }
  const exitPending = [...events.pending.values()].some((e) => e.type === 'exited');
  let missing = holes(target);
  if (r.exited && !events.exitPublished && !exitPending && missing.length === 1 && r.exitCode !== null) {
    events.insert({ type: 'exited', seq: missing[0] as number, exitCode: r.exitCode, sandboxDenied: denied });
    missing = [];
  }
  if (missing.length > 0) return `process events are no longer retained while recovering through sequence ${target}`;
  events.drain();
  return undefined;
}
