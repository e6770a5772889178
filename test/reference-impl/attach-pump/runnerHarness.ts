/** A runner in a world, and a tester host that drives it with raw requests and sockets. */
import { expect } from 'vitest';
import { createWorld, type World } from '../../../sim/index.ts';
import { Inbox, TIMED_OUT, isNetError, type InboxItem, type Ports, type ProcessScript, type WsSocket } from '../../../sim/ports/index.ts';
import { HEALTHY, type RunnerHooks } from '../../../reference-impl/attach-pump/runner/attachLoop.ts';
import { Runner } from '../../../reference-impl/attach-pump/runner/server.ts';
import { PONG, attachPath, parseServerFrame, statusPath, type ServerFrame } from '../../../reference-impl/attach-pump/wire.ts';

export const BASE = 'runner:8080';

export function setup(script: ProcessScript, o: { hooks?: RunnerHooks; backlogBytesMax?: number; subscriberChunksMax?: number } = {}) {
  const world = createWorld({ seed: 5 });
  const runner = new Runner(world.host('runner'), world.host('box').proc, {
    sizes: { backlogBytesMax: o.backlogBytesMax ?? 256 * 1024, subscriberChunksMax: o.subscriberChunksMax ?? 256 },
    commands: (c) => (c === 'cmd' ? script : undefined),
    hooks: o.hooks ?? HEALTHY,
  });
  world.spawn('runner', () => runner.listen(), { daemon: true });
  const t = world.host('tester');
  return { world, runner, t };
}

export async function exec(t: Ports): Promise<string> {
  const r = await t.net.request({ method: 'POST', url: `http://${BASE}/boxes/b1/exec`, body: { command: 'cmd' } });
  expect(r.status).toBe(201);
  return (r.body as { execution_id: string }).execution_id;
}

export async function attach(t: Ports, id: string, cursor?: { stdout: number; stderr: number }): Promise<WsSocket | number> {
  try {
    return await t.net.connect(`ws://${BASE}${attachPath('b1', id, cursor)}`);
  } catch (e) {
    if (isNetError(e) && e.status !== undefined) return e.status;
    throw e;
  }
}

/** Every frame until the close (pings answered unless `pong` is false). */
export async function readAll(
  t: Ports,
  s: WsSocket,
  o: { pong?: boolean; forMs?: number } = {},
): Promise<Array<ServerFrame | { type: 'close'; code: number; reason: string; t: number }>> {
  const inbox = new Inbox(s);
  const out: Array<ServerFrame | { type: 'close'; code: number; reason: string; t: number }> = [];
  for (;;) {
    const item: InboxItem | typeof TIMED_OUT = await inbox.nextWithin(t.clock, o.forMs ?? 600_000);
    if (item === TIMED_OUT) return out;
    if (item.type === 'close') {
      out.push({ type: 'close', code: item.code, reason: item.reason, t: t.clock.now() });
      return out;
    }
    const f = parseServerFrame(item.data, item.isBinary);
    if (f.type === 'ping' && o.pong !== false) s.send(PONG);
    out.push(f);
  }
}

export const outText = (frames: Array<{ type: string }>) =>
  frames
    .filter((f): f is Extract<ServerFrame, { type: 'output' }> => f.type === 'output')
    .map((f) => `${f.stream}:${Buffer.from(f.data).toString()}`)
    .join('|');

export async function go(world: World, fn: () => Promise<void>): Promise<void> {
  let err: unknown;
  let done = false;
  world.spawn('tester', () =>
    fn().then(
      () => {
        done = true;
      },
      (e: unknown) => {
        err = e;
      },
    ),
  );
  await world.run(3_600_000);
  if (err) throw err;
  expect(world.errors).toEqual([]);
  expect(done).toBe(true);
}
