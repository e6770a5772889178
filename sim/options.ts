/**
 * One options struct for a world, in groups, every number with its unit last. `resolveOptions`
 * fills every default in one place, so a report can carry the full configuration.
 */
import { ExecsimError } from './errors.ts';
import { HORIZON_MS } from './horizon.ts';
import { PID_MAX_LIMIT } from './limits.ts';
import { FieldCheck, show } from './faults/check.ts';
import type { Fault } from './faults/fault.ts';
import { DEFAULT_FS_WRITER, type FsWriterOptions, type MtimeGranularity } from './fs/simFs.ts';
import { DEFAULT_NET_OPTIONS, type NetOptions } from './net/network.ts';
import { DEFAULT_PROC_OPTIONS, type ProcOptions } from './proc/processTable.ts';

export interface SchedOptions {
  /** Order tasks of different lanes due at the same instant by the seeded RNG (default true). */
  shuffle: boolean;
}

export interface LimitOptions {
  /** Tasks one `run` may execute before it stops with status `budget` (a livelock guard). */
  maxEvents: number;
  /** Virtual time a `run` without `untilMs` may reach before it stops with status `time-limit`. */
  maxTimeMs: number;
  /**
   * Work one virtual instant may take (tasks run, events recorded, timers set) before the world
   * counts it a livelock and stops with status `livelock`: time stood still. The runner derives
   * it from the target's workload limits (instantWorkBudget, sim/limits.ts).
   */
  maxInstantWork: number;
}

export interface WorldOptions {
  seed: number;
  net: NetOptions;
  /** The default writer for hosts that do not set their own. */
  fs: FsWriterOptions;
  proc: ProcOptions;
  sched: SchedOptions;
  limits: LimitOptions;
  /** Applied when the world is created. */
  faults: Fault[];
}

export type WorldOptionsInput = { seed: number } & {
  [G in Exclude<keyof WorldOptions, 'seed' | 'faults'>]?: Partial<WorldOptions[G]>;
} & { faults?: Fault[] };

/**
 * The world options a scenario may set (its `world` field): what the explorer's swarm of worlds
 * draws per run. Each group applies over the target's own options (Target.worldOptions).
 */
export interface WorldKnobs {
  net?: Partial<Pick<NetOptions, 'latencyMsMin' | 'latencyMsMax'>>;
  fs?: Partial<FsWriterOptions>;
  proc?: Partial<Pick<ProcOptions, 'pidMin' | 'pidMax'>>;
}

type BaseOptions = Omit<WorldOptionsInput, 'seed' | 'faults'>;

/** A target's world options with a scenario's knobs over them, group by group. */
export function withKnobs(base: BaseOptions | undefined, knobs: WorldKnobs | undefined): BaseOptions {
  const b = base ?? {};
  if (!knobs) return b;
  // each group set only when drawn (a spread of a conditional object is V8's slow path)
  const out: BaseOptions = { ...b };
  if (knobs.net) out.net = { ...b.net, ...knobs.net };
  if (knobs.fs) out.fs = { ...b.fs, ...knobs.fs };
  if (knobs.proc) out.proc = { ...b.proc, ...knobs.proc };
  return out;
}

/** The knobs as the world runs them: every field of every group, defaults filled (the trace's `world.options`). */
export function resolvedKnobs(o: WorldOptions): Required<{ [G in keyof WorldKnobs]-?: Required<NonNullable<WorldKnobs[G]>> }> {
  return {
    net: { latencyMsMin: o.net.latencyMsMin, latencyMsMax: o.net.latencyMsMax },
    fs: { mtimeGranularity: o.fs.mtimeGranularity, mtimeSkewMs: o.fs.mtimeSkewMs },
    proc: { pidMin: o.proc.pidMin, pidMax: o.proc.pidMax },
  };
}

export const DEFAULT_LIMITS: LimitOptions = { maxEvents: 5_000_000, maxTimeMs: HORIZON_MS, maxInstantWork: 2_000_000 };

const GRANULARITIES: readonly MtimeGranularity[] = ['ns', '1s', '2s'];

export function resolveOptions(input: WorldOptionsInput): WorldOptions {
  const problems: string[] = [];
  if (typeof input.seed !== 'number' || !Number.isInteger(input.seed)) problems.push(`seed: expected an integer, got ${show(input.seed)}`);
  const o: WorldOptions = {
    seed: input.seed | 0,
    net: { ...DEFAULT_NET_OPTIONS, ...input.net },
    fs: { ...DEFAULT_FS_WRITER, ...input.fs },
    proc: { ...DEFAULT_PROC_OPTIONS, ...input.proc },
    sched: { shuffle: true, ...input.sched },
    limits: { ...DEFAULT_LIMITS, ...input.limits },
    faults: input.faults ?? [],
  };
  const rec = (v: object) => v as Record<string, unknown>;
  problems.push(
    ...new FieldCheck(rec(o.net), 'net')
      .int('latencyMsMin', { max: HORIZON_MS })
      .int('latencyMsMax', { min: o.net.latencyMsMin, max: HORIZON_MS })
      .int('connectTimeoutMs', { min: 1 })
      .int('requestTimeoutMs', { min: 1 })
      .int('closeTimeoutMs', { min: 1 }).problems,
    ...validateWriter(o.fs, 'fs'),
    ...new FieldCheck(rec(o.proc), 'proc')
      .int('pidMin', { min: 2, max: PID_MAX_LIMIT })
      .int('pidMax', { min: o.proc.pidMin, max: PID_MAX_LIMIT })
      .int('ticksPerSecond', { min: 1 })
      .int('bootTicks').problems,
    ...new FieldCheck(rec(o.limits), 'limits').int('maxEvents', { min: 1 }).int('maxTimeMs', { min: 1 }).int('maxInstantWork', { min: 1 }).problems,
  );
  if (problems.length > 0) {
    throw new ExecsimError('EXECSIM_OPTIONS_INVALID', `invalid world options:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return o;
}

export function validateWriter(w: Partial<FsWriterOptions>, path: string): string[] {
  const c = new FieldCheck(w as Record<string, unknown>, path).str('mtimeGranularity', { oneOf: GRANULARITIES });
  if (typeof w.mtimeSkewMs !== 'number' || !(Math.abs(w.mtimeSkewMs) <= HORIZON_MS))
    c.problems.push(`${path}.mtimeSkewMs: expected a number from -${HORIZON_MS} to ${HORIZON_MS} (ms), got ${show(w.mtimeSkewMs)}`);
  return c.problems;
}
