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
  /** Faults on our real runner itself (its `evict`), on the same time base as `real`. */
  runner?: RunnerFault[];
}

/** The attach-pump target's `evict` (kill: DELETE), applied to the real runner's ExecManager. */
export interface RunnerFault {
  at: number;
  kind: 'evict';
  kill?: boolean;
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

/** Cut after the frame carrying part1, while the command runs (the kernel's and the target's vocabulary). */
const CUT_AFTER_1 = {
  real: { at: 0, kind: 'cut', target: 'client->executor#1', afterFrames: 1, dir: 's2c' } as Fault,
  sim: { at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 1 } as Fault,
};

/**
 * The status probe (the next plain HTTP request after the attach) answered by the proxy instead.
 * Real: armed as the first attach is accepted, before any frame (the kernel's cut drops the link
 * right after part1, and the probe follows within milliseconds of real time). Simulator: armed
 * 1 s in, after the first attach (a fault at 0 precedes it) and long before the attach-cut,
 * which fires with the frame after part1 (the runner's ping at 15 s).
 */
function probeRefused(answer: { status: number } | { timeout: true }): { real: Fault[]; sim: Fault[] } {
  return {
    real: [CUT_AFTER_1.real, { at: 0, kind: 'refuse', target: 'client->executor', scope: 'http', count: 1, ...answer }],
    sim: [CUT_AFTER_1.sim, { at: 1_000, kind: 'refuse', target: 'client->runner', scope: 'http', count: 1, ...answer }],
  };
}

const echoHello: AttachWorkload = {
  command: 'echo hello',
  steps: [{ atMs: 0, stream: 'stdout', text: 'hello\n' }],
  exit: { atMs: 5, code: 0 },
};

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
  {
    name: 'probe-404',
    summary: 'cut after one frame while the command runs; the status probe gets 404 from a proxy (Gone), the next one passes',
    workload: twoParts,
    ...probeRefused({ status: 404 }),
  },
  {
    name: 'probe-503',
    summary: 'cut after one frame while the command runs; the status probe gets 503 (Unavailable): the reconnect loop',
    workload: twoParts,
    ...probeRefused({ status: 503 }),
  },
  {
    name: 'probe-timeout',
    summary: "cut after one frame while the command runs; the status probe is never answered (the client's 5 s probe timeout)",
    workload: twoParts,
    ...probeRefused({ timeout: true }),
  },
  {
    name: 'reattach-409',
    summary: 'cut after one frame while the command runs; the first re-attach gets 409 (the runner slot still held), the next succeeds',
    workload: twoParts,
    // armed after the first attach (real: as it is accepted; simulator: 1 s in), so it refuses the re-attach
    real: [CUT_AFTER_1.real, { at: 0, kind: 'refuse', target: 'client->executor', scope: 'ws', count: 1, status: 409 }],
    sim: [CUT_AFTER_1.sim, { at: 1_000, kind: 'refuse', target: 'client->runner', scope: 'ws', count: 1, status: 409 }],
  },
  {
    name: 'evicted',
    summary:
      'cut at 1 s, with part2, while the command runs; it exits at 5 s and is evicted at 10 s, inside the 15 s backoff: every re-attach gets 404',
    workload: {
      command: 'echo part1; sleep 1; echo part2; sleep 4',
      steps: [
        { atMs: 0, stream: 'stdout', text: 'part1\n' },
        { atMs: 1_000, stream: 'stdout', text: 'part2\n' },
      ],
      exit: { atMs: 5_000, code: 0 },
    },
    real: [CUT_AFTER_1.real],
    // retention expired 1 s in: the exec is evicted as soon as it is done
    runner: [{ at: 1_000, kind: 'evict' }],
    sim: [CUT_AFTER_1.sim, { at: 1_000, kind: 'evict', target: 'runner' }],
  },
  {
    name: 'slow-output-past-backlog',
    summary: 'cut after the first frame; while the client waits out its backoff the command writes 192 bytes into a 64-byte backlog',
    workload: {
      command: 'a slow writer (tape), runner backlog scaled to 64 bytes',
      steps: [
        { atMs: 0, stream: 'stdout', bytes: 16 },
        ...[2_000, 4_000, 6_000, 8_000, 10_000, 12_000].map((atMs) => ({ atMs, stream: 'stdout' as const, bytes: 32 })),
      ],
      exit: { atMs: 14_000, code: 0 },
      runner: { backlogBytesMax: 64 },
    },
    real: [CUT_AFTER_1.real],
    sim: [CUT_AFTER_1.sim],
  },
  {
    name: 'utf8-split',
    summary: 'no fault: "café" written as "caf" + 0xc3, then 0xa9 + newline, a second apart (two frames; #1155)',
    workload: {
      command: "echo start; sleep 5; printf 'caf\\303'; sleep 1; printf '\\251\\n'",
      // `start` first, so the client is attached (and past its first frame) well before the split
      steps: [
        { atMs: 0, stream: 'stdout', text: 'start\n' },
        { atMs: 5_000, stream: 'stdout', hex: '636166c3' },
        { atMs: 6_000, stream: 'stdout', hex: 'a90a' },
      ],
      exit: { atMs: 7_000, code: 0 },
    },
    real: [],
    sim: [],
  },
];
