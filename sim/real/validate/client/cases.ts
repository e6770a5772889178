/**
 * The case matrix of `validate --client`: each case is an attach-pump workload (a scripted
 * command: output and ending known in advance) with its faults twice, in the real proxy's kernel
 * vocabulary (`client->executor#n`, applied by sim/real/faultProxy.ts) and in the attach-pump
 * target's (`client->runner#n`, for the simulator's run of the same case and for the checkers).
 * Workload times are virtual ms after the exec starts; a real fault's `at` counts from the first
 * attach (in the simulator the attach follows the exec within milliseconds).
 */
import type { AttachWorkload } from '../../../../reference-impl/attach-pump/target/workload.ts';
import type { Fault } from '../../../faults/fault.ts';

export interface ClientCase {
  name: string;
  summary: string;
  workload: AttachWorkload;
  real: Fault[];
  sim: Fault[];
  /** When the real faults' `at` starts counting: the first attach (default) or the exec (a refused first upgrade never attaches). */
  faultsFrom?: 'attach' | 'exec';
}

/** `part1` at once, `part2` 30 s later, exit 0 at 35 s: a reconnect 15 s after a cut comes well before part2. */
const twoParts: AttachWorkload = {
  command: 'two-parts',
  steps: [
    { atMs: 0, stream: 'stdout', text: 'part1\n' },
    { atMs: 30_000, stream: 'stdout', text: 'part2\n' },
  ],
  exit: { atMs: 35_000, code: 0 },
};

const echoHello: AttachWorkload = { command: 'echo hello', steps: [{ atMs: 0, stream: 'stdout', text: 'hello\n' }], exit: { atMs: 5, code: 0 } };

export const CLIENT_CASES: ClientCase[] = [
  { name: 'clean', summary: 'no fault: two writes 30 s apart, exit 0', workload: twoParts, real: [], sim: [] },
  {
    name: 'cut-before-first-frame',
    summary: 'a fast command; the attach is cut before its first frame, the probe answers completed/0 (#627)',
    workload: echoHello,
    // the kernel's cut counts at least one frame, so: hold every frame back, then cut
    real: [
      { at: 0, kind: 'lag', target: 'client->executor#1', durationMs: 60_000, extraMs: 10_000 },
      { at: 5_000, kind: 'cut', target: 'client->executor#1' },
    ],
    sim: [{ at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 0 }],
  },
  {
    name: 'cut-after-1-running',
    summary: 'the attach is cut after one frame while the command runs; the runner replays its backlog from the head',
    workload: twoParts,
    real: [{ at: 0, kind: 'cut', target: 'client->executor#1', afterFrames: 1, dir: 's2c' }],
    sim: [{ at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 1 }],
  },
  {
    name: 'upgrade-502',
    summary: 'a fast command; the first attach upgrade gets 502 from a proxy (#1546), the probe answers completed/0',
    workload: echoHello,
    faultsFrom: 'exec',
    real: [{ at: 0, kind: 'refuse', target: 'client->executor', scope: 'ws', count: 1, status: 502 }],
    sim: [{ at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', count: 1, status: 502 }],
  },
  {
    name: 'silent-start',
    summary: "no fault; the command is silent for 30 s, past the client's 10 s first-frame timeout (the runner first pings at 15 s)",
    workload: {
      command: 'sleep 30; echo late',
      steps: [{ atMs: 30_000, stream: 'stdout', text: 'late\n' }],
      exit: { atMs: 32_000, code: 0 },
    },
    real: [],
    sim: [],
  },
  {
    name: 'black-hole',
    summary: 'the attach socket goes silent 5 s in, both ways (no frames, no pings, no pongs, no close)',
    workload: twoParts,
    real: [{ at: 5_000, kind: 'half-open', target: 'client->executor#1' }],
    sim: [{ at: 5_000, kind: 'half-open', target: 'client->runner#1' }],
  },
];
