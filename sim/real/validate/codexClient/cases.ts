/**
 * The cases of `validate --client codex`: each is an exec-stream workload (a scripted command
 * writing the self-locating tape in whole 8-byte records, so its output and ending are known)
 * with faults in the exec-stream target's own vocabulary (reference-impl/exec-stream/target/
 * faultKinds.ts). The same scenario runs in the simulator; for the real run, the server-side kinds
 * (`legacy-server`, `retention-size`, `exit-watcher-lost`, `notification-reorder`, `read-error`)
 * are applied to the reference exec-server by the target's own fault kinds, and the transport
 * kinds (`transport-cut`, `lag`) by the fault proxy. Times are ms after process/start; codex
 * runs on real time (libfaketime does not reach its static binary), so they are real ms.
 */
import type { Fault } from '../../../faults/fault.ts';
import type { ChunkSpec, ExecWorkload } from '../../../../reference-impl/exec-stream/target/workload.ts';

export interface ConsumerCase {
  name: string;
  summary: string;
  workload: ExecWorkload;
  faults: Fault[];
  /** The field report or spec rule it reproduces. */
  source: string;
  /**
   * Real only, outside the simulator's fault model: the server never sends the notification of
   * this seq although the connection stays up (a frame lost on a live WebSocket). The model's
   * column is then not applicable.
   */
  dropNotificationSeq?: number;
}

const BASE: Omit<ExecWorkload, 'chunks'> = {
  exitAfterMs: 50,
  end: { code: 0 },
  sandboxed: false,
  denied: false,
  childHoldsPipesMs: 0,
  pipeJitterMsMax: 0,
  sendJitterMsMax: 0,
  eventCapacity: 256,
  eventBytes: 1024 * 1024,
};

/** `n` writes of `records` tape records each, `gapMs` apart; every third on stderr. */
function trickle(n: number, gapMs: number, records = 2): ChunkSpec[] {
  return Array.from({ length: n }, (_, i) => ({ gapMs: i === 0 ? 0 : gapMs, stream: i % 3 === 2 ? 'stderr' : 'stdout', bytes: 8 * records }));
}

const w = (chunks: ChunkSpec[], more: Partial<ExecWorkload> = {}): ExecWorkload => ({ ...BASE, chunks, ...more });

/** 8 writes over 1.4 s: a cut at 500 ms lands mid-output. */
const SLOW = trickle(8, 200);

export const CONSUMER_CASES: ConsumerCase[] = [
  { name: 'clean', summary: 'no fault: 4 writes 100 ms apart, exit 0', source: 'baseline', workload: w(trickle(4, 100)), faults: [] },
  {
    name: 'exit-code',
    summary: 'no fault: 3 writes, exit 3',
    source: 'baseline',
    workload: w(trickle(3, 50), { end: { code: 3 } }),
    faults: [],
  },
  {
    name: 'cut-resume',
    summary: 'the WebSocket is cut at 500 ms mid-output; the first reconnect succeeds (resume within the TTL)',
    source: 'F11, #28288/#28512',
    workload: w(SLOW),
    faults: [{ at: 500, kind: 'transport-cut', refuseMs: 0 }],
  },
  {
    name: 'refused-reconnects',
    summary: 'the WebSocket is cut at 500 ms and reconnects are refused for 3 s',
    source: 'F11',
    workload: w(SLOW),
    faults: [{ at: 500, kind: 'transport-cut', refuseMs: 3_000 }],
  },
  {
    name: 'cut-beyond-ttl',
    summary: "the WebSocket is cut at 500 ms and reconnects are refused for 30 s: past the server's 30 s session TTL (the resume is refused: unknown session id)",
    source: 'F13',
    workload: w(SLOW),
    faults: [{ at: 500, kind: 'transport-cut', refuseMs: 30_000 }],
  },
  {
    name: 'cut-27s',
    summary: "the WebSocket is cut at 500 ms and reconnects are refused for 27 s: past the spec's 25 s recovery window, within the 30 s session TTL (codex 0.169 has no client deadline and resumes)",
    source: 'F11/F13 boundary',
    workload: w(SLOW),
    faults: [{ at: 500, kind: 'transport-cut', refuseMs: 27_000 }],
  },
  {
    name: 'lag',
    summary: 'every frame is held 300 ms longer for 1 s from 300 ms',
    source: 'F3 (network side)',
    workload: w(SLOW),
    faults: [{ at: 300, kind: 'lag', target: 'client->exec-server', durationMs: 1_000, extraMs: 300 }],
  },
  {
    name: 'notification-reorder',
    summary: 'the notification of seq 2 is held 400 ms, so seqs 3.. (and exit, close) overtake it',
    source: 'F5, #18020',
    workload: w(trickle(4, 30)),
    faults: [{ at: 0, kind: 'notification-reorder', seq: 2, holdMs: 400 }],
  },
  {
    name: 'pipes-held',
    summary: 'a grandchild holds the pipes 1.5 s after the exit: Closed comes 1.5 s after Exited',
    source: 'F9, I4',
    workload: w(trickle(3, 50), { childHoldsPipesMs: 1_500 }),
    faults: [],
  },
  {
    name: 'sandbox-denied',
    summary: 'no fault: a sandboxed command is denied (denial line on stderr, exit 1); the server says sandboxDenied',
    source: '#29424, #30273',
    workload: w(trickle(3, 50), { sandboxed: true, denied: true, end: { code: 1 } }),
    faults: [],
  },
  {
    name: 'sandboxed-exit',
    summary: 'no fault: a sandboxed command fails without a denial (exit 1, no denial line); the server says sandboxDenied false',
    source: '#29424, #30273 (the control of sandbox-denied)',
    workload: w(trickle(3, 50), { sandboxed: true, denied: false, end: { code: 1 } }),
    faults: [],
  },
  {
    name: 'legacy-server',
    summary: 'the same denial from a pre-#30273 server: process/exited without sandboxDenied (only a read tells)',
    source: 'F6, #29424',
    workload: w(trickle(3, 50), { sandboxed: true, denied: true, end: { code: 1 } }),
    faults: [{ at: 0, kind: 'legacy-server' }],
  },
  {
    name: 'read-error',
    summary: 'a legacy server (its exit forces a read) whose first process/read fails with -32603',
    source: 'F6 + read-error',
    workload: w(trickle(3, 50)),
    faults: [
      { at: 0, kind: 'legacy-server' },
      { at: 0, kind: 'read-error', count: 1 },
    ],
  },
  {
    name: 'retention-size',
    summary: 'the server retains 2 chunks only; a cut at 300 ms with reconnects refused for 1 s: the resume read starts after a hole',
    source: 'F13/F15',
    workload: w(SLOW),
    faults: [
      { at: 0, kind: 'retention-size', bytes: 1024, chunks: 2 },
      { at: 300, kind: 'transport-cut', refuseMs: 1_000 },
    ],
  },
  {
    name: 'exit-watcher-lost',
    summary: "the server's exit watcher is dropped at 100 ms: it reports exit code -1 for an exit 0",
    source: 'F22',
    workload: w(trickle(4, 100)),
    faults: [{ at: 100, kind: 'exit-watcher-lost' }],
  },
  {
    name: 'dropped-notification',
    summary: 'real only: the notification of seq 2 is never sent on a live connection (outside the WebSocket fault model)',
    source: 'issue 15: 0.169 stalled for good through a relay that dropped one notification',
    workload: w(trickle(4, 30)),
    faults: [],
    dropNotificationSeq: 2,
  },
];
