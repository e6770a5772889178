/**
 * The cursor client fixture (test/fixtures/clients/cursorClient.mjs, validateClient.test.ts's
 * conforming client) must not lose frames that arrive in the same read as the attach's upgrade
 * response. `ws` emits them on the tick after 'open', before the continuation of a promise that
 * resolved on 'open' can listen: the fixture attached its listeners only then, so a frame that
 * came with the upgrade was dropped. On a loaded machine (the client descheduled while the proxy
 * forwards the runner's first frames) this is what a re-attach after the exit looks like: backlog,
 * exit frame and close in one read; the client lost them, saw the close, and reported "output
 * incomplete: WS closed before exit frame (1000)" (the flake of the cursor-variant case, 2 in 4
 * runs at load 11). Here a stub runner writes the upgrade response, the output, the exit frame and
 * the close in one write, every time, so the race is not left to the machine's load.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killGroup } from '../../../sim/real/proc.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT = join(ROOT, 'test/fixtures/clients/cursorClient.mjs');
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server frame (payloads under 126 bytes). */
const frame = (opcode: number, payload: Buffer) => Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
/** A positioned stdout frame (0x11 + u64 offset + bytes), as the runner's cursor attach sends. */
const stdoutAt = (offset: number, text: string) => {
  const head = Buffer.alloc(9);
  head[0] = 0x11;
  head.writeUInt32BE(Math.floor(offset / 0x1_0000_0000), 1);
  head.writeUInt32BE(offset >>> 0, 5);
  return frame(0x2, Buffer.concat([head, Buffer.from(text)]));
};

let server: Server | undefined;
afterEach(() => server?.close());

/** A boxlite REST stub whose every attach answers upgrade, backlog, exit frame and Close 1000 in one write. */
async function coalescingRunner(): Promise<{ url: string; attaches: () => number }> {
  let attaches = 0;
  const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const routes: Record<string, { status: number; body: string }> = {
    'POST /v1/boxes': json(201, { box_id: 'b1' }),
    'POST /v1/boxes/b1/exec': json(201, { execution_id: 'e1' }),
    'GET /v1/boxes/b1/executions/e1': json(200, { status: 'completed', exit_code: 0, stdout_bytes: 6, stderr_bytes: 0 }),
    'DELETE /v1/boxes/b1?force=true': { status: 204, body: '' },
  };
  server = createServer((req, res) => {
    const r = routes[`${req.method} ${req.url}`] ?? json(404, { error: 'no route' });
    req.resume();
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
  });
  server.on('upgrade', (req, socket) => {
    attaches++;
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${WS_GUID}`).digest('base64');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
        stdoutAt(0, 'hello\n'),
        frame(0x1, Buffer.from(JSON.stringify({ type: 'exit', exit_code: 0, stdout_bytes: 6, stderr_bytes: 0 }))),
        frame(0x8, Buffer.from([0x03, 0xe8])),
      ]),
    );
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, attaches: () => attaches };
}

/** Runs the client (its timers x1000: a reconnect's 15 s backoff is 15 ms) to its exit, bounded. */
async function runClient(url: string): Promise<Array<Record<string, unknown>>> {
  const child = spawn(process.execPath, [CLIENT, url, '1000'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the client did not exit within 30 s: ${out}`)), 30_000);
      child.on('exit', () => (clearTimeout(t), resolve()));
    });
  } finally {
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('cursorClient.mjs: frames that come with the upgrade response', () => {
  it('are read: the output, then the exit frame, on the one attach', async () => {
    const runner = await coalescingRunner();
    const lines = await runClient(runner.url);
    expect(lines).toEqual([
      { type: 'stdout', data: 'hello\n' },
      { type: 'result', exitCode: 0 },
    ]);
    expect(runner.attaches()).toBe(1);
  }, 60_000);
});
