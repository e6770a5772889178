import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFsError } from '../../sim/ports/index.ts';
import { createWorld } from '../../sim/world.ts';

describe('fs: mtimes from the virtual clock', () => {
  it('stamps each writer with its own granularity and skew', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom('ns' as const, '1s' as const, '2s' as const),
        fc.integer({ min: -5_000, max: 5_000 }),
        async (writeAt, granularity, skew) => {
          const world = createWorld({ seed: 1 });
          const h = world.host('w', { fs: { mtimeGranularity: granularity, mtimeSkewMs: skew } });
          let mtime = NaN;
          world.spawn('w', async () => {
            await h.clock.sleep(writeAt);
            await h.fs.writeFile('/f', 'x');
            mtime = (await h.fs.stat('/f')).mtimeMs;
          });
          await world.run();
          const g = granularity === 'ns' ? 0 : granularity === '1s' ? 1000 : 2000;
          const base = writeAt + skew;
          if (g === 0) expect(mtime).toBe(base);
          else expect(mtime).toBe(Math.floor(base / g) * g);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('a coarse writer can give the later file the earlier or an equal mtime', async () => {
    const world = createWorld({ seed: 1 });
    const fine = world.host('agent', { fs: { mtimeGranularity: 'ns', mtimeSkewMs: 0 } });
    const coarse = world.host('daemon', { fs: { mtimeGranularity: '1s', mtimeSkewMs: 0 } });
    const m: Record<string, number> = {};
    world.spawn('x', async () => {
      await fine.clock.sleep(100_400);
      await fine.fs.writeFile('/result.toml', 'a');
      await fine.clock.sleep(300);
      await coarse.fs.writeFile('/packet.toml', 'b'); // written later, at 100.7 s
      await coarse.clock.sleep(1_000);
      await coarse.fs.writeFile('/packet2.toml', 'b'); // at 101.7 s
      for (const f of ['/result.toml', '/packet.toml', '/packet2.toml']) m[f] = (await fine.fs.stat(f)).mtimeMs;
    });
    await world.run();
    expect(m['/packet.toml']).toBeLessThan(m['/result.toml'] as number); // reordered
    expect(m).toEqual({ '/result.toml': 100_400, '/packet.toml': 100_000, '/packet2.toml': 101_000 });
  });

  it('ns granularity never repeats an mtime, even within one virtual millisecond', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('w');
    const m: number[] = [];
    world.spawn('w', async () => {
      for (let i = 0; i < 5; i++) {
        await h.fs.writeFile(`/f${i}`, 'x');
        m.push((await h.fs.stat(`/f${i}`)).mtimeMs);
      }
    });
    await world.run();
    for (let i = 1; i < m.length; i++) expect(m[i]).toBeGreaterThan(m[i - 1] as number);
  });
});

describe('fs: operations', () => {
  it('rename is atomic and keeps the mtime; readdir is sorted; errors carry Node codes', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('w');
    const out: unknown[] = [];
    world.spawn('w', async () => {
      await h.fs.mkdir('/s/locks', { recursive: true });
      await h.clock.sleep(10);
      await h.fs.writeFile('/s/x.tmp', 'new');
      await h.clock.sleep(10);
      await h.fs.rename('/s/x.tmp', '/s/x');
      out.push((await h.fs.stat('/s/x')).mtimeMs, await h.fs.readFile('/s/x'), await h.fs.exists('/s/x.tmp'));
      await h.fs.writeFile('/s/b', '1');
      await h.fs.writeFile('/s/a', '1');
      out.push(await h.fs.readdir('/s'));
      await h.fs.readFile('/s/missing').catch((e: unknown) => out.push(isFsError(e, 'ENOENT')));
      await h.fs.mkdir('/s').catch((e: unknown) => out.push(isFsError(e, 'EEXIST')));
      await h.fs.unlink('/s/a');
      out.push(await h.fs.exists('/s/a'));
      await h.fs.utimes('/s/b', 5);
      out.push((await h.fs.stat('/s/b')).mtimeMs, (await h.fs.stat('/s/b')).size);
    });
    await world.run();
    expect(world.errors).toEqual([]);
    expect(out).toEqual([10, 'new', false, ['a', 'b', 'locks', 'x'], true, true, false, 5, 1]);
  });
});

describe('fs: faults', () => {
  it('set-mtime rewrites an existing file, or arms itself for the next write', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('w');
    const m: number[] = [];
    world.schedule([
      { at: 50, kind: 'set-mtime', target: '/a', mtimeMs: 7 },
      { at: 50, kind: 'set-mtime', target: '/b', offsetMs: -1_000 },
    ]);
    world.spawn('w', async () => {
      await h.fs.writeFile('/a', 'x');
      await h.clock.sleep(100);
      await h.fs.writeFile('/b', 'y');
      m.push((await h.fs.stat('/a')).mtimeMs, (await h.fs.stat('/b')).mtimeMs);
    });
    await world.run();
    expect(m).toEqual([7, -900]);
  });

  it('torn-read shows a prefix to the next reader only', async () => {
    const world = createWorld({ seed: 1 });
    const h = world.host('w');
    const reads: string[] = [];
    world.schedule([{ at: 5, kind: 'torn-read', target: '/r.toml' }]);
    world.spawn('w', async () => {
      await h.fs.writeFile('/r.toml', 'status = "success"\n');
      await h.clock.sleep(10);
      reads.push(await h.fs.readFile('/r.toml'), await h.fs.readFile('/r.toml'));
    });
    await world.run();
    expect(reads).toEqual(['status = ', 'status = "success"\n']);
  });
});
