/**
 * `execsim validate --client boxlite[@VERSION] | "CMD {url}"`: a real boxlite-REST attach client
 * against our attach-pump runner under faults, with the simulator's verdict on the modelling
 * variant beside each real one. Exit 0 when every property holds on the real client, 1 when one
 * is violated, 2 on bad usage or a client that cannot be started.
 */
import { wallMs } from '../host/hostIo.ts';
import { differentialText, writeClientReport } from '../real/validate/client/clientReport.ts';
import { validateClient } from '../real/validate/client/validateClient.ts';
import { intOption, parse } from './args.ts';
import type { CliContext } from './context.ts';

export const VALIDATE_CLIENT_USAGE = `execsim validate --client boxlite[@VERSION] | "CMD ... {url} ..."
                 [--time-factor N] [--no-faketime] [--model VARIANT] [--cases c1,c2]
                 [--report DIR] [--json]

Serves the attach-pump reference runner for real on loopback (REST + WebSocket, base {url}/v1)
behind the fault proxy, runs one client process per case (boxlite: the pinned
@boxlite-ai/boxlite from npm, 0.10.0 by default, fetched on first use into
~/.cache/execsim/; CMD: any client printing the JSON lines of README.md "Validating a client"),
under faketime at --time-factor (default 100, as our runner), judges each run with the
attach-pump checkers and runs the same case in the simulator on --model (default: the variant
that claims the client, boxlite-0-10-0 for 0.10.0). Writes conformance.json, junit.xml and
conformance.html to --report (default reports/validate-client/).
`;

export async function validateClientCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('validate', args, {
    client: { type: 'string' },
    'time-factor': { type: 'string' },
    'no-faketime': { type: 'boolean' },
    model: { type: 'string' },
    cases: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(VALIDATE_CLIENT_USAGE);
    return 0;
  }
  const t0 = wallMs();
  const report = await validateClient({
    client: String(values.client),
    factor: intOption(values['time-factor'], 'time-factor', 100, 1),
    faketime: values['no-faketime'] !== true,
    ...(values.model !== undefined ? { model: String(values.model) } : {}),
    ...(values.cases !== undefined ? { cases: String(values.cases).split(',').filter(Boolean) } : {}),
    log: (l) => ctx.io.err(l),
    onCase: (c, i, n) => {
      const bad = Object.entries(c.real).filter(([, v]) => v === 'violated').map(([p]) => p);
      ctx.io.err(`validate [${i}/${n}] ${c.name}: ${bad.length ? `✗ ${bad.join(', ')}` : '✓'} (${(c.wallMs / 1000).toFixed(1)} s)${c.differs.length ? `; model differs on ${c.differs.join(', ')}` : ''}\n`);
    },
  });
  const files = writeClientReport((values.report as string | undefined) ?? 'reports/validate-client', report, wallMs() - t0);
  if (values.json) {
    ctx.io.out(JSON.stringify({ conforms: report.conforms, modelMatches: report.modelMatches, client: report.client, model: report.model, report: files.html }, null, 2) + '\n');
  } else {
    ctx.io.out(`${report.client.preset ? `${report.client.preset}@${report.client.version}` : report.client.command} against the attach-pump runner (time x${report.timeFactor}), model attach-pump:${report.model}\n`);
    ctx.io.out(differentialText(report));
    for (const c of report.cases)
      for (const [p, r] of Object.entries(c.result.results)) if (r.valid === false) ctx.io.out(`✗ ${p} (${c.name}): ${r.summary}\n`);
    ctx.io.out(`${report.conforms ? 'every property holds' : 'violations found'}; ${report.modelMatches ? 'the model matches' : 'the model differs'}; report: ${files.html}\n`);
  }
  return report.conforms ? 0 : 1;
}
