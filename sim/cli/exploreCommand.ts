/**
 * `execsim explore`: blind exploration of one target variant. On a violation: shrink, save the
 * scenario (written as soon as it is found, rewritten as it shrinks), print the compact
 * timeline and a one-line replay command, exit 1. No violation: exit 0.
 */
import { availableParallelism } from 'node:os';
import { basename, join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecsimError, isExecsimError } from '../errors.ts';
import {
  batchRunsOf,
  DEFAULT_EXPLORER,
  EXPLORERS,
  explore,
  exploreSpace,
  planBatches,
  type ExploreOptions,
  type ExploreReport,
  type ExplorerKind,
} from '../explore/explore.ts';
import { headCommit, seedFromCommit } from '../host/git.ts';
import { exploreParallel, lanesFor, payBackRuns } from '../host/pool.ts';
import { Progress } from '../host/progress.ts';
import { wallMs, writeTextAtomic } from '../host/hostIo.ts';
import { classOf, violationsByClass } from '../judge.ts';
import { exitOfClasses, LIVENESS_EXIT } from './exitCodes.ts';
import type { AnyTarget } from '../registry.ts';
import { scenarioToJson, type SavedScenario } from '../scenario/save.ts';
import type { Mode, Scenario } from '../target.ts';
import { textTimeline } from '../report/textTimeline.ts';
import { reportDirOf, writeBadInputReport } from '../report/commandReport.ts';
import type { ExplorationSummary } from '../report/types.ts';
import { intOption, oneOf, parse, shardOption, splitTargetSpec } from './args.ts';
import type { CliContext } from './context.ts';
import { executeScenario } from './execute.ts';
import { Reporters } from './reporters.ts';

export const EXPLORE_USAGE = `execsim explore --target NAME[:VARIANT] [--runs N] [--seed S | --seed-from-commit]
                [--budget SECONDS] [--mode safety|liveness] [--faults k1,k2] [--workers N]
                [--shard i/n] [--explorer worlds|swarm|plain|guided] [--save DIR] [--report DIR] [--json] [--exit-by-class]

Draws scenarios (a workload and a swarm fault schedule) and runs them until a property is
violated. A violation is shrunk to a minimal schedule and saved (default scenarios/found/);
the command prints a one-line replay command and exits 1 (with --exit-by-class, ${LIVENESS_EXIT} when the
violation is a liveness one only). No violation: exit 0. Either way
summary.json and junit.xml go to --report (default reports/explore/NAME-VARIANT/). Same --seed
and --runs give the same result (--json output identical but for "timing").
NAME may be a module path (./my-target.js) exporting a target. The default explorer, worlds,
draws a co-occurrence schedule: half its runs enable two to six fault kinds that all occur,
half are focused on the protocol's windows, a third align one fault to another's start or
end, and capacities are drawn next to message sizes; a third of its runs are in drawn world
options (latencies, mtimes, PID space: saved in the scenario's "world"). --explorer swarm is
the same in the target's own world only (the default before); --explorer plain is the swarm
explorer before the co-occurrence schedule (independent faults from a swarm of kinds). --explorer guided (opt-in) draws each
run's world options too (latencies, mtimes, PID space: saved in the scenario's "world") and
spends half its runs on mutants of the runs whose trace showed something new. Runs go in
batches (guided 1,000, swarm and plain 250) with
seeds derived from S; --workers N runs batches on N threads and --shard i/n takes every n-th
batch (for CI matrices); neither changes what a given batch finds.
`;

const SCHEMA = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

/** What a saved scenario expects: the variant's known bug, or a pass (a real bug: fails until fixed). */
export function expectationFor(target: AnyTarget, variant: string, violated: string[]): Scenario['expect'] {
  const expected = target.variants[variant]?.expected;
  if (Array.isArray(expected)) {
    const known = violated.filter((p) => expected.includes(p));
    if (known.length > 0) return { violates: known };
  }
  return 'pass';
}

export async function exploreCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('explore', args, {
    target: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    'seed-from-commit': { type: 'boolean' },
    budget: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    mode: { type: 'string' },
    faults: { type: 'string' },
    explorer: { type: 'string' },
    save: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    'exit-by-class': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(EXPLORE_USAGE);
    return 0;
  }
  if (values.target === undefined)
    throw new ExecsimError('EXECSIM_USAGE', 'explore: --target NAME[:VARIANT] is required (see execsim list)');
  const spec = splitTargetSpec(String(values.target));
  // Until the target is known, its folder is named after what was typed.
  let reportDir = reportDirOf(values.report, 'explore', `${basename(spec.target).replace(/\.m?[jt]s$/, '')}-${spec.variant ?? 'default'}`);
  try {
    return await exploreWith(ctx, values, spec, (dir) => (reportDir = dir));
  } catch (e) {
    if (isExecsimError(e)) writeBadInputReport(reportDir, `execsim explore ${args.join(' ')}`, e);
    throw e;
  }
}

async function exploreWith(
  ctx: CliContext,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  spec: { target: string; variant?: string },
  setReportDir: (dir: string) => void,
): Promise<number> {
  const target = await ctx.target(spec.target);
  const variant = spec.variant ?? target.defaultVariant;
  const reportDir = reportDirOf(values.report, 'explore', `${target.name}-${variant}`);
  setReportDir(reportDir);
  const runs = intOption(values.runs, 'runs', 100, 1);
  if (values.seed !== undefined && values['seed-from-commit'])
    throw new ExecsimError('EXECSIM_USAGE', 'explore: give --seed or --seed-from-commit, not both');
  const commit = values['seed-from-commit'] ? headCommit() : undefined;
  const seed = commit ? seedFromCommit(commit) : intOption(values.seed, 'seed', 1);
  const workers = intOption(values.workers, 'workers', 1, 1);
  const shard = shardOption(values.shard);
  const budgetS = values.budget === undefined ? undefined : intOption(values.budget, 'budget', 0, 1);
  const mode = oneOf<Mode>(values.mode, 'mode', ['safety', 'liveness'], 'safety');
  const explorer = oneOf<ExplorerKind>(values.explorer, 'explorer', EXPLORERS, DEFAULT_EXPLORER);
  const kinds = values.faults === undefined ? undefined : String(values.faults).split(',').filter(Boolean);
  const saveDir = (values.save as string | undefined) ?? join('scenarios', 'found');
  const file = join(saveDir, `${target.name}-${variant}-${mode}-seed${seed}${shard ? `-shard${shard.index}of${shard.count}` : ''}.json`);
  const json = values.json === true;

  // Refuse a bad variant or fault kind before printing anything that looks like a start.
  const space = exploreSpace({ target, variant, mode, explorer, ...(kinds ? { faultKinds: kinds } : {}) });
  const plan = planBatches(seed, runs, shard, batchRunsOf(explorer));
  const batches = plan.length;
  const planned = plan.reduce((n, b) => n + b.runs, 0);
  const cores = ctx.io.cores ?? availableParallelism();
  const lanes = lanesFor(workers, planned, batches, cores);
  const payBack = payBackRuns(lanes + 1, cores);

  const header = `execsim explore ${target.name}:${variant} (${mode}, seed ${seed}${commit ? ` from commit ${commit.slice(0, 12)}` : ''}, ${runs} runs${shard ? `, shard ${shard.index}/${shard.count}` : ''}${workers > 1 ? `, ${workers} workers` : ''}${budgetS ? `, budget ${budgetS} s` : ''})`;
  if (!json) ctx.io.out(`${header}\n`);
  if (lanes < workers)
    ctx.io.err(
      `explore: --workers ${workers}: ${planned} runs in ${batches} batch${batches === 1 ? '' : 'es'} are too few to pay back ${workers - lanes === 1 ? 'another lane' : `${workers - lanes} more lanes`} (a lane's start and cold JIT cost about ${payBack} runs' worth${lanes + 1 >= cores ? `, with a lane on every one of the ${cores} cores, where each lane's compiler threads take CPU from the runs` : ''}); exploring on ${lanes} lane${lanes === 1 ? '' : 's'}, with the same result\n`,
    );
  const reporters = new Reporters(reportDir);
  reporters.onStart({ command: header, total: 1, reportDir });
  const progress = new Progress(`explore ${target.name}:${variant}`, runs);
  const t0 = wallMs();
  const titleFor = (violated: string[]): string =>
    `${target.name}:${variant}: ${violated.join(', ')} (found by execsim explore, seed ${seed})`;
  // The file's own `seed` is the world seed the explorer drew; say which seed is which.
  const seeds = { exploreSeed: seed, seedNote: `"seed" is the world seed drawn for this run; exploreSeed is explore's --seed` };
  const save = (scenario: Scenario, violated: string[], provenance: Record<string, unknown>): void => {
    const out: SavedScenario = {
      $schema: relative(dirname(file), SCHEMA).split('\\').join('/'),
      ...scenario,
      title: titleFor(violated),
      source: `execsim explore --target ${target.name}:${variant} --mode ${mode} --seed ${seed} --runs ${runs}${explorer !== DEFAULT_EXPLORER ? ` --explorer ${explorer}` : ''}${shard ? ` --shard ${shard.index}/${shard.count}` : ''}${kinds ? ` --faults ${kinds.join(',')}` : ''}`,
      expect: expectationFor(target, variant, violated),
      provenance,
    };
    writeTextAtomic(file, scenarioToJson(out));
  };
  const options: ExploreOptions = {
    target,
    variant,
    runs,
    seed,
    mode,
    explorer,
    ...(kinds ? { faultKinds: kinds } : {}),
    ...(budgetS ? { budgetMs: budgetS * 1000 } : {}),
    ...(shard ? { shard } : {}),
    onRun: (done) => progress.update(done),
    onFailure: (scenario, violated) => save(scenario, violated, { by: 'execsim explore', ...seeds, runs, shrunk: false }),
  };
  const report: ExploreReport =
    lanes > 1 ? await exploreParallel(options, lanes, { module: ctx.moduleOf(target.name) }) : await explore(options, wallMs);
  progress.end();
  const wall = wallMs() - t0;
  const timing = { wallMs: Math.round(wall), runsPerSec: Math.round((report.runsExecuted / Math.max(wall, 1)) * 1000) };
  const v = report.violation;
  const exploration: ExplorationSummary = {
    target: target.name,
    variant,
    mode,
    seed,
    ...(commit ? { commit } : {}),
    ...(report.shard ? { shard: report.shard } : {}),
    runs,
    runsExecuted: report.runsExecuted,
    batches,
    faultKinds: [...space.kinds],
    interrupted: report.interrupted,
    violation: v ? { file, violated: v.violated, foundAtRun: v.foundAtRun } : null,
    runsPerSec: timing.runsPerSec,
  };
  if (v) {
    save(v.scenario, v.violated, {
      by: 'execsim explore',
      ...seeds,
      ...(commit ? { commit } : {}),
      runs,
      foundAtRun: v.foundAtRun,
      shrinks: v.shrinks,
      batch: v.batch,
      fcSeed: v.fcSeed,
      path: v.path,
    });
    const replay = ctx.replayCommand(file, target.name);
    const entry = await executeScenario(
      target,
      { ...v.scenario, title: titleFor(v.violated), expect: expectationFor(target, variant, v.violated) },
      { file, replayCommand: replay },
    );
    entry.ok = false;
    entry.why = `violated: ${v.violated.join(', ')}`;
    reporters.onScenario(entry);
    reporters.onEnd({ command: header, total: 1, ok: 0, failed: 1, wallMs: wall, exploration });
    if (json) ctx.io.out(JSON.stringify({ ...report, file, replay, timing }, null, 2) + '\n');
    else {
      ctx.io.out(
        `✗ violation found at run ${v.foundAtRun}, shrunk in ${v.shrinks} steps to ${v.scenario.faults.length} fault${v.scenario.faults.length === 1 ? '' : 's'}:\n`,
      );
      for (const p of v.violated) ctx.io.out(`  ${p} (${classOf(target, p)}): ${v.summaries[p] ?? ''}\n`);
      ctx.io.out(`  workload: ${target.workload.describe(v.scenario.workload)}\n`);
      for (const f of v.scenario.faults) ctx.io.out(`  fault: ${JSON.stringify(f)}\n`);
      const evidence = Object.values(entry.results).flatMap((r) => (r.valid === false ? r.evidence : []));
      ctx.io.out(textTimeline(entry.events, { max: 40, evidence }));
      ctx.io.out(`saved ${file}${entry.timeline ? `; timeline ${entry.timeline}` : ''}\n`);
      ctx.io.out(`replay: ${replay}\n`);
    }
    if (values['exit-by-class'] !== true) return 1;
    const cls = violationsByClass(target, v.violated);
    return exitOfClasses({ safety: cls.safety.length, liveness: cls.liveness.length, expectation: 0 });
  }
  reporters.onEnd({ command: header, total: 0, ok: 0, failed: 0, wallMs: wall, exploration });
  if (json) ctx.io.out(JSON.stringify({ ...report, timing }, null, 2) + '\n');
  else
    ctx.io.out(
      `✓ no violation in ${report.runsExecuted} runs${report.interrupted ? ' (budget reached)' : ''} (${timing.runsPerSec} runs/s); report in ${reportDir}/\n`,
    );
  return 0;
}
