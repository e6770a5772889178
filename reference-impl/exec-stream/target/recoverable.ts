/**
 * When is a run recoverable? When no fault exceeded what the protocol promises to survive. Then
 * every property must hold. Otherwise the consumer may end in an explicit failure, but it must
 * still never splice output silently, report a clean success with output missing, or lie about
 * the exit. Each rule is checked against the fault schedule and what the server (the daemon)
 * really did (the world's process record), never against the consumer under test, and never
 * against what the server decided by its own timers: every bound is the spec's (spec.ts). A run is NOT recoverable when:
 *
 * 0. a cut before the start completed: a transport cut before the server answered
 *    process/start, or within the answer's round trip (2 x (latency bound + the largest lag)): there is
 *    no process to resume, and upstream fails an in-flight start rather than retrying it.
 * 1. detach beyond the recovery window: transport cuts whose refused-reconnect windows, merged,
 *    last 23 s or more (the client gives up at 25 s; 2 s covers the reconnect and initialize
 *    round trips, lag included). The server's 30 s TTL is longer, so it never decides alone. A
 *    client without a deadline (codex 0.169, v1-pushed) may still resume there: legal (spec.ts).
 *    A lag that holds messages 23 s or more (or as long as the world's connect timeout, which a
 *    connect it holds cannot outlast) is a detach by another name: nothing arrives for that long.
 * 2. retention overrun: the process wrote more than the spec lets a server retain (1 MiB / 50,000
 *    chunks upstream, or the `retention-size` cap): those bytes cannot be read again. Judged from
 *    what the process really wrote (the world's record), so a server that evicts too early is
 *    not excused by its own eviction.
 * 3. retention expiry: the consumer reported its outcome (or the run ended) more than the spec's
 *    30 s after the process really closed, so a spec-abiding server may have forgotten it. A
 *    session expiry is never an excuse by itself (issue 12): a spec-abiding server expires a
 *    session only after 30 s detached, which rule 1 already covers from the fault schedule.
 * 4. the exit watcher was lost: an `exit-watcher-lost` fault fired while the process ran.
 * 5. a `process/read` failed on purpose (`read-error`): the executor broke its own contract.
 * 6. reordering beyond the client's pending cap (#31576): a notification was overtaken by at
 *    least `eventCapacity` later ones (one the network lost, dropped while detached or sent in
 *    the instant of a cut, counts every later one), which the client must refuse.
 * 7. a legacy server with the old nextSeq rule together with a transport cut: the resume merge
 *    needs `nextSeq` to cover the exit and close.
 */
import { isFault, LAG, type Fault } from '../../../sim/index.ts';
import { TRANSPORT_CUT } from './faultKinds.ts';
import type { ServerLedger } from '../server/ledger.ts';
import {
  SPEC_DETACH_LIMIT_MS,
  SPEC_EXITED_PROCESS_RETENTION_MS,
  SPEC_RETAINED_BYTES_MAX,
  SPEC_RETAINED_CHUNKS_MAX,
} from './spec.ts';

export const DETACH_LIMIT_MS = SPEC_DETACH_LIMIT_MS;

/** What the process really did, from the world's process table. */
export interface ProcessFacts {
  /** When it exited and when its pipes closed (undefined: not yet). */
  exitAt: number | undefined;
  closedAt: number | undefined;
  /** Bytes and writes it produced. */
  outputBytes: number;
  outputWrites: number;
}

export interface RecoverabilityInput {
  faults: readonly Fault[];
  ledger: ServerLedger;
  process: ProcessFacts;
  processId: string;
  /** When the run ended. */
  runEndedAt: number;
  /** Per ledger notification of the process, in order: the network lost it (wireFate.ts); default: the ledger's `dropped`. */
  lost?: readonly boolean[];
  /** When the consumer reported its terminal outcome (undefined: never). */
  resultAt: number | undefined;
  eventCapacity: number;
  /** The network's one-way latency bound (ms), for the start round trip. */
  latencyMsMax: number;
  /** The world's connect timeout (ms): a lag this long makes a connect it holds time out. */
  connectTimeoutMs?: number;
}

export function unrecoverableBecause(i: RecoverabilityInput): string[] {
  const why: string[] = [];
  const end = i.resultAt ?? Infinity;
  const started = i.ledger.starts.find((s) => s.processId === i.processId)?.t;
  const lags = i.faults.filter((f) => isFault(LAG, f));
  const lagMax = Math.max(0, ...lags.map((f) => f.extraMs));
  const startSettled = started === undefined ? Infinity : started + 2 * (i.latencyMsMax + lagMax);
  const earlyCut = i.faults.find((f) => f.kind === 'transport-cut' && f.at <= startSettled);
  if (earlyCut) why.push(`the transport was cut at t=${earlyCut.at}, before process/start completed: nothing to resume`);
  for (const w of detachWindows(i.faults)) {
    if (w.end - w.start >= SPEC_DETACH_LIMIT_MS)
      why.push(`detached ${w.end - w.start} ms from t=${w.start} (reconnects refused), beyond the 25 s recovery window`);
  }
  const lagLimit = Math.min(SPEC_DETACH_LIMIT_MS, i.connectTimeoutMs ?? Infinity);
  const longLag = lags.find((f) => f.extraMs >= lagLimit);
  if (longLag)
    why.push(`a lag held messages ${longLag.extraMs} ms from t=${longLag.at}, as long as a detach beyond the recovery window`);
  const overrun = retentionOverrun(i.faults, i.process);
  if (overrun) why.push(`retention overrun: ${overrun}`);
  const finished = i.resultAt ?? i.runEndedAt;
  const { exitAt, closedAt } = i.process;
  if (exitAt !== undefined && closedAt !== undefined) {
    const closed = Math.max(exitAt, closedAt);
    if (finished > closed + SPEC_EXITED_PROCESS_RETENTION_MS)
      why.push(`retention expiry: the process closed at t=${closed}, more than 30 s before the consumer finished`);
  }
  const lost = i.faults.find((f) => f.kind === 'exit-watcher-lost' && f.at <= end && (exitAt === undefined || f.at <= exitAt));
  if (lost) why.push(`the exit watcher was lost at t=${lost.at}: exit code -1`);
  const readErrors = i.ledger.readErrors.filter((r) => r.processId === i.processId).length;
  if (readErrors > 0) why.push(`${readErrors} process/read request(s) failed on purpose`);
  const overtaken = maxOvertaken(i.ledger, i.processId, i.lost);
  if (overtaken.by >= i.eventCapacity)
    why.push(`notification seq ${overtaken.seq} was overtaken by ${overtaken.by} later ones (pending cap ${i.eventCapacity})`);
  if (i.faults.some((f) => f.kind === 'legacy-server' && f.oldNextSeq === true) && i.faults.some((f) => f.kind === 'transport-cut')) {
    why.push('a legacy server with the old nextSeq rule cannot be resumed from');
  }
  return why;
}

/** Whether the process wrote more than a spec-abiding server retains (the caps in force at the end). */
function retentionOverrun(faults: readonly Fault[], p: ProcessFacts): string | undefined {
  let bytesMax = SPEC_RETAINED_BYTES_MAX;
  let chunksMax = SPEC_RETAINED_CHUNKS_MAX;
  for (const f of faults) {
    if (f.kind !== 'retention-size') continue;
    bytesMax = Math.min(bytesMax, f.bytes as number);
    chunksMax = Math.min(chunksMax, f.chunks as number);
  }
  // Writes bound the server's chunks from above (a pipe read may join writes, never split one).
  if (p.outputBytes > bytesMax) return `the process wrote ${p.outputBytes} bytes, over the ${bytesMax}-byte retention cap`;
  if (p.outputWrites > chunksMax) return `the process made ${p.outputWrites} writes, over the ${chunksMax}-chunk retention cap`;
  return undefined;
}

/** Refused-reconnect windows of transport cuts, merged where they overlap or touch. */
export function detachWindows(faults: readonly Fault[]): Array<{ start: number; end: number }> {
  const ws = faults
    .filter((f) => isFault(TRANSPORT_CUT, f))
    .map((f) => ({ start: f.at, end: f.at + f.refuseMs }))
    .sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const w of ws) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

/**
 * The notification overtaken by the most later seqs on the live connection: before it was sent,
 * or, for one dropped while detached (filled by the recovery read), at any time (an upper bound).
 */
function maxOvertaken(ledger: ServerLedger, processId: string, lostFlags?: readonly boolean[]): { seq: number; by: number } {
  const all = ledger.notifications.filter((n) => n.processId === processId);
  const lost = all.map((n, j) => lostFlags?.[j] ?? n.dropped);
  let best = { seq: 0, by: 0 };
  for (let idx = 0; idx < all.length; idx++) {
    const seq = (all[idx] as { seq: number }).seq;
    let by = 0;
    const upTo = lost[idx] ? all.length : idx;
    for (let j = 0; j < upTo; j++) if (!lost[j] && (all[j] as { seq: number }).seq > seq) by++;
    if (by > best.by) best = { seq, by };
  }
  return best;
}
