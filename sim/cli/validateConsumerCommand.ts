/**
 * `execsim validate --client codex[@VERSION] | "CMD {url}" --protocol codex-exec-server`: a real
 * consumer of the codex exec-server protocol (codex's own unified exec, or any command printing
 * the JSON lines of README.md) against the reference exec-server behind the fault proxy, with the
 * simulator's verdict on the modelling variant beside each real one. Exit 0 when every property
 * holds on the real consumer, 1 when one is violated, 2 on bad usage or a consumer that never
 * starts a process.
 */
import { wallMs } from '../host/hostIo.ts';
import { consumerTable, writeConsumerReport } from '../real/validate/codexClient/consumerReport.ts';
import { validateConsumer } from '../real/validate/codexClient/validateConsumer.ts';
import { intOption, oneOf, parse } from './args.ts';
import type { CliContext } from './context.ts';

export const VALIDATE_CONSUMER_USAGE = `execsim validate --client codex[@VERSION] | "CMD ... {url} ..." --protocol codex-exec-server
                 [--model VARIANT] [--cases c1,c2] [--yield-ms MS] [--report DIR] [--json]

Serves the reference exec-server on loopback (its process scripted: output and ending known)
behind the fault proxy and runs one consumer process per case: codex (the pinned @openai/codex
from npm, 0.169.0 by default, fetched on first use into ~/.cache/execsim/; \`codex exec --json\`
with a scratch CODEX_HOME, a loopback mock of the Responses API scripting one exec_command call,
CODEX_EXEC_SERVER_URL at the proxy), or CMD ({url}: the exec-server's ws:// URL; it prints the
JSON lines of README.md "Validating an exec-server consumer"). Faults are exec-stream's own
kinds: transport cuts, lag and refused reconnects through the proxy, legacy-server,
notification-reorder, read-error, retention-size and exit-watcher-lost in the server. Each run is
judged with the exec-stream checkers and the same case runs in the simulator on --model (default
v1-pushed, codex upstream as modelled). Real time (libfaketime does not reach codex's static
binary). Writes conformance.json, junit.xml, conformance.html to --report (default
reports/validate-consumer/).
`;

export async function validateConsumerCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('validate', args, {
    client: { type: 'string' },
    protocol: { type: 'string' },
    model: { type: 'string' },
    cases: { type: 'string' },
    'yield-ms': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(VALIDATE_CONSUMER_USAGE);
    return 0;
  }
  oneOf(values.protocol, 'protocol', ['codex-exec-server'], 'codex-exec-server');
  const t0 = wallMs();
  const report = await validateConsumer({
    client: String(values.client),
    ...(values.model !== undefined ? { model: String(values.model) } : {}),
    ...(values.cases !== undefined ? { cases: String(values.cases).split(',').filter(Boolean) } : {}),
    yieldMs: intOption(values['yield-ms'], 'yield-ms', 30_000, 250),
    log: (l) => ctx.io.err(l),
    onCase: (c, i, n) => {
      const bad = Object.entries(c.real).filter(([, v]) => v === 'violated').map(([p]) => p);
      ctx.io.err(
        `validate [${i}/${n}] ${c.name}: ${bad.length ? `✗ ${bad.join(', ')}` : '✓'} (${(c.wallMs / 1000).toFixed(1)} s)${c.differs.length ? `; model differs on ${c.differs.join(', ')}` : ''}\n`,
      );
    },
  });
  const files = writeConsumerReport((values.report as string | undefined) ?? 'reports/validate-consumer', report, wallMs() - t0);
  if (values.json) {
    ctx.io.out(JSON.stringify({ conforms: report.conforms, modelMatches: report.modelMatches, outcomesDiffer: report.outcomesDiffer, client: report.client, model: report.model, report: files.html }, null, 2) + '\n');
  } else {
    ctx.io.out(`${report.client.preset ? `${report.client.preset}@${report.client.version}` : report.client.command} against the reference exec-server (real time), model exec-stream:${report.model}\n`);
    ctx.io.out(consumerTable(report));
    for (const c of report.cases)
      for (const [p, r] of Object.entries(c.result.results)) if (r.valid === false) ctx.io.out(`✗ ${p} (${c.name}): ${r.summary}\n`);
    const answers = report.outcomesDiffer.length ? ` (its terminal answer differs on ${report.outcomesDiffer.join(', ')})` : '';
    ctx.io.out(`${report.conforms ? 'every property holds' : 'violations found'}; ${report.modelMatches ? 'the model matches' : 'the model differs'}${answers}; report: ${files.html}\n`);
  }
  return report.conforms ? 0 : 1;
}
