/** The Go runner: routes, the replay backlog, the single attach slot, the cursor extension. */
import { describe, expect, it } from 'vitest';
import type { ProcessScript, WsSocket } from '../../../sim/ports/index.ts';
import { statusPath, type ServerFrame } from '../../../reference-impl/attach-pump/wire.ts';
import { BASE, attach, exec, go, outText, readAll, setup } from './runnerHarness.ts';

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
});
