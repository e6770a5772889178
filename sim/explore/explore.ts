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
import { dropUnneededFaults, dropUnneededWorld, effectiveFailure, finalRun } from './failing.ts';
import { guidedBatch } from './guided.ts';
import { scenarioArbitrary } from './scenarioArbitrary.ts';

/** Runs per batch: small enough to balance two workers, large enough to amortize a batch. */
export const BATCH_RUNS = 250;
/** The guided explorer's batches are longer: its corpus lives within one batch, and learns over it. */
export const GUIDED_BATCH_RUNS = 1_000;

/**
 * `worlds` (default): swarm runs on the co-occurrence schedule, a third of them in drawn worlds
 * (world options per run, as TigerBeetle's swarm draws them: sim/explore/worldSwarm.ts);
 * `swarm`: the same without drawn worlds (the default before, the known-bugs bench's "swarm");
 * `plain`: the swarm explorer as it was before issue 12's co-occurrence schedule (the bench's
 * "before"); `guided` (opt-in, issue 12): swarm runs in drawn worlds and coverage-guided mutants.
 */
export type ExplorerKind = 'guided' | 'plain' | 'swarm' | 'worlds';
export const EXPLORERS: readonly ExplorerKind[] = ['guided', 'plain', 'swarm', 'worlds'];
/** What `explore` runs unless told otherwise. */
export const DEFAULT_EXPLORER: ExplorerKind = 'worlds';

export const batchRunsOf = (explorer: ExplorerKind | undefined): number => (explorer === 'guided' ? GUIDED_BATCH_RUNS : BATCH_RUNS);

export interface ExploreSpace {
  target: AnyTarget;
  variant: string;
  mode: Mode;
  /** Fault kinds to draw from. */
  kinds: readonly string[];
  maxFaults: number;
  explorer: ExplorerKind;
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
  /** Which explorer (default DEFAULT_EXPLORER, worlds). */
  explorer?: ExplorerKind;
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
  /** The host's wall clock, for the guided explorer's budget (sim/ has none of its own). */
  now?: () => number;
  /** Whether a violation ends the search (default: any); one that does not is treated as a pass. The bench looks for one bug. */
  counts?(violated: string[]): boolean;
  /** false: report the first failing scenario as drawn (the bench only counts runs). */
  shrink?: boolean;
  /** Called after each run; a promise it returns is awaited (a batch on the main thread yields to the pool's messages). */
  pause?(): Promise<void> | undefined;
}

export function planBatches(seed: number, runs: number, shard?: { index: number; count: number }, batchRuns = BATCH_RUNS): Batch[] {
  const out: Batch[] = [];
  for (let index = 0, firstRun = 0; firstRun < runs; index++, firstRun += batchRuns) {
    if (shard && index % shard.count !== shard.index - 1) continue;
    out.push({ index, fcSeed: streamSeed(seed, `batch:${index}`), runs: Math.min(batchRuns, runs - firstRun), firstRun });
  }
  return out;
}

/** Checks the options against the target and resolves the fault kinds. */
export function exploreSpace(
  opts: Pick<ExploreOptions, 'target' | 'variant' | 'mode' | 'faultKinds' | 'maxFaults' | 'explorer'>,
): ExploreSpace {
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
  const explorer = opts.explorer ?? DEFAULT_EXPLORER;
  if (!EXPLORERS.includes(explorer))
    throw new ExecsimError('EXECSIM_USAGE', `--explorer: expected one of ${EXPLORERS.join(', ')}, got ${JSON.stringify(explorer)}`);
  return { target, variant, mode: opts.mode, kinds, maxFaults: opts.maxFaults ?? 6, explorer };
}

/** One batch of the space's explorer. Runs anywhere (here or in a worker). */
export async function exploreBatch(space: ExploreSpace, batch: Batch, hooks: BatchHooks = {}): Promise<BatchResult> {
  return space.explorer === 'guided' ? guidedBatch(space, batch, hooks) : swarmBatch(space, batch, hooks);
}

/** One batch of the swarm explorer: fast-check with the batch's seed, shrinking a failure. */
async function swarmBatch(space: ExploreSpace, batch: Batch, hooks: BatchHooks): Promise<BatchResult> {
  const { target } = space;
  const arb = scenarioArbitrary({
    ...space,
    healSlackMsMax: 30_000,
    schedule: space.explorer === 'plain' ? 'plain' : 'co-occurrence',
    worlds: space.explorer === 'worlds',
  });
  let executed = 0;
  let searching = true;
  const property = fc.asyncProperty(arb, async (scenario) => {
    if (searching) {
      executed++;
      hooks.onRun?.();
    }
    const found = await effectiveFailure(target, scenario, await runScenario(target, scenario));
    const paused = hooks.pause?.();
    if (paused) await paused;
    if (!found || !(hooks.counts?.(found.run.violated) ?? true)) return true;
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
  const counted = first.run.violated.find((p) => hooks.counts?.([p]) ?? true) as string;
  const shrunk =
    hooks.shrink === false
      ? first.scenario
      : await dropUnneededWorld(target, await dropUnneededFaults(target, first.scenario, counted, hooks.onFailure), counted, hooks.onFailure);
  result.violation = {
    foundAtRun: batch.firstRun + executed,
    shrinks: details.numShrinks,
    ...(await finalRun(target, shrunk)),
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
  const plan = planBatches(opts.seed, opts.runs, opts.shard, batchRunsOf(space.explorer));
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
      ...(budgetMs !== undefined && now ? { budgetMs, now } : {}),
    });
    results.push(r);
    if (r.violation || r.interrupted) break;
  }
  return combine(opts, space, results);
}
