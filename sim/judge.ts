/**
 * Which properties a run judges, and how, in one place for simulated and real runs: the
 * target's checkers in property order, its liveness property from what it says it waits for
 * (`Target.liveness`), and `no-crash` from the world's actor errors. A property the run cannot
 * judge (liveness-only in a safety run, a record the run does not keep) is reported not
 * applicable with the reason, never dropped and never counted as held.
 */
import { terminates, type LivenessInput } from './check/liveness.ts';
import {
  checkSafe,
  fail,
  mergeValid,
  notApplicable,
  pass,
  unknown,
  type Checker,
  type CheckResult,
  type Composed,
} from './check/result.ts';
import { livelockText, type ActorError, type Livelock } from './kernel.ts';
import type { AnyTarget } from './registry.ts';
import type { CheckInput, LivenessSpec, Mode, PropertyClass, PropertyInfo } from './target.ts';

export const NO_CRASH: PropertyInfo = {
  name: 'no-crash',
  summary: 'no actor of the world throws (a crash in the implementation or the target glue)',
};

/**
 * The world's own liveness guard, judged for every simulated run as `no-crash` is: virtual time
 * kept moving. A target that spins at one instant (continuations or zero-delay timers that never
 * let time move), or does more tasks than a run's budget, livelocks: the run is stopped there
 * and this is violated, naming the instant and what repeated; nothing else is judged.
 */
export const NO_LIVELOCK: PropertyInfo = {
  name: 'no-livelock',
  summary: "virtual time keeps moving: no instant takes more work than the budget from the workload's limits",
  liveness: true,
};

/** The harness's own properties, judged on every simulated run after the target's. */
export const HARNESS_PROPERTIES: readonly PropertyInfo[] = [NO_CRASH, NO_LIVELOCK];

export interface JudgeOptions {
  mode: Mode;
  /** Records the run keeps beyond its history (`wire`...); a property needing another is not applicable. */
  records?: readonly string[];
  /** The world's actor errors, judged as `no-crash`; omitted for a run without a world (a real executor). */
  errors?: readonly ActorError[];
  /** A real run's own settle time for the liveness property (it knows its faults); default the target's. */
  settledAt?(input: CheckInput): number | undefined;
  /** The world's work per instant, judged as `no-livelock`; omitted for a run without a world. */
  progress?: WorldMotion;
}

/** How a world moved: the most work one instant took, against its budget (no livelock: it never ran out). */
export interface WorldMotion {
  maxInstantWork: number;
  budget: number;
}

/** The harness's liveness checker: a `pending` by the run's settle time plus the target's bound. */
export function livenessChecker<I extends LivenessInput>(
  spec: LivenessSpec<I>,
  settledAt: (input: I) => number | undefined = spec.settledAt,
): Checker<I> {
  const opts = { what: spec.pending, ...(spec.answer ? { answer: spec.answer } : {}), ...(spec.instead ? { instead: spec.instead } : {}) };
  return terminates<I>((i) => {
    const at = settledAt(i);
    return at === undefined ? undefined : at + spec.boundMs;
  }, opts);
}

/** Every property a target's runs report, in report order: its own, then `no-crash` and `no-livelock`. */
export function reportedProperties(target: AnyTarget): PropertyInfo[] {
  return [...target.properties, ...HARNESS_PROPERTIES];
}

/** A property's class: liveness for the target's liveness property and those it marks so; safety otherwise. */
export function classOf(target: AnyTarget, name: string): PropertyClass {
  if (name === target.liveness?.property || name === NO_LIVELOCK.name) return 'liveness';
  const p = target.properties.find((x) => x.name === name);
  return p?.liveness === true || p?.livenessOnly === true ? 'liveness' : 'safety';
}

/** Why a run does not judge a property, or undefined when it does. */
function whyNotJudged(p: PropertyInfo | undefined, opts: JudgeOptions): string | undefined {
  if (p?.livenessOnly && opts.mode !== 'liveness') return 'judged in liveness mode only (faults heal at healAtMs), this is a safety run';
  const needs = p?.needs;
  if (needs === undefined || needs.length === 0) return undefined;
  const missing = needs.filter((n) => !(opts.records ?? []).includes(n));
  if (missing.length > 0) return `needs the ${missing.join(' and ')} record, which this run does not keep`;
  return undefined;
}

/** What `judge` reads of a target, in judging order: each property name with its declaration. */
interface JudgePlan {
  properties: AnyTarget['properties'];
  checkers: AnyTarget['checkers'];
  liveness: AnyTarget['liveness'];
  steps: Array<{ name: string; info: PropertyInfo | undefined; liveness: boolean }>;
}

/** Plans by target (a target's declarations do not change once it is registered); rebuilt if its parts are replaced. */
const plans = new WeakMap<AnyTarget, JudgePlan>();

function planOf(target: AnyTarget): JudgePlan {
  const known = plans.get(target);
  if (known && known.properties === target.properties && known.checkers === target.checkers && known.liveness === target.liveness)
    return known;
  const listed = target.properties.map((p) => p.name);
  const names = [...listed, ...Object.keys(target.checkers).filter((n) => !listed.includes(n))];
  const spec = target.liveness as LivenessSpec | undefined;
  const plan: JudgePlan = {
    properties: target.properties,
    checkers: target.checkers,
    liveness: target.liveness,
    steps: names.map((name) => ({
      name,
      info: target.properties.find((p) => p.name === name),
      liveness: spec !== undefined && name === spec.property,
    })),
  };
  plans.set(target, plan);
  return plan;
}

/** The liveness checker of a spec with its own settle time, made once per spec. */
const ownLiveness = new WeakMap<LivenessSpec, Checker<CheckInput>>();

function livenessOf(spec: LivenessSpec, settledAt: JudgeOptions['settledAt']): Checker<CheckInput> {
  if (settledAt !== undefined && settledAt !== spec.settledAt) return livenessChecker(spec, settledAt);
  let c = ownLiveness.get(spec);
  if (!c) ownLiveness.set(spec, (c = livenessChecker(spec, spec.settledAt)));
  return c;
}

export function noCrash(errors: readonly ActorError[]): CheckResult {
  if (errors.length === 0) return pass('no actor threw');
  return fail(
    errors.map((e) => `${e.actor} threw at t=${(e.t / 1000).toFixed(3)}s: ${e.message}`).join('; '),
    errors.map((e) => ({ t: e.t, note: e.message })),
  );
}

/** Judges one run: every property of the target (plus `no-crash` for a world), by name. */
export function judge(target: AnyTarget, input: CheckInput, opts: JudgeOptions): Composed {
  const results: Record<string, CheckResult> = {};
  const checkers = target.checkers as Record<string, Checker<CheckInput> | undefined>;
  for (const { name, info, liveness } of planOf(target).steps) {
    const why = whyNotJudged(info, opts);
    if (why !== undefined) {
      results[name] = notApplicable(why);
      continue;
    }
    const checker = liveness ? livenessOf(target.liveness as LivenessSpec, opts.settledAt) : checkers[name];
    results[name] = checker ? checkSafe(checker, input) : unknown(`the target has no checker for ${name}`);
  }
  if (opts.errors) results[NO_CRASH.name] = noCrash(opts.errors);
  if (opts.progress) results[NO_LIVELOCK.name] = noLivelock(undefined, opts.progress);
  return { valid: mergeValid(Object.values(results).map((r) => r.valid)), results };
}

export function noLivelock(livelock: Livelock | undefined, motion?: WorldMotion): CheckResult {
  if (livelock) return fail(`the target livelocked: ${livelockText(livelock)}`, [{ t: livelock.t, note: 'livelock' }]);
  return pass(
    motion ? `virtual time kept moving: at most ${motion.maxInstantWork} steps at one instant (budget ${motion.budget})` : 'virtual time kept moving',
  );
}

/**
 * A run its world stopped for a livelock: its history ends there, so none of the target's
 * properties can be judged on it (each is unknown, saying why); `no-livelock` is violated with
 * the instant and what repeated, and `no-crash` is judged from the errors before it.
 */
export function judgeLivelocked(target: AnyTarget, livelock: Livelock, errors: readonly ActorError[]): Composed {
  const results: Record<string, CheckResult> = {};
  const at = `t=${(livelock.t / 1000).toFixed(3)}s`;
  for (const p of target.properties) results[p.name] = unknown(`not judged: the run livelocked at ${at}, its history ends there (see no-livelock)`);
  results[NO_CRASH.name] = noCrash(errors);
  results[NO_LIVELOCK.name] = noLivelock(livelock);
  return { valid: mergeValid(Object.values(results).map((r) => r.valid)), results };
}

/** The violated properties, split by class. */
export function violationsByClass(target: AnyTarget, violated: readonly string[]): Record<PropertyClass, string[]> {
  const out: Record<PropertyClass, string[]> = { safety: [], liveness: [] };
  for (const p of violated) out[classOf(target, p)].push(p);
  return out;
}

/**
 * A run whose target threw out of `run` (not in an actor): there is no outcome to judge, so
 * every property of the target is unknown, and `no-crash` is violated with the message.
 */
export function judgeCrashed(target: AnyTarget, errors: readonly ActorError[]): Composed {
  const results: Record<string, CheckResult> = {};
  for (const p of target.properties) results[p.name] = unknown('not judged: the target crashed before it had an outcome (see no-crash)');
  results[NO_CRASH.name] = noCrash(errors);
  results[NO_LIVELOCK.name] = noLivelock(undefined);
  return { valid: mergeValid(Object.values(results).map((r) => r.valid)), results };
}
