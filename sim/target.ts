/**
 * A target is a protocol under test with named variants. Reference implementations register
 * one each (`exec-stream`, `session-wait`, `attach-pump`); a third party can load one from a
 * module path (`--target ./my-target.js`). The harness knows nothing of any protocol: it builds
 * the world from the scenario, calls `run`, and hands the outcome to the target's checkers.
 */
import type fc from 'fast-check';
import type { Checker } from './check/result.ts';
import type { Observed, Truth } from './check/history.ts';
import type { Measured, WorkloadLimits } from './limits.ts';
import type { Schema } from './schema/fields.ts';
import type { Fault, FaultSpec } from './faults/fault.ts';
import type { FaultNames } from './faults/staticTargets.ts';
import type { VariantInfo } from './ports/variant.ts';
import type { TraceEvent } from './trace.ts';
import type { World, WorldOptionsInput } from './index.ts';
import type { WorldKnobs } from './options.ts';

// with the variant mechanism, in the ports, so protocol code can declare its variants
export type { VariantInfo } from './ports/variant.ts';

export type Mode = 'safety' | 'liveness';

/** A scenario is data: everything needed to replay one run exactly. */
export interface Scenario<W = unknown> {
  /** Scenario file format version. */
  format: 1;
  title?: string;
  /** The field report it reproduces (issue, PR), or how it was found. */
  source?: string;
  target: string;
  variant: string;
  seed: number;
  /** safety: faults stay on; liveness: faults heal at `healAtMs` and the caller must finish. */
  mode: Mode;
  /** Liveness mode: when every fault heals (virtual ms). */
  healAtMs?: number;
  /** World options this run was drawn with (latencies, mtimes, PID space), over the target's; absent: the target's world. */
  world?: WorldKnobs;
  workload: W;
  faults: Fault[];
  /**
   * `pass`, or exactly the properties this run must violate (a field bug reproduced); with
   * `allowOthers`, at least those.
   */
  expect: 'pass' | { violates: string[]; allowOthers?: boolean };
}

export interface PropertyInfo {
  name: string;
  /** In words, for reports: what must hold. */
  summary: string;
  /** Judged only in liveness mode: a safety run reports it as not applicable (never as held). Implies `liveness`. */
  livenessOnly?: boolean;
  /** A liveness property (a bound on time): reports and exit lines class its violation as liveness, not safety. */
  liveness?: boolean;
  /**
   * Records the checker needs that not every run keeps (e.g. `wire`: the frames the client sent
   * and received). A run that does not keep one reports the property as not applicable.
   */
  needs?: readonly string[];
}

/** Whether a violation of a property is a safety or a liveness one. */
export type PropertyClass = 'safety' | 'liveness';

/**
 * What a target still waits for, so the harness can own the liveness bound: the harness judges
 * `property` (listed in `properties`, not in `checkers`) as "a `pending` by `settledAt + boundMs`".
 * A real run may supply its own `settledAt` (it knows its own faults), keeping the target's bound.
 */
export interface LivenessSpec<I = CheckInput> {
  /** The property it judges (usually `terminates`). */
  property: string;
  /** What the caller owes, in words ("terminal result"). */
  pending: string;
  /** How long after the run settles the answer is due (virtual ms). */
  boundMs: number;
  /** When nothing but the protocol stands in the way of the answer (the process ended, the faults settled or healed); undefined: no answer is due. */
  settledAt(input: I): number | undefined;
  /** The caller's first terminal answer; default the first observed result that is not `running`. */
  answer?(input: I): { t: number; what?: string } | undefined;
  /** What the caller did instead of answering, for a missing-answer verdict ("3 KV-warm exits"). */
  instead?(input: I): string | undefined;
}

/** What `run` returns: the world's history plus what was observed and what was true. */
export interface RunOutcome<O extends Observed = Observed, T extends Truth = Truth> {
  history: TraceEvent[];
  observed: O;
  truth: T;
  /** The records this run keeps for the properties that need one (`PropertyInfo.needs`), e.g. `wire`. */
  records?: readonly string[];
}

/** What a checker gets: the outcome plus the scenario it came from. */
export interface CheckInput<W = unknown, O extends Observed = Observed, T extends Truth = Truth> extends RunOutcome<O, T> {
  scenario: Scenario<W>;
}

/** How the explorer asks for one fault (Target.faults.arbitrary). */
export interface FaultDraw {
  /** Durations next to the protocol's windows, in every fault of this kind in the run. */
  focus?: boolean;
}

export interface Target<W = unknown, O extends Observed = Observed, T extends Truth = Truth> {
  name: string;
  summary: string;
  variants: Readonly<Record<string, VariantInfo>>;
  defaultVariant: string;
  properties: readonly PropertyInfo[];
  /** One checker per property name in `properties`, but `liveness.property`, which the harness judges. */
  checkers: Readonly<Record<string, Checker<CheckInput<W, O, T>>>>;
  /** What the caller still waits for: the harness judges the liveness property from it. */
  liveness?: LivenessSpec<CheckInput<W, O, T>>;
  workload: {
    arbitrary: fc.Arbitrary<W>;
    /**
     * The default explorer's workloads, if they differ (issue 12): capacities next to the sizes of
     * what goes through them. `arbitrary` stays the plain draw (`--explorer plain`).
     */
    boundaryArbitrary?: fc.Arbitrary<W>;
    /**
     * Its every field, declared once (sim/schema/fields.ts): the type `W` should be its `Static`,
     * and validation, scenario.schema.json and `execsim list` come from it.
     */
    schema: Schema;
    /**
     * Rules across fields that the schema cannot say (a time after another...), each problem
     * starting with its JSON path. Runs on unchecked input too, so every problem is listed at once.
     */
    rules?(workload: unknown, path: string): string[];
    /** One line describing a workload, for reports. */
    describe(workload: W): string;
    /**
     * What one workload may ask for at most (sim/limits.ts): above any limit the scenario is
     * refused before it runs; within them a run ends in seconds. Fault times and the heal are
     * held to `durationMs` by the harness; single fields should carry their limit as a schema
     * maximum (`withLimit`).
     */
    limits?: WorkloadLimits;
    /** A valid workload's totals for `limits` (output bytes and steps in all, processes, the latest time), each with its JSON path. */
    measure?(scenario: Scenario<W>): Measured;
  };
  faults: {
    /** Kernel fault kinds this target understands (cut, lag...). */
    kernelKinds: readonly string[];
    /** Fault kinds of its own; `run` defines them on the world with `world.faults.define`. */
    specs: readonly FaultSpec[];
    /**
     * One fault of a kind, aimed at the workload's timeline; shrinks toward earlier, shorter, fewer.
     * `draw.focus` (the default explorer's co-occurrence schedule, sim/explore/swarm.ts): this run
     * keeps the kind's durations next to the protocol's windows; a target may ignore it.
     */
    arbitrary(kind: string, workload: W, draw?: FaultDraw): fc.Arbitrary<Fault>;
    /**
     * The names a run of this scenario can have (its processes, files, connections), so a kernel
     * fault aimed at another is refused before the run (sim/faults/staticTargets.ts).
     */
    names?(scenario: Scenario<W>): FaultNames;
    /** Static checks of its own kinds against the workload (a seq it never sends...), each line starting `faults[i]`. */
    check?(scenario: Scenario<W>): string[];
  };
  /** World options for a scenario (latency, pid space...); the seed is set by the harness. */
  worldOptions?(scenario: Scenario<W>): Omit<WorldOptionsInput, 'seed' | 'faults'>;
  /**
   * Builds the protocol in the world, applies the scenario's faults, runs the world to its end
   * and collects the outcome. Must not touch anything outside the world.
   */
  run(world: World, scenario: Scenario<W>): Promise<RunOutcome<O, T>>;
}
