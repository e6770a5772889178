/**
 * The library: `import { ... } from 'execsim'`. A thin layer over the modules the CLI uses, so a
 * program or a test gets exactly what the command line does: load and validate scenarios, run
 * them, explore a target (same options and result as `execsim explore --json`), replay, validate
 * an executor, and register a target of its own.
 */
import { BUILTIN_TARGETS } from '../reference-impl/targets.ts';
import { CliContext } from './cli/context.ts';
import { executeScenario } from './cli/execute.ts';
import type { ExploreReport } from './explore/explore.ts';
import { readText } from './host/hostIo.ts';
import type { ValidationReport } from './real/validate/validate.ts';
import { TargetRegistry, type AnyTarget } from './registry.ts';
import type { ScenarioReport } from './report/types.ts';
import { loadScenarioText, type LoadedScenario } from './scenario/load.ts';
import type { Mode, Scenario } from './target.ts';

// The kernel and its data types (world, faults, errors, trace).
export * from './index.ts';
// Writing a target: its interface, the ports it runs on, shared checkers and workload content.
export type { CheckInput, FaultDraw, Mode, PropertyInfo, RunOutcome, Scenario, Target, VariantInfo } from './target.ts';
export * from './check/index.ts';
export * from './ports/index.ts';
export { tape } from './workload/tape.ts';
// The fast-check execsim itself uses: a target's arbitraries must come from the same copy.
export { default as fc } from 'fast-check';
export { TargetRegistry, checkTargetShape, type AnyTarget, type TargetLoader, type TargetModule } from './registry.ts';
export { BUILTIN_TARGETS } from '../reference-impl/targets.ts';
// Scenarios: validation, running one, and what a run reports.
export { parseJson, validateScenario, loadScenarioText, faultSpecsOf, type LoadedScenario } from './scenario/load.ts';
export { runScenario, meetsExpectation, type ScenarioRun } from './runner.ts';
export type { ScenarioReport } from './report/types.ts';
export type { ExploreReport, Violation } from './explore/explore.ts';
export type { ValidationReport } from './real/validate/validate.ts';

/** The registry the functions below use by default: the built-in targets plus registered ones. */
export const registry = new TargetRegistry(BUILTIN_TARGETS);

/** Registers a target (checked: a clear error names what is missing) so scenarios can name it. */
export function registerTarget(target: unknown, reg: TargetRegistry = registry): AnyTarget {
  return reg.register(target, 'registerTarget');
}

/** A target by name (built-in or registered) or module path (`./my-target.ts`), registered. */
export async function loadTarget(spec: string, reg: TargetRegistry = registry): Promise<AnyTarget> {
  const ctx = new CliContext(quiet);
  if (/^[a-z0-9][a-z0-9-]*$/.test(spec)) return reg.get(spec);
  return reg.register(await ctx.loadModule(spec), spec);
}

/** Reads and validates one scenario file (exit-2 errors of `execsim run`, as ExecsimError). */
export async function loadScenario(file: string, reg: TargetRegistry = registry): Promise<LoadedScenario> {
  return loadScenarioText(readText(file), file, reg);
}

/** Runs a scenario and checks it against its `expect`: one entry of `execsim run`'s report. */
export async function checkScenario(target: AnyTarget, scenario: Scenario, file?: string): Promise<ScenarioReport> {
  const replayCommand = `npx execsim replay ${file ?? '<scenario file>'}`;
  return executeScenario(target, scenario, { ...(file !== undefined ? { file } : {}), replayCommand });
}

/** `execsim replay FILE`: loads, runs and checks one scenario file. */
export async function replay(file: string, reg: TargetRegistry = registry): Promise<ScenarioReport> {
  const { target, scenario } = await loadScenario(file, reg);
  return checkScenario(target, scenario, file);
}

export interface ExploreTargetOptions {
  /** A target name, a module path, or a target object. */
  target: string | AnyTarget;
  variant?: string;
  runs?: number;
  seed?: number;
  seedFromCommit?: boolean;
  budgetSeconds?: number;
  mode?: Mode;
  /** Fault kinds to draw from (default: all the target understands). */
  faults?: readonly string[];
  /** Worker threads; a target object cannot cross to a worker, give its module path instead. */
  workers?: number;
  shard?: { index: number; count: number };
  /** As `--explorer`: `worlds` (default), `swarm` (the default before), `plain` or `guided`. */
  explorer?: 'guided' | 'plain' | 'swarm' | 'worlds';
  /** Where a found scenario is saved (default scenarios/found) and reports go (default reports). */
  save?: string;
  report?: string;
}

/** What `execsim explore --json` prints: the report, plus where a violation went and timing. */
export interface ExploreResult extends ExploreReport {
  /** The saved (shrunk) scenario, when a property was violated. */
  file?: string;
  /** The one-line replay command, when a property was violated. */
  replay?: string;
  timing: { wallMs: number; runsPerSec: number };
}

/**
 * `execsim explore --json`, in process: the same search, the same saved scenario and reports,
 * the same result. A violation is `result.violation` (the command would exit 1).
 */
export async function exploreTarget(opts: ExploreTargetOptions, reg: TargetRegistry = registry): Promise<ExploreResult> {
  let out = '';
  const ctx = new CliContext({ out: (t) => void (out += t), err: (t) => void process.stderr.write(t) });
  let spec: string;
  if (typeof opts.target === 'string' && !/^[a-z0-9][a-z0-9-]*$/.test(opts.target)) spec = opts.target;
  else spec = ctx.registry.register(typeof opts.target === 'string' ? await reg.get(opts.target) : opts.target, 'target').name;
  const args = ['--json', '--target', opts.variant !== undefined ? `${spec}:${opts.variant}` : spec];
  const flag = (name: string, v: unknown) => {
    if (v !== undefined) args.push(`--${name}`, String(v));
  };
  flag('runs', opts.runs);
  flag('seed', opts.seed);
  if (opts.seedFromCommit) args.push('--seed-from-commit');
  flag('budget', opts.budgetSeconds);
  flag('mode', opts.mode);
  flag('faults', opts.faults?.join(','));
  flag('workers', opts.workers);
  flag('explorer', opts.explorer);
  flag('shard', opts.shard && `${opts.shard.index}/${opts.shard.count}`);
  flag('save', opts.save);
  flag('report', opts.report);
  const { exploreCommand } = await import('./cli/exploreCommand.ts');
  await exploreCommand(ctx, args);
  const result = JSON.parse(out) as ExploreResult;
  // a target loaded from a module path is now known here too: its saved scenarios load by name
  reg.register(await ctx.registry.get(result.target), spec);
  return result;
}

export interface ValidateExecutorOptions {
  /** `"CMD ... {port} ..."`, `codex` or `reference`, as `execsim validate --executor`. */
  executor: string;
  /** Version of the codex preset (default 0.169.0). */
  version?: string;
  runs?: number;
  seed?: number;
  faults?: readonly string[];
  workloads?: readonly string[];
  /** Where conformance.json, junit.xml and conformance.html go (default reports/validate; false: none). */
  report?: string | false;
}

/** `execsim validate`: a real executor behind the fault proxy; `conforms` is the verdict. */
export async function validateExecutor(opts: ValidateExecutorOptions): Promise<ValidationReport> {
  const [{ validate }, { writeValidationReport }, { wallMs }] = await Promise.all([
    import('./real/validate/validate.ts'),
    import('./real/validate/report.ts'),
    import('./host/hostIo.ts'),
  ]);
  const t0 = wallMs();
  const report = await validate({
    executor: opts.executor,
    version: opts.version ?? '0.169.0',
    runs: opts.runs ?? 1,
    seed: opts.seed ?? 1,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.workloads ? { workloads: opts.workloads } : {}),
  });
  if (opts.report !== false) writeValidationReport(opts.report ?? 'reports/validate', report, wallMs() - t0);
  return report;
}

const quiet = { out: () => undefined, err: (t: string) => void process.stderr.write(t) };
