/**
 * Runs per second on one core with faults on (safety mode), and virtual time per wall time, for
 * each target's candidate fix; plus event-log-only runs (the exec-server event log in a world:
 * a producer, a lagging live subscriber and a late one).
 *
 * Each row is measured next to its limit (./limit.ts: runs of the same scheduler shape with no
 * protocol logic), in alternating blocks of CPU time, so a busy neighbour slows both alike: the
 * ratio of the two is the headline, the absolute runs/s only context.
 *
 * The section runs in a process of its own (`throughputInChild`, flags THROUGHPUT_NODE_FLAGS):
 * V8's garbage collector and optimizing compiler on the main thread, so each block's CPU is the
 * work done in it, and none lands on a helper thread whenever the scheduler lets that thread
 * run. The headline is the median of the per-pair ratios, with a bootstrap interval; the sum of
 * the process's CPU over all pairs (the estimator before, `ratioSum`) is kept beside it.
 * Why (issue 17): with the default helper threads the same code read 10-11 points apart across
 * runs at different loads; on the main thread and by the median, 2-8 for the event log, exec-stream
 * and session-wait rows.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExecProcessEventLog } from '../../reference-impl/exec-stream/eventLog/eventLog.ts';
import { runScenario } from '../../sim/runner.ts';
import type { Scenario } from '../../sim/target.ts';
import { createWorld, type World } from '../../sim/world.ts';
import { summarizeRatios, type RatioSummary } from '../ratioStats.ts';
import { cpuMs, MAIN, now, sample, target } from '../shared.ts';
import { limitRun, shapeOf, type RunShape } from './limit.ts';

/** What one block of runs cost. */
export interface BlockCost {
  /** CPU ms of the whole process (every thread). */
  cpu: number;
  /** Wall ms, and ms of GC pauses that began in the block. */
  wall: number;
  gc: number;
  /** Start, performance.now() ms (to place GC entries). */
  t0: number;
}

export interface ThroughputRow {
  target: string;
  runs: number;
  wallMs: number;
  runsPerSec: number;
  virtualToWall: number;
  /** Process CPU ms of the target's runs, and of the limit runs of the same shapes beside them. */
  cpuMs: number;
  limitCpuMs: number;
  /** Runs per CPU second of the limit loop. */
  limitRunsPerSec: number;
  /**
   * The headline: the median over pairs of blocks (BLOCK target runs, BLOCK limit runs of the
   * same shapes, next to each other) of limit CPU over target CPU, in a process whose work is
   * all on its main thread (THROUGHPUT_NODE_FLAGS; offThreadCpuMs shows what was not).
   */
  ratio: number;
  /** 95% bootstrap interval of that median, and the quartiles of the per-pair ratios. */
  ratioInterval: { lo: number; hi: number };
  pairQuartiles: { q1: number; q3: number };
  /** The estimator before: limit CPU over target CPU of the whole process, summed over all pairs. */
  ratioSum: number;
  /** The sums' ratio per fifth of the pairs, to show the drift. */
  roundRatios: number[];
  /** GC pause ms inside target blocks and inside limit blocks. */
  gcMs: { target: number; limit: number };
  /** CPU ms of the process's other threads over all the blocks (null without /proc). */
  offThreadCpuMs: number | null;
  /**
   * How contended the measurement was: involuntary context switches per CPU second over the
   * blocks, and the 1-minute load average before and after. With neighbours the target's ratio
   * still falls by 3-10 points (its run slows more than the limit's small loop): compare ratios
   * taken at alike figures.
   */
  preemptionsPerCpuSec: number;
  loadAverage: number[];
  /** The node flags of the process that measured. */
  nodeFlags: string[];
  /** Mean shape of one run: what the limit reproduces. */
  shape: RunShape;
}

/**
 * V8 flags of the measuring process: the GC and the optimizing compiler on the main thread. With
 * them on helper threads the main thread's CPU leaves out work the target causes (compilation
 * was 100-350 us per target run, GC marking and sweeping more), and the process's CPU charges it
 * to whichever block is running when the helper gets a core: on a busy machine, a later one.
 */
export const THROUGHPUT_NODE_FLAGS = ['--expose-gc', '--single-threaded-gc', '--no-concurrent-recompilation'];

const ROUNDS = 5;
/** Runs per block: a block of target runs and a block of limit runs alternate, in ABBA order. */
export const BLOCK = 20;

/**
 * CPU time of the calling thread in ms, NaN where /proc is missing. The kernel brings this count
 * up to date at scheduler ticks only: good over a whole section, not over a block of a few ms.
 */
const threadMs = (): number => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
};

async function timed(body: () => Promise<void>): Promise<BlockCost> {
  const c0 = cpuMs();
  const t0 = now();
  await body();
  const wall = now() - t0;
  return { cpu: cpuMs() - c0, wall, gc: 0, t0 };
}

/**
 * Times `runs` runs of `one` against limit runs of the same shapes. A first pass over every run
 * takes its shape (and warms the JIT on both loops); then blocks of BLOCK target runs and BLOCK
 * limit runs of the same shapes alternate, in the order TL LT TL LT ..., so each kind follows
 * each kind equally often: the garbage a block leaves is collected in the next one, and run by
 * run alternation charged the limit for the target's garbage (the same event-log runs gave 42%
 * measured target first and 173% limit first). Each pair of blocks gives one ratio; their median
 * drops the pairs a full collection, a compilation or a neighbour's burst landed in, which a sum
 * over all blocks keeps (a 20-run limit block is a few ms: one scavenge of the target's
 * garbage in it moves that pair's ratio by half). Wall time is kept for runs/s and virtual:wall.
 */
async function sideBySide(
  label: string,
  runs: number,
  one: (i: number) => Promise<{ world: World; seed: number }>,
): Promise<ThroughputRow> {
  const shapes: RunShape[] = [];
  const seeds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await one(i);
    shapes.push(shapeOf(r.world));
    seeds.push(r.seed);
    if (i < 100) await limitRun(r.seed, shapes[i] as RunShape);
  }
  let wallMs = 0;
  let virtualMs = 0;
  const cpu0 = cpuMs();
  const thread0 = threadMs();
  const switches0 = process.resourceUsage().involuntaryContextSwitches;
  const load0 = loadavg()[0] as number;
  const pairs: Array<{ t: BlockCost; l: BlockCost }> = [];
  const gcs: Array<{ start: number; ms: number }> = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  const targetBlock = (from: number, to: number): Promise<BlockCost> =>
    timed(async () => {
      for (let i = from; i < to; i++) virtualMs += (await one(i)).world.now();
    });
  const limitBlock = (from: number, to: number): Promise<BlockCost> =>
    timed(async () => {
      for (let i = from; i < to; i++) await limitRun(seeds[i] as number, shapes[i] as RunShape);
    });
  for (let b = 0, from = 0; from < runs; b++, from += BLOCK) {
    const to = Math.min(runs, from + BLOCK);
    let t: BlockCost;
    let l: BlockCost;
    if (b % 2 === 0) {
      t = await targetBlock(from, to);
      l = await limitBlock(from, to);
    } else {
      l = await limitBlock(from, to);
      t = await targetBlock(from, to);
    }
    wallMs += t.wall;
    pairs.push({ t, l });
  }
  const offThread = cpuMs() - cpu0 - (threadMs() - thread0);
  const preempted = process.resourceUsage().involuntaryContextSwitches - switches0;
  const load = [load0, loadavg()[0] as number];
  // GC entries are delivered after the fact: let the last ones in before placing them
  await new Promise((r) => setTimeout(r, 20));
  obs.disconnect();
  for (const p of pairs) for (const c of [p.t, p.l]) for (const g of gcs) if (g.start >= c.t0 && g.start < c.t0 + c.wall) c.gc += g.ms;
  const sum = (kind: 't' | 'l', k: 'cpu' | 'gc') => pairs.reduce((n, p) => n + p[kind][k], 0);
  const roundT = new Array<number>(ROUNDS).fill(0);
  const roundL = new Array<number>(ROUNDS).fill(0);
  pairs.forEach((p, k) => {
    const round = Math.min(ROUNDS - 1, Math.floor((k * BLOCK * ROUNDS) / runs));
    roundT[round] = (roundT[round] as number) + p.t.cpu;
    roundL[round] = (roundL[round] as number) + p.l.cpu;
  });
  const s: RatioSummary = summarizeRatios(pairs.map((p) => p.l.cpu / p.t.cpu));
  const total: RunShape = { tasks: 0, timers: 0, cancelled: 0, fired: 0, instants: 0, messages: 0 };
  for (const shape of shapes) for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] += shape[k];
  for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] = Math.round((total[k] / runs) * 10) / 10;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    target: label,
    runs,
    wallMs,
    runsPerSec: (runs / wallMs) * 1000,
    virtualToWall: virtualMs / wallMs,
    cpuMs: sum('t', 'cpu'),
    limitCpuMs: sum('l', 'cpu'),
    limitRunsPerSec: (runs / sum('l', 'cpu')) * 1000,
    ratio: s.median,
    ratioInterval: { lo: r3(s.lo), hi: r3(s.hi) },
    pairQuartiles: { q1: r3(s.q1), q3: r3(s.q3) },
    ratioSum: sum('l', 'cpu') / sum('t', 'cpu'),
    roundRatios: roundT.map((x, i) => r3((roundL[i] as number) / x)),
    gcMs: { target: Math.round(sum('t', 'gc')), limit: Math.round(sum('l', 'gc')) },
    offThreadCpuMs: Number.isFinite(offThread) ? Math.round(offThread) : null,
    preemptionsPerCpuSec: Math.round((preempted / (sum('t', 'cpu') + sum('l', 'cpu'))) * 1000),
    loadAverage: load.map((x) => Math.round(x * 10) / 10),
    nodeFlags: process.execArgv.filter((a) => a.startsWith('--') && a !== '--import' && !a.startsWith('--import=')),
    shape: total,
  };
}

export async function throughput(runs: number): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const [name, variant] of Object.entries(MAIN)) {
    const t = await target(name);
    const scenarios = sample(t, variant, runs + 100, 11);
    const pick = (i: number): Scenario => scenarios[i < 0 ? runs - 1 - i : i] as Scenario;
    rows.push(
      await sideBySide(`${name}:${variant}`, runs, async (i) => {
        const s = pick(i);
        return { world: (await runScenario(t, s)).world, seed: s.seed };
      }),
    );
  }
  rows.push(
    await sideBySide('event log only (exec-stream)', runs * 5, async (i) => {
      const seed = i < 0 ? 1_000_000 - i : i;
      return { world: await eventLogRun(seed), seed };
    }),
  );
  return rows;
}

/** One event-log run in a world: 48 events in 6 bursts, a live subscriber that lags, a late one. */
export async function eventLogRun(seed: number): Promise<World> {
  const world = createWorld({ seed });
  const h = world.host('log');
  const log = new ExecProcessEventLog({ eventCapacity: 16, byteCapacity: 512 });
  world.spawn('producer', async () => {
    const live = log.subscribe();
    for (let burst = 0; burst < 6; burst++) {
      for (let i = 1; i <= 8; i++)
        log.publish({ type: 'output', seq: burst * 8 + i, stream: 'stdout', chunk: new Uint8Array(8 + ((seed + i) % 24)) });
      if (burst % 2 === 0) while (live.pending > 0) await live.recv();
      await h.clock.sleep(10);
    }
    const late = log.subscribe();
    while (late.pending > 0) await late.recv();
  });
  await world.run();
  return world;
}

/**
 * The section in a fresh process with THROUGHPUT_NODE_FLAGS (and away from the heap and JIT
 * state the bench's earlier sections leave). Its output goes to this process's; the rows come
 * back through a JSON file.
 */
export function throughputInChild(runs: number): ThroughputRow[] {
  const file = join(tmpdir(), `execsim-throughput-${process.pid}.json`);
  const r = spawnSync(
    process.execPath,
    [...THROUGHPUT_NODE_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url), '--runs', String(runs), '--json', file],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`throughput section: child exited ${r.status ?? r.signal}`);
  const rows = JSON.parse(readFileSync(file, 'utf8')) as ThroughputRow[];
  unlinkSync(file);
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (k: string) => process.argv[process.argv.indexOf(k) + 1];
  const runs = Number(arg('--runs'));
  const file = arg('--json');
  if (!process.argv.includes('--runs') || !Number.isInteger(runs) || runs <= 0 || !process.argv.includes('--json') || !file) {
    console.error('usage: node --import tsx benches/sections/throughput.ts --runs N --json FILE');
    process.exit(2);
  }
  writeFileSync(file, JSON.stringify(await throughput(runs)));
}
