/**
 * `execsim serve --faults`: exec-stream's server-side fault kinds on the served reference server,
 * with a real child process. A legacy server sends process/exited without sandboxDenied (and the
 * same server without the fault sends it); a transport kind is refused without the proxy.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main, type Io } from '../../../sim/cli/main.ts';
import { serveReference } from '../../../sim/real/serve.ts';
import type { Fault } from '../../../sim/faults/fault.ts';

async function exitedParams(faults: Fault[]): Promise<Record<string, unknown>> {
  const s = await serveReference({ port: 0, faults });
  const ws = new WebSocket(s.url);
  try {
    return await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no process/exited within 10 s')), 10_000);
      ws.on('open', () => {
        ws.send(JSON.stringify({ id: 1, method: 'initialize', params: { clientName: 't' } }));
      });
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { id?: number; method?: string; params?: Record<string, unknown> };
        if (m.id === 1) {
          ws.send(JSON.stringify({ method: 'initialized', params: {} }));
          ws.send(JSON.stringify({ id: 2, method: 'process/start', params: { processId: 'p1', argv: ['sh', '-c', 'echo hi'], cwd: 'file:///tmp', env: {}, tty: false, pipeStdin: false, arg0: null } }));
        }
        if (m.method === 'process/exited') {
          clearTimeout(timer);
          resolve(m.params ?? {});
        }
      });
    });
  } finally {
    ws.close();
    await s.stop();
  }
}

describe('execsim serve --faults', () => {
  it('a legacy-server fault drops sandboxDenied from process/exited; without it the field is sent', async () => {
    expect(await exitedParams([])).toHaveProperty('sandboxDenied', false);
    const legacy = await exitedParams([{ at: 0, kind: 'legacy-server' }]);
    expect(legacy.exitCode).toBe(0);
    expect(legacy).not.toHaveProperty('sandboxDenied');
  }, 30_000);

  it('refuses a transport kind (it needs the proxy) and bad JSON, naming the path (exit 2)', async () => {
    const io: Io & { e: string } = { e: '', out: () => undefined, err: (t: string) => void (io.e += t) };
    expect(await main(['serve', '--faults', '[{"at":0,"kind":"transport-cut","refuseMs":0}]'], io)).toBe(2);
    expect(io.e).toMatch(/--faults\[0\]\.kind: unknown fault kind "transport-cut"/);
    expect(await main(['serve', '--faults', '{nope'], io)).toBe(2);
    expect(io.e).toMatch(/--faults: expected a JSON list/);
  });
});
