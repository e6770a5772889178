/**
 * Runs one scenario on its target, in any world: builds the world from the scenario's seed
 * (simulated by default, or a real one with dilated time: sim/real), switches it to liveness at
 * `healAtMs` (every fault heals then), lets the target run, and judges the outcome (sim/judge.ts:
 * the target's properties plus `no-crash`).
 */
import type { CheckResult, Composed } from './check/result.ts';
import { ExecsimError, isExecsimError } from './errors.ts';
import { judge, judgeCrashed, judgeLivelocked, type JudgeOptions } from './judge.ts';
import { WorldHalted } from './kernel.ts';
import { instantWorkBudget } from './limits.ts';
import { resolveOptions, resolvedKnobs, withKnobs, type WorldOptionsInput } from './options.ts';
import { faultFates, noEffectProblems, type FaultFate } from './faults/effects.ts';
import type { AnyTarget } from './registry.ts';
import type { RunOutcome, Scenario } from './target.ts';
import { createWorld, type World, type WorldProgress } from './world.ts';

/** A world for one run, and how to release what it holds (real sockets) once the run is judged. */
export interface RunWorld {
  world: World;
  dispose?(): void;
}

/** Builds a world from the target's options and the scenario's seed. */
export type WorldFactory = (options: WorldOptionsInput) => RunWorld;

/** The deterministic simulated world. */
export const simulatedWorld: WorldFactory = (options) => ({ world: createWorld(options) });

export interface ScenarioRun {
  world: World;
  outcome: RunOutcome;
  checks: Composed;
  /** Property names whose verdict is false (`no-crash`, then `no-livelock`, last). */
  violated: string[];
  /** Each scheduled fault: when it fired and what it hit (recorded in the trace as fault.outcome). */
  fates: FaultFate[];
  /** One line per fault that took no effect (`faults[i]: ...`): the scenario is bad input. */
  noEffect: string[];
  /** sha256 of the canonical trace (computed on first read). */
  readonly traceHash: string;
}

export interface RunHooks {
  /** Host-side progress of a long run (see World.onProgress). */
  onProgress?: (p: WorldProgress) => void;
  /** How often, in tasks (default 4096). */
  progressEveryTasks?: number;
}

export async function runScenario(
  target: AnyTarget,
  scenario: Scenario,
  worlds: WorldFactory = simulatedWorld,
  hooks: RunHooks = {},
): Promise<ScenarioRun> {
  if (!(scenario.variant in target.variants)) {
    throw new ExecsimError(
      'EXECSIM_TARGET_UNKNOWN',
      `target ${target.name} has no variant "${scenario.variant}" (variants: ${Object.keys(target.variants).join(', ')})`,
    );
  }
  const base = withKnobs(target.worldOptions?.(scenario), scenario.world);
  // the livelock budget of one instant follows what the target's workloads may ask for at most
  const budget = base.limits?.maxInstantWork ?? instantWorkBudget(target.workload.limits);
  const options: WorldOptionsInput = { ...base, limits: { ...base.limits, maxInstantWork: budget }, seed: scenario.seed };
  const { world, dispose } = worlds(options);
  // A drawn world says so in its trace, at t=0: the options it resolved to (a file without them keeps its trace).
  // (the simulated world resolved exactly these options already)
  if (scenario.world) world.record('world', 'world.options', resolvedKnobs(worlds === simulatedWorld ? world.options : resolveOptions(options)));
  let outcome: RunOutcome | undefined;
  let fates: FaultFate[];
  let noEffect: string[] = [];
  let ran: Ran | undefined;
  try {
    if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) world.healAt(scenario.healAtMs);
    if (hooks.onProgress) world.onProgress(hooks.onProgress, hooks.progressEveryTasks);
    try {
      outcome = await target.run(world, scenario);
    } catch (e) {
      // Bad input the target found (an invalid schedule, a bad option) is the scenario's problem;
      // anything else it throws is its own crash: no-crash is violated, with the message.
      if (isExecsimError(e)) throw e;
      // its world's halt, thrown on into the target's own code after a livelock, is no crash
      if (!(e instanceof WorldHalted)) world.reportError('target', e);
    }
    fates = faultFates(world, scenario.faults);
    for (const f of fates) world.record('faults', 'fault.outcome', { ...f });
    // a crashed or livelocked run never got to (all of) its faults: they are not the scenario's fault
    if (outcome && !world.livelock) {
      ran = { faults: scenario.faults, mode: scenario.mode, healAtMs: scenario.healAtMs };
      // words for a report, which most runs never read: a simulated world stays as the run left
      // it, so they are written when read (LAZY_NO_EFFECT); any other is released below, so now
      if (worlds !== simulatedWorld) noEffect = noEffectProblems(world, ran, fates);
    }
  } finally {
    dispose?.();
  }
  const livelock = world.livelock;
  let checks: Composed;
  if (livelock) checks = judgeLivelocked(target, livelock, world.errors);
  else if (outcome) {
    const opts: JudgeOptions = { mode: scenario.mode, errors: world.errors, progress: { maxInstantWork: world.maxInstantWork, budget } };
    // set only when kept (a spread of a conditional object is V8's slow path)
    if (outcome.records) opts.records = outcome.records;
    checks = judge(target, { ...outcome, scenario }, opts);
  } else checks = judgeCrashed(target, world.errors);
  outcome ??= crashedOutcome(world);
  const violated: string[] = [];
  for (const name in checks.results) if ((checks.results[name] as CheckResult).valid === false) violated.push(name);
  let run: Omit<ScenarioRun, 'traceHash'>;
  if (ran !== undefined && worlds === simulatedWorld) {
    // each property added in order (turning a data property into an accessor would slow the object down)
    run = { world, outcome, checks, violated, fates } as Omit<ScenarioRun, 'traceHash'>;
    Object.defineProperty(run, RAN, { value: ran });
    Object.defineProperty(run, 'noEffect', LAZY_NO_EFFECT);
  } else run = { world, outcome, checks, violated, fates, noEffect };
  return Object.defineProperty(run, 'traceHash', LAZY_TRACE_HASH) as ScenarioRun;
}

/** What the no-effect lines read of a scenario, kept as the run saw it. */
type Ran = Pick<Scenario, 'faults' | 'mode' | 'healAtMs'>;
/** Where a simulated run's result keeps it, out of sight (not enumerable: a spread or a report never carries it). */
const RAN = Symbol('execsim.ran');

/**
 * A simulated run's no-effect lines, written on first read and then kept as a plain value, as
 * the trace hash is (and for the same reason one shared getter: see LAZY_TRACE_HASH).
 */
const LAZY_NO_EFFECT: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: ScenarioRun & { [RAN]: Ran }): string[] {
    const value = noEffectProblems(this.world, this[RAN], this.fates);
    Object.defineProperty(this, 'noEffect', { value, enumerable: true, writable: true, configurable: true });
    return value;
  },
};

/**
 * The hash is a tenth of a run's cost and exploration never reads it for passing runs, so it is
 * computed on first read and then kept as a plain value. One shared getter, not a getter in the
 * result's literal: V8 allocates such a per-call getter in old space, and its context (the whole
 * run) then survives every minor GC until a full one (about 50 KB per exec-stream run).
 */
const LAZY_TRACE_HASH: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: ScenarioRun): string {
    const value = this.world.traceHash();
    Object.defineProperty(this, 'traceHash', { value, enumerable: true });
    return value;
  },
};

/** Whether a run met its scenario's `expect`, and if not, why (one line). */
export function meetsExpectation(scenario: Scenario, run: Pick<ScenarioRun, 'violated' | 'checks'>): { ok: boolean; why: string } {
  if (scenario.expect === 'pass') {
    if (run.violated.length === 0) return { ok: true, why: 'every property held' };
    return { ok: false, why: `expected a pass, but violated: ${run.violated.join(', ')}` };
  }
  const { violates, allowOthers } = scenario.expect;
  const missing = violates.filter((p) => !run.violated.includes(p));
  // Exact by default: a regression that adds a violation to a scenario expecting one must show.
  const extra = allowOthers ? [] : run.violated.filter((p) => !violates.includes(p));
  if (missing.length === 0 && extra.length === 0) return { ok: true, why: `violated as expected: ${violates.join(', ')}` };
  const why: string[] = [];
  if (missing.length > 0) why.push(`expected ${missing.join(', ')} to be violated, but ${missing.length === 1 ? 'it' : 'they'} held`);
  if (extra.length > 0) why.push(`also violated, not expected: ${extra.join(', ')}`);
  return { ok: false, why: why.join('; ') };
}

/** What a run whose target threw has to show: its history so far, nothing observed, nothing known. */
function crashedOutcome(world: World): RunOutcome {
  return {
    history: world.trace.events,
    observed: { streams: {}, notices: [], results: [] },
    truth: { streams: {}, outcome: { kind: 'running' }, recoverable: true, unrecoverableBecause: [], runEndedAt: world.now() },
  };
}
