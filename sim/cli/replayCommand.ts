/**
 * `execsim replay FILE`: re-runs one scenario and prints each property's verdict and the trace
 * hash; identical every time. --trace prints every event; --html writes the timeline.
 */
import { ExecsimError } from '../errors.ts';
import { pathExists, readText } from '../host/hostIo.ts';
import { writeTimeline } from '../report/htmlReporter.ts';
import { describeEvent, laneOf } from '../report/lanes.ts';
import { rowOf } from '../report/summaryJson.ts';
import { loadScenarioText } from '../scenario/load.ts';
import { formatTime } from '../trace.ts';
import { parse } from './args.ts';
import type { CliContext } from './context.ts';
import { executeScenario } from './execute.ts';

export const REPLAY_USAGE = `execsim replay FILE [--trace] [--html OUT] [--target MODULE]... [--json]

Re-runs one scenario exactly: prints each property's verdict, whether the scenario met its
expectation, and the trace hash. Exit 0 when it met its expectation, 1 when not, 2 for a bad file.
`;

export async function replayCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('replay', args, {
    trace: { type: 'boolean' },
    html: { type: 'string' },
    target: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(REPLAY_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new ExecsimError('EXECSIM_USAGE', 'replay: expected exactly one scenario FILE (try: execsim replay --help)');
  const file = positionals[0] as string;
  if (!pathExists(file)) throw new ExecsimError('EXECSIM_USAGE', `replay: no such file: ${file}`);
  await ctx.loadModules((values.target as string[] | undefined) ?? []);
  const { scenario, target } = await loadScenarioText(readText(file), file, ctx.registry);
  const r = await executeScenario(target, scenario, { file, replayCommand: ctx.replayCommand(file, target.name) });
  if (values.html) {
    writeTimeline(String(values.html), r);
  }
  if (values.json) {
    ctx.io.out(
      JSON.stringify(
        {
          file,
          ok: r.ok,
          why: r.why,
          violated: r.violated,
          properties: rowOf(r).properties,
          traceHash: r.traceHash,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    ctx.io.out(
      `${scenario.title ?? file}\n${scenario.target}:${scenario.variant} seed ${scenario.seed}, ${scenario.mode} mode, ${scenario.faults.length} fault${scenario.faults.length === 1 ? '' : 's'}\n`,
    );
    for (const [name, res] of Object.entries(r.results)) {
      const mark = res.notApplicable !== undefined ? '-' : res.valid === true ? '✓' : res.valid === false ? '✗' : '?';
      const cls = res.valid === false ? ` (${r.classes[name] ?? 'safety'})` : '';
      ctx.io.out(`  ${mark} ${name}${cls}: ${res.summary}\n`);
    }
    ctx.io.out(`${r.ok ? 'as expected' : 'NOT as expected'}: ${r.why}\n`);
    if (values.trace) {
      for (const e of r.events)
        ctx.io.out(
          `${formatTime(e.t).padEnd(12)} ${(e.actor === 'faults' ? 'FAULT' : (laneOf(e) ?? e.actor)).padEnd(12)} ${describeEvent(e, 400)}\n`,
        );
    }
    if (values.html) ctx.io.out(`timeline: ${String(values.html)}\n`);
    ctx.io.out(`trace sha256 ${r.traceHash}\n`);
  }
  return r.ok ? 0 : 1;
}
