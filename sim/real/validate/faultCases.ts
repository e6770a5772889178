/**
 * The faults a validation applies through the proxy, with the workloads each makes sense for.
 * The faults are the kernel's own (kind, target, parameters), applied by the proxy; each case
 * says whether the protocol promises to survive it (cut and resume within the session TTL: yes; beyond the client's 25 s window:
 * no, an explicit failure is then the right answer).
 */
import type { Fault } from '../../faults/fault.ts';

export interface FaultCase {
  name: string;
  summary: string;
  /** Workload names it is applied to ('*': all). */
  workloads: readonly string[] | '*';
  recoverable: boolean;
  /** How long the fault can hold the run up (ms), for the deadline. */
  costMs: number;
  /**
   * The proxy faults, `at` relative to the command's first output (its first output or exit
   * notification: runCase.ts), not to the start of the run; `jitterMs` varies them by seed.
   */
  faults(jitterMs: number): Fault[];
}

export const FAULT_CASES: FaultCase[] = [
  { name: 'none', summary: 'no fault: the baseline', workloads: '*', recoverable: true, costMs: 0, faults: () => [] },
  {
    name: 'cut-resume',
    summary: 'the connection is cut mid-output; the client resumes the session within the TTL',
    workloads: ['trickle', 'interleaved', 'large'],
    recoverable: true,
    costMs: 2_000,
    faults: (j) => [{ at: 250 + j, kind: 'cut', target: '*' }],
  },
  {
    name: 'cut-during-burst',
    summary: 'the connection is cut after a few output frames of a burst',
    workloads: ['large'],
    recoverable: true,
    costMs: 2_000,
    faults: (j) => [{ at: 0, kind: 'cut', target: '*', afterFrames: 4 + (j % 3), dir: 's2c' }],
  },
  {
    name: 'lag',
    summary: 'frames are held 400 ms longer for 2 s',
    workloads: ['trickle', 'interleaved'],
    recoverable: true,
    costMs: 3_000,
    faults: (j) => [{ at: 50 + j, kind: 'lag', target: '*', durationMs: 2_000, extraMs: 400 }],
  },
  {
    name: 'refused-reconnects',
    summary: 'the connection is cut and the next 5 reconnects get 502',
    workloads: ['trickle'],
    recoverable: true,
    costMs: 3_000,
    faults: (j) => [
      { at: 200 + j, kind: 'refuse', target: '*', scope: 'ws', count: 5, status: 502 },
      { at: 250 + j, kind: 'cut', target: '*' },
    ],
  },
  {
    name: 'cut-beyond-ttl',
    summary: 'the connection is cut and every reconnect refused for 27 s: past the 25 s recovery window',
    workloads: ['trickle'],
    recoverable: false,
    costMs: 30_000,
    faults: (j) => [
      { at: 200 + j, kind: 'refuse', target: '*', scope: 'ws', count: 1_000_000, status: 503 },
      { at: 250 + j, kind: 'cut', target: '*' },
    ],
  },
];
