/**
 * The consumer after #30273 (spec §3.2): subscribe once, apply events in seq order, and fall
 * back to `process/read{afterSeq: cursor}` on lag, on a seq gap and on a legacy Exited without
 * `sandboxDenied`. Closed is accepted directly only when it is the next seq, so completion is
 * authoritative: every lower seq (output, exit, denial) was applied first. Upstream does not
 * check where a fallback read starts (F15); `strict` does.
 */
import type { Clock, Log } from '../../../sim/ports/index.ts';
import type { Session } from '../client/session.ts';
import type { ExecProcessEvent } from '../eventLog/events.ts';
import { fromBase64, type ReadResult } from '../protocol/wire.ts';
import type { ConsumerPolicy } from '../policy.ts';
import { ProcessState, type ConsumerKnobs, type ConsumerReport } from './report.ts';

export async function pushedConsumer(
  clock: Clock,
  log: Log,
  session: Session,
  policy: ConsumerPolicy,
  knobs: ConsumerKnobs,
  report: ConsumerReport,
): Promise<void> {
  const state = new ProcessState();
  const finish = () => report.result(state.outcome(policy.strict));
  const rx = session.subscribeEvents();
  let lastSeq = 0;
  let exitApplied = false;
  if (policy.readFailureOnSubscribe && session.events.failure !== undefined) {
    log('consumer.fallback-read', { reason: 'failed-before-subscribe', afterSeq: lastSeq });
    state.failure = (await session.read(lastSeq, null, 0)).failure ?? session.events.failure;
    return finish();
  }
  for (;;) {
    await knobs.hold(clock, knobs.stalledUntil(clock.now()), 'consumer-stall');
    const got = await rx.recv();
    let e: ExecProcessEvent | undefined;
    if (got.kind === 'lagged') {
      log('consumer.lagged', { skipped: got.skipped, handling: policy.onLagged });
      if (policy.onLagged === 'skip') continue;
      if (policy.onLagged === 'close') return finish();
    } else if (got.kind === 'closed') {
      state.failure = 'exec-server process event stream closed';
      return finish();
    } else e = got.value;

    const legacyExit = e?.type === 'exited' && e.sandboxDenied === null && policy.unknownDenial === 'read';
    const gap = e !== undefined && e.type !== 'failed' && policy.gapRead && e.seq > lastSeq + 1;
    // strict: never complete without the exit status; a Closed ahead of any Exited (an executor
    // breaking "closed is the largest seq") is checked against a read first
    const closedFirst = policy.strict && e?.type === 'closed' && !exitApplied && !gap;
    if (e === undefined || gap || legacyExit || closedFirst) {
      const reason = e === undefined ? 'lagged' : gap ? 'gap' : legacyExit ? 'legacy-exit' : 'closed-before-exit';
      log('consumer.fallback-read', { reason, afterSeq: lastSeq });
      let r: ReadResult;
      try {
        r = await session.read(lastSeq, null, 0);
      } catch (err) {
        state.failure = err instanceof Error ? err.message : String(err);
        return finish();
      }
      if (policy.strict) {
        const hole = holeIn(r, lastSeq, exitApplied);
        if (hole) {
          const message = `unrecoverable sequence gap: output seqs after ${lastSeq} through ${hole.through} are no longer retained`;
          report.gap(lastSeq, hole.through, message);
          state.failure = message;
          return finish();
        }
      }
      for (const c of r.chunks) if (c.seq > lastSeq) report.output(c.seq, c.stream, fromBase64(c.chunk));
      lastSeq = Math.max(lastSeq, r.nextSeq - 1);
      if (r.failure !== null) {
        state.failure = r.failure;
        return finish();
      }
      if (r.exited || r.sandboxDenied) {
        state.sandboxDenied ||= r.sandboxDenied ?? false;
        if (r.exited) {
          state.exitCode = r.exitCode;
          exitApplied = true;
        }
      }
      if (r.closed) return finish();
      continue; // the read covered the triggering event
    }

    if (e.type !== 'failed' && policy.dedupe && e.seq <= lastSeq) continue;
    switch (e.type) {
      case 'output':
        report.output(e.seq, e.stream, e.chunk);
        lastSeq = e.seq;
        break;
      case 'exited':
        lastSeq = e.seq;
        state.sandboxDenied ||= e.sandboxDenied ?? false;
        state.exitCode = e.exitCode;
        exitApplied = true;
        break; // Exited does not complete: output may follow it
      case 'closed':
        return finish();
      case 'failed':
        state.failure = e.message;
        return finish();
    }
  }
}

/**
 * The strict check of a fallback read: every seq in (lastSeq, nextSeq - 1] must be a returned
 * chunk, the exit (if not yet applied) or the close. Returns the last seq of a hole, if any.
 */
function holeIn(r: ReadResult, lastSeq: number, exitApplied: boolean): { through: number } | undefined {
  const top = r.nextSeq - 1;
  if (top <= lastSeq || r.failure !== null) return undefined;
  let returned = 0;
  let firstSeq = Infinity;
  for (const c of r.chunks) {
    if (c.seq <= lastSeq) continue;
    returned++;
    firstSeq = Math.min(firstSeq, c.seq);
  }
  const nonOutput = (r.exited && !exitApplied ? 1 : 0) + (r.closed ? 1 : 0);
  if (top - lastSeq <= returned + nonOutput) return undefined;
  return { through: Math.min(firstSeq === Infinity ? top : firstSeq - 1, top) };
}
