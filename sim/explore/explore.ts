/**
 * Blind exploration: fast-check draws scenarios (workload + swarm fault schedule), runs each in a
 * fresh world, and stops at the first violation; fast-check then shrinks it to a minimal
 * schedule, and a last pass drops any fault the violation does not need. Every failing
 * scenario met on the way (the first one, then each smaller one) is handed to `onFailure` at
 * once, so an interrupted run still leaves a replayable file. Same seed and runs, same result.
 */
import fc from 'fast-check';
import type { AnyTarget } from '../registry.ts';
import { runScenario } from '../runner.ts';
import type { Mode, Scenario } from '../target.ts';
import { faultSpecsOf } from '../scenario/load.ts';
import { ExecsimError } from '../errors.ts';
import { scenarioArbitrary } from './scenarioArbitrary.ts';

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
  onRun?(done: number, total: number): void;
  /** Each failing scenario as it is found: the first, then every smaller one. */
  onFailure?(scenario: Scenario, violated: string[]): void;
}

export interface Violation {
  /** 1-based index of the run that first failed. */
  foundAtRun: number;
  shrinks: number;
  scenario: Scenario;
  violated: string[];
  summaries: Record<string, string>;
  traceHash: string;
  /** fast-check's replay path (with the seed, reproduces the search). */
  path: string;
}

export interface ExploreReport {
  target: string;
  variant: string;
  mode: Mode;
  seed: number;
  runs: number;
  faultKinds: string[];
  runsExecuted: number;
  interrupted: boolean;
  violation?: Violation;
}

/** The violated properties of a run, including a crash inside the world (`no-crash`). */
export function violationsOf(run: { violated: string[]; world: { errors: readonly unknown[] } }): string[] {
  return run.world.errors.length > 0 ? [...run.violated, 'no-crash'] : run.violated;
}

export async function explore(opts: ExploreOptions): Promise<ExploreReport> {
  const { target, variant, mode } = opts;
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

  const arb = scenarioArbitrary({ target, variant, mode, kinds, maxFaults: opts.maxFaults ?? 6, healSlackMsMax: 30_000 });
  let executed = 0;
  let searching = true;
  const property = fc.asyncProperty(arb, async (scenario) => {
    if (searching) {
      executed++;
      opts.onRun?.(executed, opts.runs);
    }
    const run = await runScenario(target, scenario);
    const violated = violationsOf(run);
    if (violated.length === 0) return true;
    searching = false;
    opts.onFailure?.(scenario, violated);
    return false;
  });
  const details = await fc.check(property, {
    seed: opts.seed,
    numRuns: opts.runs,
    ...(opts.budgetMs !== undefined ? { interruptAfterTimeLimit: opts.budgetMs, markInterruptAsFailure: false } : {}),
  });
  const report: ExploreReport = {
    target: target.name,
    variant,
    mode,
    seed: opts.seed,
    runs: opts.runs,
    faultKinds: [...kinds],
    runsExecuted: executed,
    interrupted: details.interrupted,
  };
  if (!details.failed || details.counterexample === null) return report;
  let [scenario] = details.counterexample as [Scenario];
  const first = await runScenario(target, scenario);
  scenario = await dropUnneededFaults(target, scenario, violationsOf(first)[0] as string, opts.onFailure);
  const final = await runScenario(target, scenario);
  const violated = violationsOf(final);
  const summaries: Record<string, string> = {};
  for (const p of final.violated) summaries[p] = final.checks.results[p]?.summary ?? '';
  for (const e of final.world.errors) summaries['no-crash'] = `${e.actor} threw at t=${(e.t / 1000).toFixed(3)}s: ${e.message}`;
  report.violation = {
    foundAtRun: executed,
    shrinks: details.numShrinks,
    scenario,
    violated,
    summaries,
    traceHash: final.traceHash,
    path: details.counterexamplePath ?? '',
  };
  return report;
}

/** Removes, one at a time, every fault the (first) violated property survives without. */
async function dropUnneededFaults(
  target: AnyTarget,
  scenario: Scenario,
  property: string,
  onFailure?: ExploreOptions['onFailure'],
): Promise<Scenario> {
  let current = scenario;
  for (let i = current.faults.length - 1; i >= 0; i--) {
    const candidate: Scenario = { ...current, faults: current.faults.filter((_, j) => j !== i) };
    const run = await runScenario(target, candidate);
    const violated = violationsOf(run);
    if (violated.includes(property)) {
      current = candidate;
      onFailure?.(candidate, violated);
    }
  }
  return current;
}
