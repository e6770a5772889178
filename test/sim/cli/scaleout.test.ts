import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';
import { explore, planBatches, BATCH_RUNS } from '../../../sim/explore/explore.ts';
import { seedFromCommit } from '../../../sim/host/git.ts';
import { exploreParallel, lanesFor, MIN_RUNS_PER_LANE, MIN_RUNS_PER_LANE_EVERY_CORE, payBackRuns } from '../../../sim/host/pool.ts';
import { pumpTarget } from '../../fixtures/pumpTarget.ts';

const TARGET = 'test/fixtures/pumpTarget.ts';
/** An Io that records; `cores` as the lane policy sees them (8: a core to spare beside 3 lanes). */
const capture = (cores = 8): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', cores, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
const tmp = () => mkdtempSync(join(tmpdir(), 'execsim-scale-'));
const withoutTiming = (json: string) => {
  const j = JSON.parse(json) as Record<string, unknown>;
  delete j.timing;
  return j;
};
/** One `explore --json` of the pump fixture: its report without timings, and what it said on stderr. */
async function exploreJson(variant: string, runs: number, workers: string, dir: string, cores?: number) {
  const io = capture(cores);
  await main(
    [
      'explore',
      '--target',
      `${TARGET}:${variant}`,
      '--runs',
      String(runs),
      '--seed',
      '11',
      '--workers',
      workers,
      '--json',
      '--save',
      dir,
      '--report',
      dir,
    ],
    io,
  );
  return { out: withoutTiming(io.stdout), note: io.stderr };
}

describe('--workers: the result for a seed never depends on N', () => {
  it('a violation and a clean run come out identical in one process and on a pool of 2 or 3 lanes (the main thread is one)', async () => {
    for (const variant of ['early-exit', 'wait-close']) {
      const opts = { target: pumpTarget, variant, runs: 600, seed: 11, mode: 'safety' as const };
      const one = await explore(opts);
      for (const lanes of [2, 3]) expect(await exploreParallel(opts, lanes, { module: TARGET })).toEqual(one);
    }
  }, 90_000);

  it('the command gives the same --json report with --workers 1, 2 and 3, and says when it uses fewer lanes than asked', async () => {
    for (const [variant, runs] of [
      ['early-exit', 600],
      ['wait-close', 2_000],
    ] as const) {
      const outs = [];
      const notes = [];
      const dir = tmp();
      for (const workers of ['1', '2', '3']) {
        const r = await exploreJson(variant, runs, workers, dir);
        outs.push(r.out);
        notes.push(r.note);
      }
      expect(outs[1]).toEqual(outs[0]);
      expect(outs[2]).toEqual(outs[0]);
      expect(notes[0]).toBe('');
      if (runs === 600) {
        expect(notes[1]).toContain('--workers 2: 600 runs in 3 batches are too few to pay back another lane');
        expect(notes[2]).toContain('--workers 3: 600 runs in 3 batches are too few to pay back 2 more lanes');
      } else {
        // 2,000 runs: two lanes pay back, a third does not
        expect(notes[1]).toBe('');
        expect(notes[2]).toContain('--workers 3: 2000 runs in 8 batches are too few to pay back another lane');
        expect(notes[2]).toContain('exploring on 2 lanes, with the same result');
      }
    }
  }, 120_000);

  it('a lane needs MIN_RUNS_PER_LANE runs and a batch of its own while a core is spare', () => {
    expect(lanesFor(2, MIN_RUNS_PER_LANE * 2 - 1, 8, 8)).toBe(1);
    expect(lanesFor(2, MIN_RUNS_PER_LANE * 2, 8, 8)).toBe(2);
    expect(lanesFor(4, MIN_RUNS_PER_LANE * 100, 3, 8)).toBe(3);
    expect(lanesFor(1, MIN_RUNS_PER_LANE * 100, 400, 8)).toBe(1);
    expect(lanesFor(3, 1, 1, 8)).toBe(1);
  });

  it('with a lane on every core, each lane needs MIN_RUNS_PER_LANE_EVERY_CORE runs', () => {
    expect(payBackRuns(2, 2)).toBe(MIN_RUNS_PER_LANE_EVERY_CORE);
    expect(payBackRuns(2, 3)).toBe(MIN_RUNS_PER_LANE);
    expect(lanesFor(2, MIN_RUNS_PER_LANE_EVERY_CORE * 2 - 1, 400, 2)).toBe(1);
    expect(lanesFor(2, MIN_RUNS_PER_LANE_EVERY_CORE * 2, 400, 2)).toBe(2);
    // 3 lanes on 2 cores would need 30,000 runs; 2 lanes on 2 cores 20,000
    expect(lanesFor(3, 25_000, 400, 2)).toBe(2);
    // 3 lanes on 4 cores leave one spare; 4 on 4 need 40,000
    expect(lanesFor(3, 25_000, 400, 4)).toBe(3);
    expect(lanesFor(4, 39_999, 400, 4)).toBe(3);
    expect(lanesFor(4, 40_000, 400, 4)).toBe(4);
    // one core: a second lane never has a core to spare
    expect(lanesFor(2, 19_999, 400, 1)).toBe(1);
  });

  it('the command says why it runs fewer lanes on a machine with a lane on every core, with the same report', async () => {
    const dir = tmp();
    const outs = [];
    const notes = [];
    for (const workers of ['1', '2']) {
      const r = await exploreJson('wait-close', 2_000, workers, dir, 2);
      outs.push(r.out);
      notes.push(r.note);
    }
    expect(outs[1]).toEqual(outs[0]);
    expect(notes[0]).toBe('');
    expect(notes[1]).toContain('--workers 2: 2000 runs in 8 batches are too few to pay back another lane');
    expect(notes[1]).toContain(`cost about ${MIN_RUNS_PER_LANE_EVERY_CORE} runs' worth, with a lane on every one of the 2 cores`);
    expect(notes[1]).toContain('exploring on 1 lane, with the same result');
  }, 60_000);
});

describe('--shard i/n', () => {
  it('shards take disjoint batches that together make the whole exploration', () => {
    const all = planBatches(5, 2_100).map((b) => b.index);
    const parts = [1, 2, 3].map((i) => planBatches(5, 2_100, { index: i, count: 3 }).map((b) => b.index));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(all);
    expect(new Set(parts.flat()).size).toBe(all.length);
    expect(planBatches(5, 2_100).map((b) => b.runs)).toEqual([...Array(8).fill(BATCH_RUNS), 100]);
    // a batch is the same batch in any shard
    expect(planBatches(5, 2_100, { index: 2, count: 3 })[0]).toEqual(planBatches(5, 2_100)[1]);
  });

  it('explore shards add up to the whole run count; run shards split the files; merge-reports joins them', async () => {
    let runs = 0;
    for (const shard of ['1/2', '2/2']) {
      const io = capture();
      expect(
        await main(['explore', '--target', `${TARGET}:wait-close`, '--runs', '700', '--seed', '4', '--shard', shard, '--json'], io),
      ).toBe(0);
      const j = JSON.parse(io.stdout) as { runsExecuted: number; shard: string };
      expect(j.shard).toBe(shard);
      runs += j.runsExecuted;
    }
    expect(runs).toBe(700);

    const dir = tmp();
    const out = tmp();
    const scen = (seed: number, expect: unknown) =>
      JSON.stringify({
        format: 1,
        target: 'test-pump',
        variant: 'early-exit',
        seed,
        mode: 'safety',
        workload: { chunks: [{ gapMs: 5, bytes: 9, stream: 'stdout' }], exitAfterMs: 0, exitCode: 0, pumpDelayMsMax: 40 },
        faults: [],
        expect,
      });
    writeFileSync(join(dir, 'a.json'), scen(1, { violates: ['no-lost-output'] }));
    writeFileSync(join(dir, 'b.json'), scen(2, 'pass'));
    writeFileSync(join(dir, 'c.json'), scen(3, 'pass'));
    const names: string[][] = [];
    for (const shard of ['1/2', '2/2']) {
      const io = capture();
      await main(['run', dir, '--target', TARGET, '--shard', shard, '--report', join(out, `r${shard[0]}`)], io);
      const s = JSON.parse(readFileSync(join(out, `r${shard[0]}`, 'summary.json'), 'utf8')) as { scenarios: Array<{ name: string }> };
      names.push(s.scenarios.map((x) => x.name));
    }
    expect(names).toEqual([['a', 'c'], ['b']]);
    const io = capture();
    const code = await main(['merge-reports', join(out, 'r1'), join(out, 'r2'), '--out', join(out, 'merged')], io);
    const merged = JSON.parse(readFileSync(join(out, 'merged', 'summary.json'), 'utf8')) as {
      total: number;
      ok: number;
      complete: boolean;
      scenarios: Array<{ name: string; ok: boolean }>;
    };
    expect(merged.scenarios.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(merged.total).toBe(3);
    expect(merged.complete).toBe(true);
    expect(code).toBe(merged.ok === 3 ? 0 : 1);
    const junit = readFileSync(join(out, 'merged', 'junit.xml'), 'utf8');
    expect(junit).toContain('name="a › no-lost-output"');
    expect(junit).toContain('name="c › no-lost-output"');
    expect(io.stdout).toMatch(/^merged 2 reports: \d\/3 scenarios as expected/);
  }, 60_000);

  it('rejects a bad shard and a missing report', async () => {
    for (const [argv, re] of [
      [['explore', '--target', `${TARGET}:wait-close`, '--shard', '3/2'], /--shard: expected i\/n with 1 <= i <= n/],
      [['run', '--shard', 'x'], /--shard: expected i\/n/],
      [['merge-reports', '/no/such'], /summary.json does not exist/],
      [['explore', '--target', `${TARGET}:wait-close`, '--seed', '1', '--seed-from-commit'], /not both/],
    ] as Array<[string[], RegExp]>) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr).toMatch(re);
    }
  });
});

describe('--seed-from-commit', () => {
  it('takes the seed from the commit hash, reproducibly', async () => {
    expect(seedFromCommit('ffffffff0000')).toBe(-1);
    expect(seedFromCommit('0000002a9999')).toBe(42);
    const io = capture();
    await main(['explore', '--target', `${TARGET}:wait-close`, '--runs', '10', '--seed-from-commit'], io);
    expect(io.stdout).toMatch(/seed -?\d+ from commit [0-9a-f]{12}/);
  });
});
