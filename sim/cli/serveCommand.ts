/** `execsim serve [--port P]`: the reference exec-server on loopback, running real commands. */
import { ExecsimError } from '../errors.ts';
import type { Fault } from '../faults/fault.ts';
import { serveForever } from '../real/serve.ts';
import { intOption, parse } from './args.ts';
import type { CliContext } from './context.ts';

export const SERVE_USAGE = `execsim serve [--port P] [--listen ws://127.0.0.1:P] [--detached-ttl-ms MS] [--faults JSON] [--time-factor F]

Starts the reference codex exec-server on loopback (real WebSockets, real child processes) and
prints its URL when ready. Stops, with every child it started, on Ctrl-C or SIGTERM, and when
the process that started it dies (even by SIGKILL: it is not left behind holding its port).
--listen takes the codex binary's form, so the same command template fits both.
--faults switches on exec-stream's server-side fault kinds, as in the simulator, \`at\` ms after
the first process/start: a JSON list such as '[{"at":0,"kind":"legacy-server"}]' (legacy-server,
retention-size, exit-watcher-lost, notification-reorder, read-error; see execsim list).
--time-factor F runs the server's timers F times faster than the wall (validate's dilated runs).
`;

export async function serveCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('serve', args, {
    port: { type: 'string' },
    listen: { type: 'string' },
    'detached-ttl-ms': { type: 'string' },
    faults: { type: 'string' },
    'time-factor': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out(SERVE_USAGE);
    return 0;
  }
  let port = intOption(values.port, 'port', 0, 0);
  if (values.listen !== undefined) {
    const { assertLoopback } = await import('../real/net.ts');
    port = Number(assertLoopback(String(values.listen)).port || 0);
  }
  const ttl = values['detached-ttl-ms'] === undefined ? undefined : intOption(values['detached-ttl-ms'], 'detached-ttl-ms', 30_000, 1);
  let faults: Fault[] | undefined;
  if (values.faults !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(values.faults));
    } catch {
      throw new ExecsimError(
        'EXECSIM_USAGE',
        `--faults: expected a JSON list of faults, got ${JSON.stringify(String(values.faults).slice(0, 80))}`,
      );
    }
    const { checkServerFaults } = await import('../real/serverFaults.ts');
    faults = checkServerFaults(parsed, '--faults', false);
  }
  const timeFactor = intOption(values['time-factor'], 'time-factor', 1, 1);
  return serveForever({ port, timeFactor, ...(ttl !== undefined ? { detachedTtlMs: ttl } : {}), ...(faults ? { faults } : {}) }, (line) =>
    ctx.io.out(line),
  );
}
