/**
 * When is a run recoverable? When no fault exceeded what the protocol promises to survive. Then
 * every property must hold. Otherwise the consumer may end in an explicit failure, but it must
 * still never splice output silently, report a clean success with output missing, or lie about
 * the exit. Each rule is checked against the fault schedule and what the server (the daemon)
 * really did, never against the consumer under test. A run is NOT recoverable when:
 *
 * 0. a cut before the start completed: a transport cut before the server answered
 *    process/start, or within the answer's round trip (2 x (latency bound + the largest lag)): there is
 *    no process to resume, and upstream fails an in-flight start rather than retrying it.
 * 1. detach beyond the recovery window: transport cuts whose refused-reconnect windows, merged,
 *    last 23 s or more (the client gives up at 25 s; 2 s covers the reconnect and initialize
 *    round trips, lag included). The server's 30 s TTL is longer, so it never decides alone.
 * 2. retention overrun: the server evicted any retained output of the process (1 MiB / 50,000
 *    chunks upstream, or the `retention-size` cap): those bytes cannot be read again.
 * 3. retention expiry: the server forgot the process (30 s after Closed) or expired its session
 *    before the consumer reported its outcome (a consumer stalled or subscribed that late).
 * 4. the exit watcher was lost: the server reported -1, the real status is gone.
 * 5. a `process/read` failed on purpose (`read-error`): the executor broke its own contract.
 * 6. reordering beyond the client's pending cap (#31576): a notification was overtaken by at
 *    least `eventCapacity` later ones (one dropped while detached counts every later one), which
 *    the client must refuse.
 * 7. a legacy server with the old nextSeq rule together with a transport cut: the resume merge
 *    needs `nextSeq` to cover the exit and close.
 */
import { isFault, LAG, type Fault } from '../../../sim/index.ts';
import { TRANSPORT_CUT } from './faultKinds.ts';
import type { ServerLedger } from '../server/ledger.ts';

export const DETACH_LIMIT_MS = 23_000;

export interface RecoverabilityInput {
  faults: readonly Fault[];
  ledger: ServerLedger;
  processId: string;
  /** When the consumer reported its terminal outcome (undefined: never). */
  resultAt: number | undefined;
  eventCapacity: number;
  /** The network's one-way latency bound (ms), for the start round trip. */
  latencyMsMax: number;
}

export function unrecoverableBecause(i: RecoverabilityInput): string[] {
  const why: string[] = [];
  const end = i.resultAt ?? Infinity;
  const started = i.ledger.starts.find((s) => s.processId === i.processId)?.t;
  const lagMax = Math.max(0, ...i.faults.filter((f) => isFault(LAG, f)).map((f) => f.extraMs));
  const startSettled = started === undefined ? Infinity : started + 2 * (i.latencyMsMax + lagMax);
  const earlyCut = i.faults.find((f) => f.kind === 'transport-cut' && f.at <= startSettled);
  if (earlyCut) why.push(`the transport was cut at t=${earlyCut.at}, before process/start completed: nothing to resume`);
  for (const w of detachWindows(i.faults)) {
    if (w.end - w.start >= DETACH_LIMIT_MS)
      why.push(`detached ${w.end - w.start} ms from t=${w.start} (reconnects refused), beyond the 25 s recovery window`);
  }
  const evicted = i.ledger.evicted.filter((e) => e.processId === i.processId);
  if (evicted.length > 0)
    why.push(`retention overrun: the server evicted ${evicted.length} retained chunk(s), first seq ${evicted[0]?.seq}`);
  for (const f of i.ledger.forgotten) {
    if (f.processId === i.processId && f.t < end)
      why.push(`retention expiry: the server forgot ${f.processId} at t=${f.t}, before the consumer finished`);
  }
  for (const s of i.ledger.expiredSessions) if (s.t < end) why.push(`the detached session expired at t=${s.t}`);
  if (i.ledger.seqs.some((s) => s.processId === i.processId && s.type === 'exited' && s.watcherLost))
    why.push('the exit watcher was lost: exit code -1');
  const readErrors = i.ledger.readErrors.filter((r) => r.processId === i.processId).length;
  if (readErrors > 0) why.push(`${readErrors} process/read request(s) failed on purpose`);
  const overtaken = maxOvertaken(i.ledger, i.processId);
  if (overtaken.by >= i.eventCapacity)
    why.push(`notification seq ${overtaken.seq} was overtaken by ${overtaken.by} later ones (pending cap ${i.eventCapacity})`);
  if (i.faults.some((f) => f.kind === 'legacy-server' && f.oldNextSeq === true) && i.faults.some((f) => f.kind === 'transport-cut')) {
    why.push('a legacy server with the old nextSeq rule cannot be resumed from');
  }
  return why;
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
function maxOvertaken(ledger: ServerLedger, processId: string): { seq: number; by: number } {
  const all = ledger.notifications.filter((n) => n.processId === processId);
  let best = { seq: 0, by: 0 };
  all.forEach((n, idx) => {
    let by = 0;
    const upTo = n.dropped ? all.length : idx;
    for (let j = 0; j < upTo; j++) {
      const m = all[j] as { seq: number; dropped: boolean };
      if (!m.dropped && m.seq > n.seq) by++;
    }
    if (by > best.by) best = { seq: n.seq, by };
  });
  return best;
}
