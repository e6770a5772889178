/** `execsim serve [--port P]`: the reference exec-server on loopback, running real commands. */
import { serveForever } from '../real/serve.ts';
import { intOption, parse } from './args.ts';
import type { CliContext } from './context.ts';

export const SERVE_USAGE = `execsim serve [--port P] [--listen ws://127.0.0.1:P] [--detached-ttl-ms MS]

Starts the reference codex exec-server on loopback (real WebSockets, real child processes) and
prints its URL when ready. Stops, with every child it started, on Ctrl-C or SIGTERM.
--listen takes the codex binary's form, so the same command template fits both.
`;

export async function serveCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('serve', args, {
    port: { type: 'string' },
    listen: { type: 'string' },
    'detached-ttl-ms': { type: 'string' },
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
  return serveForever({ port, ...(ttl !== undefined ? { detachedTtlMs: ttl } : {}) }, (line) => ctx.io.out(line));
}
