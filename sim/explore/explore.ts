/**
 * Blind exploration: fast-check draws scenarios (workload + swarm fault schedule), runs each in a
 * fresh world, and stops at the first violation; fast-check then shrinks it to a minimal
 * schedule, and a last pass drops any fault the violation does not need. Every failing
 * scenario met on the way (the first one, then each smaller one) is handed to `onFailure` at
 * once, so an interrupted run still leaves a replayable file.
 *
 * The runs are cut into fixed batches, each with its own fast-check seed derived from the
 * exploration seed. The reported violation is the one of the lowest failing batch, whoever ran
 * it: so the result for a seed is the same in one process or across N workers (sim/host/pool.ts),
 * and shards of a CI matrix take whole batches.
 */
import fc from 'fast-check';
import { ExecsimError } from '../errors.ts';
import type { AnyTarget } from '../registry.ts';
import { streamSeed } from '../rng.ts';
import { runScenario, type ScenarioRun } from '../runner.ts';
import { faultSpecsOf } from '../scenario/load.ts';
import type { Mode, Scenario } from '../target.ts';
import { scenarioArbitrary } from './scenarioArbitrary.ts';

/** Runs per batch: small enough to balance two workers, large enough to amortize a batch. */
export const BATCH_RUNS = 250;

export interface ExploreSpace {
  target: AnyTarget;
  variant: string;
  mode: Mode;
  /** Fault kinds to draw from. */
  kinds: readonly string[];
  maxFaults: number;
}

export interface ExploreOptions {
  target: AnyTarget;
  variant: string;
  runs: number;
  seed: number;
  mode: Mode;
  /** Restrict the fault kinds (default: all the target understands). */
  faultKinds?: readonly string[];
  maxFaults?: number;
  /** Stop after this much wall time (the result then depends on the machine's speed). */
  budgetMs?: number;
  /** Only the batches of shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  onRun?(done: number, total: number): void;
  /** Each failing scenario as it is found: the first, then every smaller one. */
  onFailure?(scenario: Scenario, violated: string[]): void;
}

export interface Violation {
  /** 1-based index, over the whole exploration, of the run that first failed. */
  foundAtRun: number;
  shrinks: number;
  scenario: Scenario;
  violated: string[];
  summaries: Record<string, string>;
  traceHash: string;
  /** The batch, and fast-check's seed and path within it: they reproduce the search. */
  batch: number;
  fcSeed: number;
  path: string;
}

export interface ExploreReport {
  target: string;
  variant: string;
  mode: Mode;
  seed: number;
  runs: number;
  faultKinds: string[];
  shard?: string;
  runsExecuted: number;
  interrupted: boolean;
  violation?: Violation;
}

export interface Batch {
  index: number;
  fcSeed: number;
  runs: number;
  /** Runs before this batch, over the whole exploration. */
  firstRun: number;
}

export interface BatchResult {
  index: number;
  runsExecuted: number;
  interrupted: boolean;
  violation?: Violation;
}

export interface BatchHooks {
  onRun?(): void;
  onFailure?(scenario: Scenario, violated: string[]): void;
  /** Wall-clock ms this batch may take (the exploration's remaining budget). */
  budgetMs?: number;
}

export function planBatches(seed: number, runs: number, shard?: { index: number; count: number }): Batch[] {
  const out: Batch[] = [];
  for (let index = 0, firstRun = 0; firstRun < runs; index++, firstRun += BATCH_RUNS) {
    if (shard && index % shard.count !== shard.index - 1) continue;
    out.push({ index, fcSeed: streamSeed(seed, `batch:${index}`), runs: Math.min(BATCH_RUNS, runs - firstRun), firstRun });
  }
  return out;
}

/** Checks the options against the target and resolves the fault kinds. */
export function exploreSpace(opts: Pick<ExploreOptions, 'target' | 'variant' | 'mode' | 'faultKinds' | 'maxFaults'>): ExploreSpace {
  const { target, variant } = opts;
  if (!(variant in target.variants)) {
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `target ${target.name} has no variant ${JSON.stringify(variant)} (variants: ${Object.keys(target.variants).join(', ')})`,
    );
  }
  const known = faultSpecsOf(target).map((s) => s.kind);
  const kinds = opts.faultKinds ?? known;
  const unknown = kinds.filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `--faults: target ${target.name} does not understand ${unknown.join(', ')} (it understands: ${known.join(', ')})`,
    );
  return { target, variant, mode: opts.mode, kinds, maxFaults: opts.maxFaults ?? 6 };
}

/** One batch: fast-check with the batch's seed, shrinking a failure. Runs anywhere (here or in a worker). */
export async function exploreBatch(space: ExploreSpace, batch: Batch, hooks: BatchHooks = {}): Promise<BatchResult> {
  const { target } = space;
  const arb = scenarioArbitrary({ ...space, healSlackMsMax: 30_000 });
  let executed = 0;
  let searching = true;
  const property = fc.asyncProperty(arb, async (scenario) => {
    if (searching) {
      executed++;
      hooks.onRun?.();
    }
    const found = await effectiveFailure(target, scenario, await runScenario(target, scenario));
    if (!found) return true;
    searching = false;
    hooks.onFailure?.(found.scenario, found.run.violated);
    return false;
  });
  const details = await fc.check(property, {
    seed: batch.fcSeed,
    numRuns: batch.runs,
    ...(hooks.budgetMs !== undefined ? { interruptAfterTimeLimit: Math.max(1, hooks.budgetMs), markInterruptAsFailure: false } : {}),
  });
  const result: BatchResult = { index: batch.index, runsExecuted: executed, interrupted: details.interrupted };
  if (!details.failed || details.counterexample === null) return result;
  const [drawn] = details.counterexample as [Scenario];
  const first = (await effectiveFailure(target, drawn, await runScenario(target, drawn))) as { scenario: Scenario; run: ScenarioRun };
  let scenario = await dropUnneededFaults(target, first.scenario, first.run.violated[0] as string, hooks.onFailure);
  let final = await runScenario(target, scenario);
  const effective = await effectiveFailure(target, scenario, final);
  if (effective) ({ scenario, run: final } = effective);
  const summaries: Record<string, string> = {};
  for (const p of final.violated) summaries[p] = final.checks.results[p]?.summary ?? '';
  result.violation = {
    foundAtRun: batch.firstRun + executed,
    shrinks: details.numShrinks,
    scenario,
    violated: final.violated,
    summaries,
    traceHash: final.traceHash,
    batch: batch.index,
    fcSeed: batch.fcSeed,
    path: details.counterexamplePath ?? '',
  };
  return result;
}

/**
 * The exploration's result from its batch results: the violation of the lowest failing batch,
 * and the runs up to it. Batches after it are ignored even if they ran (in parallel).
 */
export function combine(opts: ExploreOptions, space: ExploreSpace, results: readonly BatchResult[]): ExploreReport {
  const sorted = [...results].sort((a, b) => a.index - b.index);
  const failing = sorted.find((r) => r.violation);
  const counted = failing ? sorted.filter((r) => r.index <= failing.index) : sorted;
  const report: ExploreReport = {
    target: space.target.name,
    variant: space.variant,
    mode: space.mode,
    seed: opts.seed,
    runs: opts.runs,
    faultKinds: [...space.kinds],
    ...(opts.shard ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
    runsExecuted: counted.reduce((n, r) => n + r.runsExecuted, 0),
    interrupted: counted.some((r) => r.interrupted),
  };
  if (failing?.violation) report.violation = failing.violation;
  return report;
}

/** Explores in this process, batch after batch, stopping at the first failing batch. */
export async function explore(opts: ExploreOptions, now?: () => number): Promise<ExploreReport> {
  const space = exploreSpace(opts);
  const plan = planBatches(opts.seed, opts.runs, opts.shard);
  const total = plan.reduce((n, b) => n + b.runs, 0);
  const started = now?.() ?? 0;
  const results: BatchResult[] = [];
  let done = 0;
  for (const batch of plan) {
    const budgetMs = opts.budgetMs !== undefined && now ? opts.budgetMs - (now() - started) : undefined;
    if (budgetMs !== undefined && budgetMs <= 0) {
      results.push({ index: batch.index, runsExecuted: 0, interrupted: true });
      break;
    }
    const r = await exploreBatch(space, batch, {
      onRun: () => opts.onRun?.(++done, total),
      ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
      ...(budgetMs !== undefined ? { budgetMs } : {}),
    });
    results.push(r);
    if (r.violation || r.interrupted) break;
  }
  return combine(opts, space, results);
}

/**
 * A violating run whose every fault took effect: the run itself, or the same scenario without
 * the faults that hit nothing if it still violates; undefined when it passes (or passes once
 * they are gone). Exploration never saves a fault that took no effect.
 */
async function effectiveFailure(
  target: AnyTarget,
  scenario: Scenario,
  run: ScenarioRun,
): Promise<{ scenario: Scenario; run: ScenarioRun } | undefined> {
  if (run.violated.length === 0) return undefined;
  if (run.noEffect.length === 0) return { scenario, run };
  const kept: Scenario = { ...scenario, faults: scenario.faults.filter((_, i) => run.fates[i]?.effect) };
  const again = await runScenario(target, kept);
  return again.violated.length > 0 && again.noEffect.length === 0 ? { scenario: kept, run: again } : undefined;
}

/** Removes, one at a time, every fault the (first) violated property survives without. */
async function dropUnneededFaults(
  target: AnyTarget,
  scenario: Scenario,
  property: string,
  onFailure?: BatchHooks['onFailure'],
): Promise<Scenario> {
  let current = scenario;
  for (let i = current.faults.length - 1; i >= 0; i--) {
    const candidate: Scenario = { ...current, faults: current.faults.filter((_, j) => j !== i) };
    const run = await runScenario(target, candidate);
    const violated = run.violated;
    if (violated.includes(property) && run.noEffect.length === 0) {
      current = candidate;
      onFailure?.(candidate, violated);
    }
  }
  return current;
}
