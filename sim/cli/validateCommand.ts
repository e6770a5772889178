/**
 * `execsim validate --executor "CMD {port}" | codex | reference`: conformance of a real executor
 * to the codex exec-server protocol under network faults. Exit 0 when every required property
 * holds, 1 otherwise, 2 when the executor cannot be started or spoken to (with its stderr tail).
 */
import { ExecsimError, isExecsimError } from '../errors.ts';
import { reportDirOf, writeBadInputReport } from '../report/commandReport.ts';
import { wallMs } from '../host/hostIo.ts';
import type { RunningExecutor } from '../real/validate/executor.ts';
import { writeValidationReport } from '../real/validate/report.ts';
import { DEFAULT_TIME_FACTOR, validate } from '../real/validate/validate.ts';
import { intOption, oneOf, parse } from './args.ts';
import type { CliContext } from './context.ts';

export const VALIDATE_USAGE = `execsim validate --executor "CMD ... {port} ..." | codex | reference
                 [--protocol codex-exec-server] [--executor-version V] [--runs N] [--seed S]
                 [--faults k1,k2] [--workloads w1,w2] [--time-factor F] [--report DIR] [--json]

Starts the executor (CMD gets a free loopback port for {port}; codex runs
npx --yes @openai/codex@0.169.0 exec-server with a scratch CODEX_HOME, fetched on first use;
reference runs execsim serve), puts a fault proxy in front of it, runs a matrix of real commands
(fast exit, large output, interleaved streams, exit codes, a signal, slow output, stdin echo)
under faults (cut and resume, cut in a burst, lag, refused reconnects, cut beyond the TTL), with
a correct client, and judges each run. Writes conformance.json, junit.xml and conformance.html
(with a timeline per violation) to --report (default reports/validate/). Stops the executor and
every child it started at the end, on an error and on Ctrl-C. Loopback only.
Time is dilated: our side (client, proxy, deadlines, the workloads' own waits) runs
--time-factor F (default ${DEFAULT_TIME_FACTOR}) times faster than the wall, and so does the reference
executor (serve --time-factor); the codex binary is static, so its timers run at the wall's rate
(no case waits on them). --time-factor 1 runs at the wall's rate throughout.
Each property of the exec-stream target (plus the wire rules seq-discipline and next-seq) gets
holds, violated or not applicable (with the reason) per fault kind.
Exit 0: every required property holds; 1: a property violated (the last line names each as a
safety or a liveness violation); 2: the executor could not be started or spoken to.
A client instead: validate --client codex[@V] | "CMD {url}" --protocol codex-exec-server (a
consumer of this protocol; --help there), or --client boxlite[@V] | "CMD {url}" (boxlite attach).
`;

export async function validateCommand(ctx: CliContext, args: string[]): Promise<number> {
  // a client under validation (boxlite's REST attach) instead of an executor
  // (loaded on demand: it brings the attach-pump target and the simulator, which `serve` never needs)
  const client = args.flatMap((a, i) => (a === '--client' ? [args[i + 1] ?? ''] : a.startsWith('--client=') ? [a.slice(9)] : []))[0];
  const protocol = args.flatMap((a, i) => (a === '--protocol' ? [args[i + 1] ?? ''] : a.startsWith('--protocol=') ? [a.slice(11)] : []))[0];
  // a consumer of the exec-server protocol (codex's unified exec, or a command speaking it)
  if (client !== undefined && (/^codex(@|$)/.test(client) || protocol === 'codex-exec-server'))
    return (await import('./validateConsumerCommand.ts')).validateConsumerCommand(ctx, args);
  if (client !== undefined) return (await import('./validateClientCommand.ts')).validateClientCommand(ctx, args);
  const { values } = parse('validate', args, {
    executor: { type: 'string' },
    protocol: { type: 'string' },
    'executor-version': { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    workloads: { type: 'string' },
    'time-factor': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(VALIDATE_USAGE);
    return 0;
  }
  if (values.executor === undefined)
    throw new ExecsimError('EXECSIM_USAGE', 'validate: --executor is required ("CMD {port}", codex or reference)');
  oneOf(values.protocol, 'protocol', ['codex-exec-server'], 'codex-exec-server');
  const list = (v: unknown) => (v === undefined ? undefined : String(v).split(',').filter(Boolean));
  const dir = reportDirOf(values.report, 'validate');
  const faults = list(values.faults);
  const workloads = list(values.workloads);
  const timeFactor = intOption(values['time-factor'], 'time-factor', DEFAULT_TIME_FACTOR, 1);
  let running: RunningExecutor | undefined;
  // Ctrl-C: stop the executor (and its children) before leaving
  const onSigint = () => {
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const t0 = wallMs();
  try {
    const report = await validate(
      {
        executor: String(values.executor),
        version: (values['executor-version'] as string | undefined) ?? '0.169.0',
        runs: intOption(values.runs, 'runs', 1, 1),
        seed: intOption(values.seed, 'seed', 1),
        timeFactor,
        ...(faults ? { faults } : {}),
        ...(workloads ? { workloads } : {}),
        onCase: (c, i, n) => {
          const bad = Object.entries(c.results).filter(([, r]) => r.valid === false);
          ctx.io.err(
            `validate [${i}/${n}] ${c.workload} × ${c.fault}: ${bad.length ? `✗ ${bad.map(([p]) => p).join(', ')}` : '✓'} (${(c.wallMs / 1000).toFixed(2)} s wall, ${(c.virtualMs / 1000).toFixed(1)} s ours)${c.faults.length > 0 && c.faultsFrom === null ? ' — its faults never ran: no output came' : ''}\n`,
          );
        },
      },
      (e) => {
        running = e;
        ctx.io.err(`validate: executor pid ${e.pid} listening on ${e.url} (time x${timeFactor})\n`);
      },
    );
    const files = writeValidationReport(dir, report, wallMs() - t0);
    if (values.json) {
      ctx.io.out(
        JSON.stringify(
          {
            conforms: report.conforms,
            executor: report.executor,
            matrix: report.matrix,
            notApplicable: report.notApplicable,
            violatedByClass: report.violatedByClass,
            report: files.html,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const kinds = Object.keys(report.faultKinds);
      const width = Math.max(...Object.keys(report.matrix).map((p) => p.length));
      ctx.io.out(`conformance of ${report.executor.preset ?? report.executor.command} (codex exec-server protocol)\n`);
      ctx.io.out(`${''.padEnd(width)}  ${kinds.map((k) => k.padEnd(20)).join('')}\n`);
      for (const [p, row] of Object.entries(report.matrix))
        ctx.io.out(`${p.padEnd(width)}  ${kinds.map((k) => (row[k] ?? '').padEnd(20)).join('')}\n`);
      for (const [p, row] of Object.entries(report.notApplicable))
        for (const [k, why] of Object.entries(row)) ctx.io.out(`- ${p} × ${k}: not applicable: ${why}\n`);
      for (const c of report.cases) {
        for (const [p, r] of Object.entries(c.results))
          if (r.valid === false) ctx.io.out(`✗ ${p} (${c.workload} × ${c.fault}, ${report.classes[p] ?? 'safety'}): ${r.summary}\n`);
      }
      const byClass = Object.entries(report.violatedByClass)
        .filter(([, ps]) => ps.length > 0)
        .map(([cls, ps]) => `${cls}: ${ps.join(', ')}`)
        .join('; ');
      const casesMs = report.cases.reduce((n, c) => n + c.wallMs, 0);
      ctx.io.out(
        `wall ${((wallMs() - t0) / 1000).toFixed(1)} s: executor start ${(report.executorMs.start / 1000).toFixed(1)} s, ${report.cases.length} cases ${(casesMs / 1000).toFixed(1)} s (slowest ${slowest(report.cases)}), stop ${(report.executorMs.stop / 1000).toFixed(1)} s; time x${report.time.factor}, the executor's: ${report.time.executor}\n`,
      );
      ctx.io.out(`${report.conforms ? 'every required property holds' : `violations found (${byClass})`}; report: ${files.html}\n`);
    }
    return report.conforms ? 0 : 1;
  } catch (e) {
    // an executor that cannot be started or spoken to (exit 2) replaces the old report
    if (isExecsimError(e)) writeBadInputReport(dir, `execsim validate --executor ${String(values.executor)}`, e);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function slowest(cases: ReadonlyArray<{ workload: string; fault: string; wallMs: number }>): string {
  const c = [...cases].sort((a, b) => b.wallMs - a.wallMs)[0];
  return c ? `${c.workload} × ${c.fault} ${(c.wallMs / 1000).toFixed(2)} s` : 'none';
}
