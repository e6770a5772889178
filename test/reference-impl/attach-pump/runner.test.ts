import { describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../sim/index.ts';
import { Inbox, TIMED_OUT, isNetError, type InboxItem, type Ports, type ProcessScript, type WsSocket } from '../../../sim/ports/index.ts';
import { HEALTHY, type RunnerHooks } from '../../../reference-impl/attach-pump/runner/attachLoop.ts';
import { Runner } from '../../../reference-impl/attach-pump/runner/server.ts';
import { PONG, attachPath, parseServerFrame, statusPath, type ServerFrame } from '../../../reference-impl/attach-pump/wire.ts';

const BASE = 'runner:8080';

function setup(script: ProcessScript, o: { hooks?: RunnerHooks; backlogBytesMax?: number; subscriberChunksMax?: number } = {}) {
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

async function exec(t: Ports): Promise<string> {
  const r = await t.net.request({ method: 'POST', url: `http://${BASE}/boxes/b1/exec`, body: { command: 'cmd' } });
  expect(r.status).toBe(201);
  return (r.body as { execution_id: string }).execution_id;
}

async function attach(t: Ports, id: string, cursor?: { stdout: number; stderr: number }): Promise<WsSocket | number> {
  try {
    return await t.net.connect(`ws://${BASE}${attachPath('b1', id, cursor)}`);
  } catch (e) {
    if (isNetError(e) && e.status !== undefined) return e.status;
    throw e;
  }
}

/** Every frame until the close (pings answered unless `pong` is false). */
async function readAll(
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

const outText = (frames: Array<{ type: string }>) =>
  frames
    .filter((f): f is Extract<ServerFrame, { type: 'output' }> => f.type === 'output')
    .map((f) => `${f.stream}:${Buffer.from(f.data).toString()}`)
    .join('|');

async function go(world: World, fn: () => Promise<void>): Promise<void> {
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

const AB: ProcessScript = {
  steps: [
    { atMs: 0, stream: 'stdout', data: 'A\n' },
    { atMs: 0, stream: 'stderr', data: 'E\n' },
    { atMs: 200, stream: 'stdout', data: 'B\n' },
  ],
  end: { atMs: 400, code: 3 },
};

describe('the Go runner', () => {
  it('POST starts the command; attach replays the backlog, streams live output, then exit frame and Close 1000', async () => {
    const { world, t } = setup(AB);
    await go(world, async () => {
      const id = await exec(t);
      await t.clock.sleep(100);
      const s = (await attach(t, id)) as WsSocket;
      const frames = await readAll(t, s);
      expect(outText(frames)).toBe('stdout:A\n|stderr:E\n|stdout:B\n');
      const exit = frames.at(-2) as Extract<ServerFrame, { type: 'exit' }>;
      expect(exit).toMatchObject({ type: 'exit', exitCode: 3, totals: { stdout: 4, stderr: 2 } });
      expect(frames.at(-1)).toMatchObject({ type: 'close', code: 1000 });
    });
  });

  it('status: running, then completed with the exit code; 404 for an unknown execution', async () => {
    const { world, t } = setup(AB);
    await go(world, async () => {
      const id = await exec(t);
      const get = (p: string) => t.net.request({ method: 'GET', url: `http://${BASE}${p}` });
      expect((await get(statusPath('b1', id))).body).toMatchObject({ status: 'running' });
      expect((await get(statusPath('b1', id))).body).not.toHaveProperty('exit_code');
      await t.clock.sleep(1_000);
      expect((await get(statusPath('b1', id))).body).toMatchObject({ status: 'completed', exit_code: 3, stdout_bytes: 4, stderr_bytes: 2 });
      expect((await get(statusPath('b1', 'nope'))).status).toBe(404);
      expect((await get(statusPath('other-box', id))).status).toBe(404); // GetForBox: box mismatch
      expect(await attach(t, 'nope')).toBe(404);
    });
  });

  it('every attach replays the whole retained backlog from its head (no resume offset)', async () => {
    const { world, t } = setup(AB);
    await go(world, async () => {
      const id = await exec(t);
      await t.clock.sleep(1_000);
      const first = await readAll(t, (await attach(t, id)) as WsSocket);
      const second = await readAll(t, (await attach(t, id)) as WsSocket);
      expect(outText(first)).toBe('stdout:A\nB\n|stderr:E\n');
      expect(outText(second)).toBe(outText(first));
    });
  });

  it('one attach at a time: 409 before the upgrade until the old loop has marked itself disconnected', async () => {
    const { world, t } = setup({ steps: [], end: { atMs: 60_000, code: 0 } });
    await go(world, async () => {
      const id = await exec(t);
      const s = (await attach(t, id)) as WsSocket;
      expect(await attach(t, id)).toBe(409);
      s.close(1000, 'bye');
      await t.clock.sleep(50);
      const again = await attach(t, id);
      expect(typeof again).toBe('object');
      (again as WsSocket).close(1000);
    });
  });

  it('pings every 15 s; without a pong the loop gives up at the 45 s read deadline, closes 1001 and frees the slot', async () => {
    const { world, t } = setup({ steps: [], end: { atMs: 200_000, code: 0 } });
    await go(world, async () => {
      const id = await exec(t);
      const s = (await attach(t, id)) as WsSocket;
      const start = t.clock.now();
      const frames = await readAll(t, s, { pong: false });
      expect(frames.filter((f) => f.type === 'ping')).toHaveLength(2); // at 15 s and 30 s; 45 s is the deadline
      const close = frames.at(-1) as { type: 'close'; code: number; t: number };
      expect(close.code).toBe(1001);
      expect(close.t - start).toBeGreaterThanOrEqual(45_000);
      expect(close.t - start).toBeLessThan(45_100);
      const again = (await attach(t, id)) as WsSocket;
      expect(typeof again).toBe('object');
      again.close(1000);
    });
  });

  it('with pongs the attach stays up through a silent minute', async () => {
    const { world, t } = setup({ steps: [{ atMs: 70_000, stream: 'stdout', data: 'late\n' }], end: { atMs: 70_000, code: 0 } });
    await go(world, async () => {
      const id = await exec(t);
      const frames = await readAll(t, (await attach(t, id)) as WsSocket);
      expect(frames.filter((f) => f.type === 'ping').length).toBe(4);
      expect(outText(frames)).toBe('stdout:late\n');
      expect(frames.at(-1)).toMatchObject({ type: 'close', code: 1000 });
    });
  });

  it('Done with pumps blocked: Close 1011 "pump drain timed out" after 2 s, no exit frame; a new attach meanwhile gets 409', async () => {
    let blockedUntil = 0;
    const hooks: RunnerHooks = { writesBlockedUntil: () => blockedUntil, muteExit: () => false };
    const { world, t } = setup({ steps: [{ atMs: 500, stream: 'stdout', data: 'tail\n' }], end: { atMs: 500, code: 0 } }, { hooks });
    await go(world, async () => {
      const id = await exec(t);
      const s = (await attach(t, id)) as WsSocket;
      await t.clock.sleep(400);
      blockedUntil = t.clock.now() + 10_000; // the client stops reading just before the tail
      const reading = readAll(t, s);
      await t.clock.sleep(1_000);
      expect(await attach(t, id)).toBe(409); // the old loop is inside its drain
      const frames = await reading;
      expect(frames.some((f) => f.type === 'exit')).toBe(false);
      expect(frames.at(-1)).toMatchObject({ type: 'close', code: 1011, reason: 'pump drain timed out' });
    });
  });

  it('a write blocked past the 20 s deadline fails the loop (1001) and frees the slot', async () => {
    let blockedUntil = 0;
    const hooks: RunnerHooks = { writesBlockedUntil: () => blockedUntil, muteExit: () => false };
    const { world, t, runner } = setup(
      { steps: [{ atMs: 1_000, stream: 'stdout', data: 'x' }], end: { atMs: 90_000, code: 0 } },
      { hooks },
    );
    await go(world, async () => {
      const id = await exec(t);
      const s = (await attach(t, id)) as WsSocket;
      blockedUntil = 60_000;
      const frames = await readAll(t, s);
      expect(frames.at(-1)).toMatchObject({ type: 'close', code: 1001 });
      const closedAt = (frames.at(-1) as { t: number }).t;
      expect(closedAt).toBeGreaterThanOrEqual(21_000);
      expect(closedAt).toBeLessThan(22_000);
      expect(runner.manager.execs.get(id)?.connected).toBe(false);
    });
  });

  it('a slow subscriber loses live chunks silently when its channel is full; the exit frame still follows', async () => {
    let blockedUntil = 0;
    const hooks: RunnerHooks = { writesBlockedUntil: () => blockedUntil, muteExit: () => false };
    const steps = Array.from({ length: 10 }, (_, i) => ({ atMs: 100 + i, stream: 'stdout' as const, data: `${i}` }));
    const { world, t } = setup({ steps, end: { atMs: 200, code: 0 } }, { hooks, subscriberChunksMax: 3 });
    await go(world, async () => {
      const id = await exec(t);
      const s = (await attach(t, id)) as WsSocket;
      blockedUntil = 150; // stalled while the ten chunks are written
      const frames = await readAll(t, s);
      const out = outText(frames)
        .replace(/stdout:/g, '')
        .replace(/\|/g, '');
      expect(out.length).toBeLessThan(10); // chunks dropped, never announced
      expect(frames.at(-2)).toMatchObject({ type: 'exit', exitCode: 0, totals: { stdout: 10 } });
      expect(world.trace.events.some((e) => e.kind === 'runner.drop')).toBe(true);
    });
  });

  it('cursor attach: positioned frames from the cursor; an expired cursor gets an explicit gap frame; a cursor past the end gets 416', async () => {
    const { world, t } = setup(
      {
        steps: [
          { atMs: 0, stream: 'stdout', data: 'abcdef' },
          { atMs: 0, stream: 'stderr', data: 'xy' },
        ],
        end: { atMs: 10, code: 0 },
      },
      { backlogBytesMax: 4 },
    );
    await go(world, async () => {
      const id = await exec(t);
      await t.clock.sleep(100);
      const frames = await readAll(t, (await attach(t, id, { stdout: 1, stderr: 1 })) as WsSocket);
      // the two pumps interleave freely; per stream the gap comes first
      const stdout = frames.filter((f) => 'stream' in f && f.stream === 'stdout');
      expect(stdout).toEqual([
        { type: 'gap', stream: 'stdout', from: 1, to: 2 },
        { type: 'output', stream: 'stdout', data: new TextEncoder().encode('cdef'), offset: 2 },
      ]);
      expect(frames.filter((f) => 'stream' in f && f.stream === 'stderr')).toEqual([
        { type: 'output', stream: 'stderr', data: new TextEncoder().encode('y'), offset: 1 },
      ]);
      expect(frames.at(-2)).toEqual({ type: 'exit', exitCode: 0, totals: { stdout: 6, stderr: 2 } });
      expect(await attach(t, id, { stdout: 7, stderr: 0 })).toBe(416);
    });
  });

  it('eviction: a done execution leaves 5 to 5.5 min after its exit (reaper ticks); then status and attach are 404', async () => {
    const { world, t } = setup({ steps: [], end: { atMs: 10, code: 0 } });
    await go(world, async () => {
      const id = await exec(t);
      const status = async () => (await t.net.request({ method: 'GET', url: `http://${BASE}${statusPath('b1', id)}` })).status;
      await t.clock.sleep(300_000);
      expect(await status()).toBe(200);
      let at = t.clock.now();
      while ((await status()) === 200) {
        await t.clock.sleep(1_000);
        at = t.clock.now();
      }
      expect(at).toBeGreaterThan(300_000);
      expect(at).toBeLessThanOrEqual(362_000);
      expect(await attach(t, id)).toBe(404);
    });
  });

  it('reaper: a never-attached execution gets SIGHUP after 5 min (the reap clock starts at creation)', async () => {
    const { world, t } = setup({ steps: [], end: { atMs: 3_600_000, code: 0 } });
    await go(world, async () => {
      await exec(t);
      await t.clock.sleep(400_000);
    });
    const rec = world.proc.records.find((p) => p.name === 'cmd');
    expect(rec?.exit?.status.signal).toBe('SIGHUP');
    expect(rec?.exit?.t).toBeGreaterThan(300_000);
    expect(rec?.exit?.t).toBeLessThanOrEqual(331_000);
  });

  it('DELETE kills and evicts at once: later status is 404', async () => {
    const { world, t } = setup({ steps: [], end: { atMs: 3_600_000, code: 0 } });
    await go(world, async () => {
      const id = await exec(t);
      const url = `http://${BASE}${statusPath('b1', id)}`;
      expect((await t.net.request({ method: 'DELETE', url })).status).toBe(204);
      expect((await t.net.request({ method: 'GET', url })).status).toBe(404);
    });
    expect(world.proc.records.find((p) => p.name === 'cmd')?.exit?.status.signal).toBe('SIGKILL');
  });
});
