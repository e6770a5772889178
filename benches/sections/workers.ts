/**
 * The speedup of `execsim explore --workers 2` over `--workers 1`, both whole commands in fresh
 * processes (start-up, cold JIT and worker start included, as a user runs them), next to the
 * machine's ceiling (./ceiling.ts) measured before and after, so all see the same neighbours.
 * `--workers 2` is the main thread plus one worker thread. Two in-process rows separate the
 * threads' parallelism from the rest: a 1-thread pool against a pool of two worker threads
 * (the main thread only handing out batches, as `--workers 2` was before issue 17). Two
 * `--shard` processes at once give the workload's own ceiling, and every command its CPU time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExploreReport } from '../../sim/explore/explore.ts';
import { exploreParallel } from '../../sim/host/pool.ts';
import { MAIN, now, target } from '../shared.ts';
import { ceiling, type CeilingRow } from './ceiling.ts';

export interface WorkersRow {
  target: string;
  runs: number;
  /** Runs the exploration executed: fewer than `runs` when a batch found a violation (then shrunk, on one lane). */
  runsExecuted: number;
  /** `execsim explore --workers 1`, the whole command. */
  oneMs: number;
  /** `execsim explore --workers 2`, the whole command. */
  twoMs: number;
  /** The command's speedup. */
  speedup: number;
  /** CPU time of each command, all its threads: what a second lane costs over the work. */
  oneCpuMs: number;
  twoCpuMs: number;
  /**
   * Of that, the lanes' threads (the main thread and the worker threads that run batches); the
   * rest is V8's background threads (JIT compilation, parallel and concurrent GC) and tsx's
   * loader-hooks threads. `--workers 1` keeps more than one core busy with them, which two
   * single-threaded CPU-bound processes (the machine's ceiling) do not.
   */
  oneLanesCpuMs: number;
  twoLanesCpuMs: number;
  shardsLanesCpuMs: number;
  /**
   * The speedup these CPU times allow on 2 idle cores: `--workers 1` takes about its lane's CPU
   * (its JIT and GC threads run on the second core), `--workers 2` at least half its CPU.
   */
  idleEstimate: number;
  /** The lanes `--workers 2` ran on (fewer than 2 when the runs are too few to pay back a lane). */
  twoLanes: number;
  /**
   * The same exploration as two `--shard` processes at once (until the later ends): the
   * workload's own ceiling, two lanes with nothing shared but each starting cold, where the hash
   * loop of the machine's ceiling has no start-up, no JIT warm-up and no memory traffic.
   */
  shardsMs: number;
  shardsCpuMs: number;
  shardsSpeedup: number;
  /** speedup over the shards' speedup. */
  ofShards: number;
  /** In-process: a pool of one worker thread, and of two (no main-thread lane). */
  poolOneMs: number;
  twoThreadsMs: number;
  /** A 1-thread pool over a 2-thread pool: the threads' parallelism alone. */
  poolSpeedup: number;
  ceiling: CeilingRow;
  /** speedup over the ceiling's speedup. */
  ofCeiling: number;
  sameResult: boolean;
}

const BIN = new URL('../../sim/cli/bin.js', import.meta.url).pathname;

// Preloaded into each command: its CPU time on exit, all threads and the lanes' threads.
const CPU_PROBE = new URL('./cpuProbe.mjs', import.meta.url).href;

interface Command {
  ms: number;
  /** CPU time of the whole process, every thread. */
  cpuMs: number;
  /** Of that, the threads that ran batches. */
  lanesCpuMs: number;
  /** How many threads ran batches. */
  lanes: number;
  /** The --json report without the timing and the saved file. */
  report: string;
  runsExecuted: number;
}

/** One whole `execsim explore` command (`extra`: --workers N or --shard i/n). */
function command(spec: string, runs: number, extra: string[]): Promise<Command> {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-bench-workers-'));
  const argv = ['--import', CPU_PROBE, BIN, 'explore', '--target', spec, '--runs', String(runs), '--seed', '3', '--json', ...extra];
  argv.push('--report', dir, '--save', dir);
  return new Promise((resolve, reject) => {
    const t0 = now();
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = now() - t0;
      rmSync(dir, { recursive: true, force: true });
      const cpu = /execsim-bench-cpu-ms (\d+) lanes (\d+) count (\d+)/.exec(err);
      if ((code !== 0 && code !== 1) || !cpu)
        return reject(new Error(`bench workers: explore ${extra.join(' ')} exited ${code}: ${err.slice(-1000)}`));
      const report = JSON.parse(out) as Record<string, unknown>;
      // what differs by design: the timing, and where each command saved its violation
      delete report.timing;
      delete report.file;
      delete report.replay;
      resolve({
        ms,
        cpuMs: Number(cpu[1]),
        lanesCpuMs: Number(cpu[2]),
        lanes: Number(cpu[3]),
        report: JSON.stringify(report),
        runsExecuted: Number(report.runsExecuted),
      });
    });
  });
}

export async function workers(name: string, runs: number, ceilingIterations: number): Promise<WorkersRow> {
  const t = await target(name);
  const variant = MAIN[name] as string;
  const spec = `${name}:${variant}`;
  const c1 = await ceiling(ceilingIterations);
  const one = await command(spec, runs, ['--workers', '1']);
  const two = await command(spec, runs, ['--workers', '2']);
  // the workload's own ceiling: the same exploration as two plain processes, nothing shared
  let t0 = now();
  const shards = await Promise.all(['1/2', '2/2'].map((s) => command(spec, runs, ['--shard', s])));
  const shardsMs = now() - t0;
  const c2 = await ceiling(ceilingIterations);
  const opts = { target: t, variant, runs, seed: 3, mode: 'safety' as const };
  t0 = now();
  const poolOne: ExploreReport = await exploreParallel(opts, 1, { mainLane: false });
  const poolOneMs = now() - t0;
  t0 = now();
  const twoThreads: ExploreReport = await exploreParallel(opts, 2, { mainLane: false });
  const twoThreadsMs = now() - t0;
  // the ceiling measured before and after the commands: the mean of both
  const c: CeilingRow = {
    iterations: ceilingIterations,
    oneMs: (c1.oneMs + c2.oneMs) / 2,
    twoMs: (c1.twoMs + c2.twoMs) / 2,
    speedup: (c1.speedup + c2.speedup) / 2,
  };
  const speedup = one.ms / two.ms;
  return {
    target: spec,
    runs,
    runsExecuted: one.runsExecuted,
    oneMs: one.ms,
    twoMs: two.ms,
    speedup,
    oneCpuMs: one.cpuMs,
    twoCpuMs: two.cpuMs,
    oneLanesCpuMs: one.lanesCpuMs,
    twoLanesCpuMs: two.lanesCpuMs,
    shardsLanesCpuMs: shards.reduce((n, r) => n + r.lanesCpuMs, 0),
    twoLanes: two.lanes,
    idleEstimate: one.lanesCpuMs / (two.cpuMs / 2),
    shardsMs,
    shardsCpuMs: shards.reduce((n, r) => n + r.cpuMs, 0),
    shardsSpeedup: one.ms / shardsMs,
    ofShards: speedup / (one.ms / shardsMs),
    poolOneMs,
    twoThreadsMs,
    poolSpeedup: poolOneMs / twoThreadsMs,
    ceiling: c,
    ofCeiling: speedup / c.speedup,
    sameResult: one.report === two.report && JSON.stringify(poolOne) === JSON.stringify(twoThreads),
  };
}
