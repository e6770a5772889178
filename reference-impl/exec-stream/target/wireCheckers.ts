/**
 * Conformance checks on the frames themselves: whatever a client does, the executor's numbering
 * must follow spec §1.5 and §1.6 (issue 12: the client's dedupe and reordering must not mask a
 * server bug). Pure functions of the recorded frames of one process: a real run keeps every frame
 * whole, a simulated run the wire record in its history (`wireFramesOf`).
 *   `seq-discipline`: a seq names one event; Exited before Closed; Closed is the largest seq.
 *   `next-seq`: a read's chunks follow `afterSeq` in order; with `maxBytes` and chunks, nextSeq is
 *   the last returned seq + 1; otherwise one past the last seq assigned (once closed, nothing more
 *   is assigned: one past the largest seq ever seen, Closed's; if the process exited and closed
 *   unseen, while the client was away, past the Closed seq the wire never named, and past the
 *   Exited one too unless a seq below the largest seen is unnamed: output may follow Exited).
 */
import { fail, notApplicable, pass, type Checker, type Evidence } from '../../../sim/check/index.ts';
import type { TraceEvent } from '../../../sim/trace.ts';
import { SPEC_METHOD as METHOD } from './spec.ts';

export interface Frame {
  t: number;
  dir: 'in' | 'out';
  message: Record<string, unknown> | undefined;
}

/**
 * The trace kinds of a simulated run's wire record (target/wireTap.ts writes them, as the client's
 * host): each event's data is one message as the client sent (`out`) or received (`in`) it,
 * reduced to the fields below read.
 */
export const WIRE_RECORD = { in: 'wire.in', out: 'wire.out' } as const;

/** The frames of the wire record in a run's history, in the order they crossed the wire. */
export function wireFramesOf(history: readonly TraceEvent[], host: string): Frame[] {
  const frames: Frame[] = [];
  for (const e of history) {
    if (e.actor !== host) continue;
    if (e.kind === WIRE_RECORD.in) frames.push({ t: e.t, dir: 'in', message: e.data });
    else if (e.kind === WIRE_RECORD.out) frames.push({ t: e.t, dir: 'out', message: e.data });
  }
  return frames;
}

interface SeqEvent {
  t: number;
  seq: number;
  what: string;
  via: string;
}

interface ReadExchange {
  t: number;
  afterSeq: number;
  maxBytes: number | null;
  result: { chunks: Array<{ seq: number; stream: string; chunk: string }>; nextSeq: number; closed: boolean; exited: boolean };
}

function params(m: Record<string, unknown>): Record<string, unknown> {
  return (m.params ?? {}) as Record<string, unknown>;
}

// seq-discipline and next-seq judge the same frames of a run one after the other: one pass for both (issue 17)
let seenFrames: readonly Frame[] | undefined;
let seenLength = 0;
let seenProcessId: string | undefined;
let seen: { events: SeqEvent[]; reads: ReadExchange[] } = { events: [], reads: [] };

/** Every seq the executor assigned, as seen in notifications and read responses, plus the reads (never changed by a reader). */
export function seqEvents(frames: readonly Frame[], processId: string): { events: SeqEvent[]; reads: ReadExchange[] } {
  if (frames !== seenFrames || frames.length !== seenLength || processId !== seenProcessId) {
    seen = seqEventsOf(frames, processId);
    seenFrames = frames;
    seenLength = frames.length;
    seenProcessId = processId;
  }
  return seen;
}

function seqEventsOf(frames: readonly Frame[], processId: string): { events: SeqEvent[]; reads: ReadExchange[] } {
  const events: SeqEvent[] = [];
  const reads: ReadExchange[] = [];
  const pendingReads = new Map<unknown, { afterSeq: number; maxBytes: number | null }>();
  for (const f of frames) {
    const m = f.message;
    if (!m) continue;
    if (f.dir === 'out' && m.method === METHOD.read && params(m).processId === processId) {
      const p = params(m);
      pendingReads.set(m.id, {
        afterSeq: typeof p.afterSeq === 'number' ? p.afterSeq : 0,
        maxBytes: typeof p.maxBytes === 'number' ? p.maxBytes : null,
      });
      continue;
    }
    if (f.dir !== 'in') continue;
    const p = params(m);
    if (p.processId === processId && typeof p.seq === 'number') {
      if (m.method === METHOD.output)
        events.push({ t: f.t, seq: p.seq, what: `output ${String(p.stream)} ${String(p.chunk)}`, via: 'notification' });
      if (m.method === METHOD.exited) events.push({ t: f.t, seq: p.seq, what: 'exited', via: 'notification' });
      if (m.method === METHOD.closed) events.push({ t: f.t, seq: p.seq, what: 'closed', via: 'notification' });
    }
    const req = m.id !== undefined ? pendingReads.get(m.id) : undefined;
    if (req && m.result && typeof m.result === 'object') {
      pendingReads.delete(m.id);
      const r = m.result as ReadExchange['result'];
      reads.push({ t: f.t, ...req, result: r });
      for (const c of r.chunks ?? []) events.push({ t: f.t, seq: c.seq, what: `output ${c.stream} ${c.chunk}`, via: 'read' });
    }
  }
  return { events, reads };
}

const MAX_EVIDENCE = 12;

export function seqDiscipline(processId: string): Checker<{ frames: readonly Frame[] }> {
  return ({ frames }) => {
    const { events } = seqEvents(frames, processId);
    if (events.length === 0) return notApplicable('no numbered event was seen');
    const problems: Evidence[] = [];
    const bySeq = new Map<number, SeqEvent>();
    for (const e of events) {
      if (!Number.isInteger(e.seq) || e.seq < 1)
        problems.push({ t: e.t, note: `seq ${e.seq} is not a positive integer (${e.what.split(' ')[0]})` });
      const prior = bySeq.get(e.seq);
      if (prior && prior.what !== e.what)
        problems.push({
          t: e.t,
          note: `seq ${e.seq} names two events: ${prior.what.split(' ')[0]} (${prior.via}) and ${e.what.split(' ')[0]} (${e.via})`,
        });
      if (!prior) bySeq.set(e.seq, e);
    }
    const closed = events.find((e) => e.what === 'closed');
    const exited = events.find((e) => e.what === 'exited');
    if (closed && exited && exited.seq > closed.seq)
      problems.push({ t: closed.t, note: `Closed (seq ${closed.seq}) comes before Exited (seq ${exited.seq})` });
    if (closed) {
      const later = events.filter((e) => e.seq > closed.seq);
      if (later.length > 0)
        problems.push({
          t: closed.t,
          note: `Closed (seq ${closed.seq}) is not the largest seq: ${later
            .map((e) => `${e.what.split(' ')[0]} ${e.seq}`)
            .slice(0, 4)
            .join(', ')}`,
        });
    }
    if (problems.length === 0) return pass(`${bySeq.size} seqs, each naming one event; Exited before Closed; Closed last`);
    const unique = [...new Map(problems.map((p) => [p.note, p])).values()];
    return fail(
      unique
        .map((p) => p.note)
        .slice(0, 3)
        .join('; '),
      unique.slice(0, MAX_EVIDENCE),
    );
  };
}

export function nextSeqRule(processId: string): Checker<{ frames: readonly Frame[] }> {
  return ({ frames }) => {
    const { events, reads } = seqEvents(frames, processId);
    if (reads.length === 0) return notApplicable('no process/read was made');
    const maxSeq = events.reduce((m, e) => Math.max(m, e.seq), 0);
    const closedSeen = events.some((e) => e.what === 'closed');
    const exitedSeen = events.some((e) => e.what === 'exited');
    // seqs in 1..maxSeq the wire never named: room for an unseen Exited, or evicted output
    const named = new Set(events.map((e) => e.seq).filter((q) => Number.isInteger(q) && q >= 1));
    const unnamedBelow = maxSeq - named.size;
    const problems: Evidence[] = [];
    for (const r of reads) {
      const chunks = r.result.chunks ?? [];
      const seqs = chunks.map((c) => c.seq);
      if (seqs.some((s, i) => s <= r.afterSeq || (i > 0 && s <= (seqs[i - 1] as number)))) {
        problems.push({ t: r.t, note: `read after ${r.afterSeq} returned chunks out of order or not after it: ${seqs.join(', ')}` });
      }
      const last = seqs.at(-1);
      if (r.maxBytes !== null && last !== undefined) {
        if (r.result.nextSeq !== last + 1)
          problems.push({
            t: r.t,
            note: `read with maxBytes ${r.maxBytes}: nextSeq ${r.result.nextSeq}, expected the last returned seq + 1 = ${last + 1}`,
          });
      } else {
        if (last !== undefined && r.result.nextSeq <= last)
          problems.push({ t: r.t, note: `nextSeq ${r.result.nextSeq} is not past the returned seq ${last}` });
        if (r.result.closed && closedSeen && r.result.nextSeq !== maxSeq + 1) {
          problems.push({
            t: r.t,
            note: `read of a closed process: nextSeq ${r.result.nextSeq}, expected one past the last seq assigned (${maxSeq}) = ${maxSeq + 1}`,
          });
        }
        // The process exited and closed while the client was away: a read carries those two as
        // flags, not as seqs, so the wire never named them. Closed is the largest seq, so it came
        // after every seq the wire named; Exited may come before trailing output (§1.5), so it is
        // past them only when no seq below the largest is left unnamed for it. nextSeq is past
        // them (at least; unseen output may come before them).
        const exitedAbove = !exitedSeen && r.result.exited && unnamedBelow === 0;
        const unseen = (closedSeen ? 0 : 1) + (exitedAbove ? 1 : 0);
        if (r.result.closed && !closedSeen && r.result.nextSeq < maxSeq + 1 + unseen) {
          problems.push({
            t: r.t,
            note: `read of a closed process: nextSeq ${r.result.nextSeq}, expected at least ${maxSeq + 1 + unseen}: past the largest seq seen (${maxSeq}) and the ${unseen === 2 ? 'Exited and Closed events' : 'Closed event'} assigned after it`,
          });
        }
      }
    }
    if (problems.length === 0) return pass(`${reads.length} reads, each nextSeq by the rules`);
    return fail(
      problems
        .map((p) => p.note)
        .slice(0, 3)
        .join('; '),
      problems.slice(0, MAX_EVIDENCE),
    );
  };
}
