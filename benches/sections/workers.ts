/**
 * The speedup of exploring on 2 worker threads over 1 (the same batches either way, so the same
 * result), measured on one target with the whole command (worker start-up included), next to
 * the machine's ceiling (./ceiling.ts) measured in between, so both see the same neighbours.
 * A 1-thread pool separates the pool's start-up and transfer costs from the parallelism.
 */
import { explore, type ExploreReport } from '../../sim/explore/explore.ts';
import { exploreParallel } from '../../sim/host/pool.ts';
import { MAIN, now, target } from '../shared.ts';
import { ceiling, type CeilingRow } from './ceiling.ts';

export interface WorkersRow {
  target: string;
  runs: number;
  /** In-process exploration, no pool. */
  oneMs: number;
  /** A pool of one worker thread. */
  poolOneMs: number;
  twoMs: number;
  /** In-process over 2 workers: the command's speedup. */
  speedup: number;
  /** A 1-thread pool over a 2-thread pool: the parallelism alone. */
  poolSpeedup: number;
  ceiling: CeilingRow;
  /** speedup over the ceiling's speedup. */
  ofCeiling: number;
  sameResult: boolean;
}

export async function workers(name: string, runs: number, ceilingIterations: number): Promise<WorkersRow> {
  const t = await target(name);
  const variant = MAIN[name] as string;
  const opts = { target: t, variant, runs, seed: 3, mode: 'safety' as const };
  let t0 = now();
  const one: ExploreReport = await explore(opts);
  const oneMs = now() - t0;
  const c1 = await ceiling(ceilingIterations);
  t0 = now();
  const poolOne: ExploreReport = await exploreParallel(opts, 1);
  const poolOneMs = now() - t0;
  t0 = now();
  const two: ExploreReport = await exploreParallel(opts, 2);
  const twoMs = now() - t0;
  const c2 = await ceiling(ceilingIterations);
  // the ceiling measured before and after the workers: the mean of both
  const c: CeilingRow = {
    iterations: ceilingIterations,
    oneMs: (c1.oneMs + c2.oneMs) / 2,
    twoMs: (c1.twoMs + c2.twoMs) / 2,
    speedup: (c1.speedup + c2.speedup) / 2,
  };
  const speedup = oneMs / twoMs;
  return {
    target: `${name}:${variant}`,
    runs,
    oneMs,
    poolOneMs,
    twoMs,
    speedup,
    poolSpeedup: poolOneMs / twoMs,
    ceiling: c,
    ofCeiling: speedup / c.speedup,
    sameResult: JSON.stringify(one) === JSON.stringify(two) && JSON.stringify(one) === JSON.stringify(poolOne),
  };
}
