import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../sim/determinism.ts';
import { buildSmokeWorld, runSmokeWorld } from '../../sim/smoke/busyWorld.ts';
import { createWorld } from '../../sim/world.ts';
import { isSkipped, scanSource, scanTree, stripComments } from '../helpers/determinismScan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEEDS = 200;

describe('determinism: one seed, one trace', () => {
  it(`${SEEDS} seeds of the busy world give the same trace hash in this process and in a child process`, async () => {
    const here: Record<number, string> = {};
    for (let seed = 1; seed <= SEEDS; seed++) here[seed] = (await runSmokeWorld(seed)).traceHash;
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/smokeHashes.ts', '1', String(SEEDS)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const there = JSON.parse(out) as Record<number, string>;
    const mismatches = Object.keys(here).filter((s) => here[Number(s)] !== there[Number(s)]);
    expect(mismatches).toEqual([]);
    // and the seeds really differ from one another
    expect(new Set(Object.values(here)).size).toBe(SEEDS);
  }, 60_000);

  it('two runs of one seed agree event by event', async () => {
    for (const seed of [1, 17, 99]) {
      const a = buildSmokeWorld(seed);
      const b = buildSmokeWorld(seed);
      await a.run(120_000);
      await b.run(120_000);
      expect(firstDivergence(a.trace.events, b.trace.events)).toBeUndefined();
    }
  });

  it('the comparison catches a world that reads ambient randomness (it can fail)', async () => {
    const build = () => {
      const w = createWorld({ seed: 1 });
      const h = w.host('leaky');
      // Deliberately nondeterministic: what the scan forbids in sim/ and reference-impl/.
      w.spawn('leaky', async () => h.clock.sleep(Math.floor(Math.random() * 1_000_000)));
      return w;
    };
    const a = build();
    const b = build();
    await a.run();
    await b.run();
    expect(a.traceHash()).not.toBe(b.traceHash());
    const d = firstDivergence(a.trace.events, b.trace.events);
    expect(d?.first).toMatch(/actor\.end/);
  });
});

describe('determinism guard: scan of sim/ and reference-impl/', () => {
  it('finds no direct use of real time, randomness, files or sockets', () => {
    const { files, hits } = scanTree(ROOT, ['sim', 'reference-impl']);
    expect(files).toBeGreaterThan(15);
    expect(hits).toEqual([]);
  });

  it('skips only the real adapters (sim/real/) and host tooling (sim/host/)', () => {
    expect(isSkipped('sim/real/net.ts')).toBe(true);
    expect(isSkipped('sim/host/hostIo.ts')).toBe(true);
    for (const rel of ['sim/net/simNetwork.ts', 'sim/realWorld.ts', 'sim/hostile.ts', 'reference-impl/real/x.ts'])
      expect(isSkipped(rel), rel).toBe(false);
  });

  it('flags each forbidden use (the scan can fail)', () => {
    const bad = [
      'const t = Date.now();',
      'const d = new Date();',
      'const r = Math.random();',
      'const p = performance.now();',
      'const h = process.hrtime.bigint();',
      'setTimeout(() => 1, 5);',
      'setImmediate(go);',
      "import { readFileSync } from 'node:fs';",
      "import * as fs from 'fs/promises';",
      "import WebSocket from 'ws';",
      "import { spawn } from 'node:child_process';",
    ];
    for (const line of bad) expect(scanSource('sim/x.ts', line), line).toHaveLength(1);
  });

  it('does not flag ports, methods, comments or strings about them', () => {
    const ok = [
      'clock.setTimeout(() => 1, 5);',
      'this.fake.setTimeout(fn, 3);',
      '// never call Date.now() here',
      '/* Math.random is banned */',
      "const url = 'ws://server:4000';",
      'setTimeout(fn: () => void, ms: number): TimerHandle {',
      'clearTimeout(handle: TimerHandle | undefined): void;',
    ];
    for (const line of ok) expect(scanSource('sim/x.ts', line), line).toEqual([]);
    expect(stripComments('a /* x\n y */ b')).toBe('a     \n      b');
  });

  it('allows the quiescence barrier its one setImmediate and nothing else', () => {
    expect(scanSource('sim/globals.ts', 'realSetImmediate = setImmediate(r);')).toEqual([]);
    expect(scanSource('sim/globals.ts', 'Date.now()')).toHaveLength(1);
  });
});
