import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcStat } from '../../sim/ports/index.ts';
import { createWorld } from '../../sim/world.ts';

describe('proc: pid reuse', () => {
  it('a reused pid is told apart only by its start time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 10, maxLength: 30 }),
        async (space, lifetimes) => {
          const world = createWorld({ seed: 1, proc: { pidMin: 100, pidMax: 100 + space - 1 } });
          const h = world.host('h');
          const seen: ProcStat[] = [];
          world.spawn('h', async () => {
            for (const life of lifetimes) {
              const p = h.proc.spawn({ name: 'job', cmdline: 'job --same-cmdline' });
              seen.push(h.proc.stat(p.pid) as ProcStat);
              await h.clock.sleep(life);
              p.exit(0);
              await h.clock.sleep(1);
            }
          });
          await world.run();
          const byPid = new Map<number, ProcStat[]>();
          for (const s of seen) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
          // with more processes than pids, pids repeat...
          expect([...byPid.values()].some((l) => l.length > 1)).toBe(true);
          for (const list of byPid.values()) {
            // ...with identical name and cmdline: only the start time differs
            expect(new Set(list.map((s) => `${s.name}|${s.cmdline}`)).size).toBe(1);
            expect(new Set(list.map((s) => s.startTimeTicks)).size).toBe(list.length);
          }
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });

  it('pid-reuse gives a dead process pid to an unrelated process', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    let before: ProcStat | undefined;
    let after: ProcStat | undefined;
    world.schedule([
      { at: 10, kind: 'pid-reuse', target: 'daemon' },
      { at: 20, kind: 'kill', target: 'daemon', signal: 'SIGKILL' },
    ]);
    world.spawn('h', async () => {
      const d = h.proc.spawn({ name: 'daemon', cmdline: 'csa daemon --session S1' });
      before = h.proc.stat(d.pid);
      await h.clock.sleep(1_500);
      after = h.proc.stat(d.pid);
      h.proc.kill(d.pid, 0); // alive says kill(pid, 0): fooled
      expect(d.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    });
    await world.run();
    expect(world.errors).toEqual([]);
    expect(after?.pid).toBe(before?.pid);
    expect(after?.cmdline).not.toContain('S1');
    expect(after?.startTimeTicks).toBeGreaterThan(before?.startTimeTicks as number);
  });
});

describe('proc: lifecycle', () => {
  it('a zombie still answers kill(pid, 0); a reaped process gives ESRCH', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    const probes: string[] = [];
    world.spawn('h', async () => {
      const p = h.proc.spawn({ name: 'z', zombieMs: 100 });
      p.exit(3);
      const probe = () => {
        try {
          h.proc.kill(p.pid, 0);
          probes.push(h.proc.stat(p.pid)?.state ?? '?');
        } catch (e) {
          probes.push((e as { code: string }).code);
        }
      };
      probe();
      await h.clock.sleep(100);
      probe();
    });
    await world.run();
    expect(probes).toEqual(['Z', 'ESRCH']);
  });

  it('a script writes its output at its times, exits, and closes after its child lets go of the pipes', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    const log: string[] = [];
    world.spawn('h', async () => {
      const p = h.proc.run(
        {
          steps: [
            { atMs: 5, stream: 'stdout', data: 'a' },
            { atMs: 7, stream: 'stderr', data: 'b' },
          ],
          end: { atMs: 10, code: 7 },
          childHoldsPipesMs: 50,
        },
        { name: 'job' },
      );
      p.on('output', (s, c) => log.push(`${h.clock.now()} ${s} ${Buffer.from(c).toString()}`));
      p.on('exit', (s) => log.push(`${h.clock.now()} exit ${s.code}`));
      p.on('close', () => log.push(`${h.clock.now()} close`));
      const group = h.proc.list().filter((s) => s.pgrp === p.pid);
      log.push(`group ${group.length}`);
      await p.closed();
      log.push(`group after ${h.proc.list().filter((s) => s.pgrp === p.pid).length}`);
    });
    await world.run();
    expect(log).toEqual(['group 1', '5 stdout a', '7 stderr b', '10 exit 7', '60 close', 'group after 0']);
  });

  it('signals: a handler may catch SIGTERM; SIGKILL always kills', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    const log: string[] = [];
    world.spawn('h', async () => {
      const p = h.proc.spawn({ name: 'd' });
      p.onSignal((s) => {
        log.push(`caught ${s}`);
        p.exit(143);
      });
      p.kill('SIGTERM');
      log.push(JSON.stringify(await p.wait()));
      const q = h.proc.spawn({ name: 'e' });
      q.onSignal(() => log.push('never'));
      q.kill('SIGKILL');
      log.push(JSON.stringify(await q.wait()));
    });
    await world.run();
    expect(log).toEqual(['caught SIGTERM', '{"code":143,"signal":null}', '{"code":null,"signal":"SIGKILL"}']);
  });

  it('a script echoes stdin when told to', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    const out: string[] = [];
    world.spawn('h', async () => {
      const p = h.proc.run({ steps: [], end: { atMs: 100, code: 0 }, echoStdinAfterMs: 3 }, { name: 'cat' });
      p.on('output', (_s, c) => out.push(`${h.clock.now()}:${Buffer.from(c).toString()}`));
      await h.clock.sleep(10);
      p.stdin('hi');
      await p.wait();
    });
    await world.run();
    expect(out).toEqual(['13:hi']);
  });
});

describe('proc: ground truth records', () => {
  it('keeps what every process really wrote and how it ended', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('h');
    world.spawn('h', async () => {
      const p = h.proc.run({ steps: [{ atMs: 5, stream: 'stdout', data: 'hi' }], end: { atMs: 9, signal: 'SIGTERM' } }, { name: 'job' });
      await p.closed();
    });
    await world.run();
    const [rec] = world.proc.records;
    expect(rec).toMatchObject({
      name: 'job',
      host: 'h',
      spawnedAt: 0,
      exit: { t: 9, status: { code: null, signal: 'SIGTERM' } },
      closedAt: 9,
    });
    expect(rec?.output.map((o) => [o.t, o.stream, Buffer.from(o.data).toString()])).toEqual([[5, 'stdout', 'hi']]);
  });
});
