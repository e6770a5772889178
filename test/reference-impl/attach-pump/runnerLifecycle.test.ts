/** The Go runner over time: keepalive and deadlines, drain, slow subscribers, reaper, eviction. */
import { describe, expect, it } from 'vitest';
import type { WsSocket } from '../../../sim/ports/index.ts';
import type { RunnerHooks } from '../../../reference-impl/attach-pump/runner/attachLoop.ts';
import { statusPath } from '../../../reference-impl/attach-pump/wire.ts';
import { BASE, attach, exec, go, outText, readAll, setup } from './runnerHarness.ts';

describe('the Go runner', () => {
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
