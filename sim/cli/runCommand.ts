/**
 * `execsim run [PATH...]`: replays every scenario file (default `scenarios/`) and checks its
 * expectation. Every file is validated before anything runs (a bad file exits 2 naming the
 * file and JSON path); reports are written as each scenario finishes.
 */
import { ExecsimError, isExecsimError } from '../errors.ts';
import { reportDirOf, writeBadInputReport } from '../report/commandReport.ts';
import { Progress } from '../host/progress.ts';
import { isDirectory, listScenarioFiles, pathExists, readText, wallMs } from '../host/hostIo.ts';
import { loadScenarioText, type LoadedScenario } from '../scenario/load.ts';
import { runSmokeWorld } from '../smoke/busyWorld.ts';
import { rowOf, type FailureClass } from '../report/summaryJson.ts';
import { textTimeline } from '../report/textTimeline.ts';
import { formatTime } from '../trace.ts';
import { intOption, parse, shardOption } from './args.ts';
import type { CliContext } from './context.ts';
import { executeScenario } from './execute.ts';
import { exitOfClasses, LIVENESS_EXIT } from './exitCodes.ts';
import { Reporters } from './reporters.ts';

export const RUN_USAGE = `execsim run [PATH...] [--report DIR] [--target MODULE]... [--reporter summary,junit,html]
            [--shard i/n] [--exit-by-class]

Replays every scenario file under PATH (files or folders; default scenarios/) and checks that
each meets its "expect". Writes summary.json, junit.xml and a timeline.html per failure to
--report (default reports/run/) as it goes; a bad file leaves a summary saying so. Exit 0 when all meet their expectation, 1 otherwise
(the last line and summary.json's "failedAs" say whether each failure is a safety violation,
a liveness one or an expected violation that did not happen), 2 for a bad file or bad usage. With --exit-by-class, a run whose every failure is a liveness
violation exits ${LIVENESS_EXIT} instead of 1 (a gate that must tell a hang from lost output). --shard i/n runs every n-th file (CI matrices; combine the
shards' reports with execsim merge-reports).
`;

export async function runCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('run', args, {
    report: { type: 'string' },
    target: { type: 'string', multiple: true },
    reporter: { type: 'string' },
    seed: { type: 'string' },
    shard: { type: 'string' },
    'exit-by-class': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  const shard = shardOption(values.shard);
  if (values.help) {
    ctx.io.out(RUN_USAGE);
    return 0;
  }
  const reportDir = reportDirOf(values.report, 'run');
  try {
    return await runWith(ctx, values, positionals, shard, reportDir);
  } catch (e) {
    // a refused input replaces the old report, so it never looks current
    if (isExecsimError(e)) writeBadInputReport(reportDir, `execsim run ${args.join(' ')}`.trimEnd(), e);
    throw e;
  }
}

async function runWith(
  ctx: CliContext,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  positionals: string[],
  shard: { index: number; count: number } | undefined,
  reportDir: string,
): Promise<number> {
  await ctx.loadModules((values.target as string[] | undefined) ?? []);
  const paths = positionals.length > 0 ? positionals : ['scenarios'];
  const files: string[] = [];
  for (const p of paths) {
    if (!pathExists(p)) throw new ExecsimError('EXECSIM_USAGE', `run: no such file or folder: ${p}`);
    files.push(...(isDirectory(p) ? listScenarioFiles(p) : [p]));
  }
  if (shard) {
    const all = files.splice(0);
    files.push(...all.filter((_, i) => i % shard.count === shard.index - 1));
  }
  if (files.length === 0 && shard) {
    ctx.io.out(`shard ${shard.index}/${shard.count}: no scenario files fall to this shard\n`);
    return 0;
  }
  if (files.length === 0) {
    if (positionals.length > 0) throw new ExecsimError('EXECSIM_USAGE', `run: no scenario files (*.json) under ${paths.join(', ')}`);
    return smokeFallback(ctx, values.seed as string | undefined);
  }

  // Validate everything first: a typo in one file must not surface after an hour of runs.
  const loaded: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      loaded.push(await loadScenarioText(readText(file), file, ctx.registry));
    } catch (e) {
      if (e instanceof ExecsimError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ExecsimError('EXECSIM_SCENARIO_INVALID', problems.join('\n'));

  const reporters = new Reporters(reportDir, values.reporter ? String(values.reporter).split(',') : undefined);
  const command = `execsim run ${paths.join(' ')}${shard ? ` --shard ${shard.index}/${shard.count}` : ''}`;
  reporters.onStart({ command, total: loaded.length, reportDir });
  const progress = new Progress('execsim run', loaded.length);
  const t0 = wallMs();
  let ok = 0;
  const failures: string[] = [];
  const failedAs: Record<FailureClass, number> = { safety: 0, liveness: 0, expectation: 0 };
  const refused: ExecsimError[] = [];
  for (const [i, l] of loaded.entries()) {
    let report;
    try {
      report = await executeScenario(l.target, l.scenario, { file: l.file, replayCommand: ctx.replayCommand(l.file, l.target.name) });
    } catch (e) {
      // known only after the run: the others still run and report, then the command exits 2
      if (isExecsimError(e) && e.code === 'EXECSIM_FAULT_NO_EFFECT') {
        refused.push(e);
        continue;
      }
      throw e;
    }
    reporters.onScenario(report);
    progress.update(i + 1, 'scenarios');
    if (report.ok) ok++;
    else {
      const cls = rowOf(report).failedAs;
      if (cls) failedAs[cls]++;
      const evidence = Object.values(report.results).flatMap((r) => (r.valid === false ? r.evidence : []));
      failures.push(
        `✗ ${l.file}: ${report.why}\n` +
          Object.entries(report.results)
            .filter(([, r]) => r.valid === false)
            .map(([p, r]) => `    ${p} (${report.classes[p] ?? 'safety'}): ${r.summary}\n`)
            .join('') +
          textTimeline(report.events, { max: 30, evidence })
            .split('\n')
            .map((line) => (line ? `    ${line}` : line))
            .join('\n') +
          (report.timeline ? `    timeline: ${report.timeline}\n` : '') +
          `    replay: ${report.replayCommand}\n`,
      );
    }
  }
  progress.end();
  reporters.onEnd({
    command,
    total: loaded.length,
    ok,
    failed: loaded.length - ok,
    wallMs: wallMs() - t0,
    ...(refused.length > 0 ? { refused: refused.flatMap((e) => e.message) } : {}),
  });
  for (const f of failures) ctx.io.out(f);
  const byClass = Object.entries(failedAs)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`)
    .join(', ');
  if (refused.length > 0) {
    for (const e of refused) ctx.io.err(`execsim: ${e.message}\n`);
    ctx.io.out(`${refused.length} scenario${refused.length === 1 ? '' : 's'} refused: a fault took no effect (reports in ${reportDir}/)\n`);
    return 2;
  }
  ctx.io.out(
    `${ok}/${loaded.length} scenarios as expected${failures.length ? `, ${failures.length} not (${byClass})` : ''} (reports in ${reportDir}/)\n`,
  );
  if (failures.length === 0) return 0;
  return values['exit-by-class'] === true ? exitOfClasses(failedAs) : 1;
}

async function smokeFallback(ctx: CliContext, seedText: string | undefined): Promise<number> {
  ctx.io.err('execsim run: no scenario files under scenarios/; running the built-in smoke world instead\n');
  return smokeCommand(ctx, seedText === undefined ? [] : ['--seed', seedText]);
}

/** `execsim smoke [--seed S]`: the protocol-free smoke world and its trace hash. */
export async function smokeCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('smoke', args, { seed: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    ctx.io.out(
      'execsim smoke [--seed S]\n\nRuns the built-in smoke world (every kernel feature, no protocol) and prints its trace hash.\n',
    );
    return 0;
  }
  const seed = intOption(values.seed, 'seed', 1);
  const r = await runSmokeWorld(seed);
  ctx.io.out(
    `smoke world seed=${seed}: ${r.run.status} at ${formatTime(r.run.timeMs)}, ${r.events} trace events, ${r.errors} actor errors\n` +
      `trace sha256 ${r.traceHash}\n`,
  );
  return r.errors === 0 ? 0 : 1;
}
