/**
 * Limits are data: each target states what one workload may ask for at most (output bytes,
 * output steps, virtual duration, processes), and a scenario above any of them is refused
 * before anything runs, with the JSON path and the limit. Within them a run ends in seconds and
 * never crashes the harness. Single fields carry their limit as a schema maximum (`withLimit`);
 * totals across fields are measured by the target (`Target.workload.measure`) and checked here.
 */
import { HORIZON_MS } from './horizon.ts';

export interface WorkloadLimits {
  /** Output bytes in all (every stream, every write). */
  bytes: number;
  /** Output steps in all (writes, chunks, lines written periodically). */
  steps: number;
  /** The latest virtual time the workload, a fault or the heal may name (ms, at most the horizon). */
  durationMs: number;
  /** Processes the run may start. */
  processes: number;
}

/** A workload's totals, each with the JSON path it comes from. */
export type Measured = { [K in keyof WorkloadLimits]?: { value: number; path: string } };

/** The most faults one schedule may hold (the envelope's `faults`). */
export const MAX_FAULTS = 1000;

/** The highest pid a world may hand out: Linux's PID_MAX_LIMIT (2^22), above which pid_max cannot be set. */
export const PID_MAX_LIMIT = 4_194_304;

const MiB = 1024 * 1024;

/** A limit in words: "4194304 bytes (4 MiB)", "86400000 ms (24 h)". */
export function limitText(key: keyof WorkloadLimits, n: number): string {
  switch (key) {
    case 'bytes':
      return n % MiB === 0 ? `${n} bytes (${n / MiB} MiB)` : `${n} bytes`;
    case 'steps':
      return `${n} output steps`;
    case 'durationMs':
      return n % 3_600_000 === 0 ? `${n} ms (${n / 3_600_000} h)` : `${n} ms`;
    case 'processes':
      return n === 1 ? '1 process' : `${n} processes`;
  }
}

/** Every limit in one line, for the schema and `execsim list`. */
export function limitsLine(l: WorkloadLimits): string {
  return `at most ${limitText('bytes', l.bytes)} of output, ${limitText('steps', l.steps)}, ${limitText('durationMs', l.durationMs)} of virtual time, ${limitText('processes', l.processes)}`;
}

/** The problems of a scenario over its target's limits: the workload's totals, then fault times and the heal. */
export function limitProblems(
  target: string,
  limits: WorkloadLimits,
  measured: Measured,
  scenario: { faults: ReadonlyArray<{ at: number }>; healAtMs?: number | undefined },
): string[] {
  const out: string[] = [];
  for (const key of ['bytes', 'steps', 'processes'] as const) {
    const m = measured[key];
    if (m && m.value > limits[key])
      out.push(`${m.path}: ${limitText(key, m.value)} in all, over ${target}'s limit of ${limitText(key, limits[key])}`);
  }
  const end = measured.durationMs;
  if (end && end.value > limits.durationMs)
    out.push(
      `${end.path}: the workload ends at ${end.value} ms, past ${target}'s duration limit of ${limitText('durationMs', limits.durationMs)}`,
    );
  if (limits.durationMs < HORIZON_MS) {
    const late = (path: string, t: number) =>
      out.push(`${path}: ${t} ms is past ${target}'s duration limit of ${limitText('durationMs', limits.durationMs)}`);
    scenario.faults.forEach((f, i) => {
      if (f.at > limits.durationMs) late(`faults[${i}].at`, f.at);
    });
    if (scenario.healAtMs !== undefined && scenario.healAtMs > limits.durationMs) late('healAtMs', scenario.healAtMs);
  }
  return out;
}

/**
 * Work (tasks run, events recorded, timers set) per item a workload may put into one virtual
 * instant. Measured over the corpus and explorations: the most any instant took per item
 * (output steps, processes and faults of the workload's limits) is given in the test of the
 * budget (test/sim/livelock.test.ts); this is well above it.
 */
export const WORK_PER_ITEM = 16;

/** The budget's floor: a workload's set-up (connections, handshakes, a first poll) at t=0. */
export const INSTANT_WORK_FLOOR = 65_536;

/**
 * The most work one virtual instant may take, from the workload's limits: every output step,
 * every process and every fault a schedule may hold, all at one instant, WORK_PER_ITEM each,
 * over a floor. More than that, and time is standing still: the target livelocked.
 */
export function instantWorkBudget(l: WorkloadLimits | undefined): number {
  const items = (l?.steps ?? 10_000) + (l?.processes ?? 64) + MAX_FAULTS;
  return WORK_PER_ITEM * items + INSTANT_WORK_FLOOR;
}
