/**
 * The speedup of exploring on 2 worker threads over 1 (the same batches either way, so the same
 * result), measured on one target with the whole command (worker start-up included).
 */
import { explore, type ExploreReport } from '../../sim/explore/explore.ts';
import { exploreParallel } from '../../sim/host/pool.ts';
import { MAIN, now, target } from '../shared.ts';

export interface WorkersRow {
  target: string;
  runs: number;
  oneMs: number;
  twoMs: number;
  speedup: number;
  sameResult: boolean;
}

export async function workers(name: string, runs: number): Promise<WorkersRow> {
  const t = await target(name);
  const variant = MAIN[name] as string;
  const opts = { target: t, variant, runs, seed: 3, mode: 'safety' as const };
  let t0 = now();
  const one: ExploreReport = await explore(opts);
  const oneMs = now() - t0;
  t0 = now();
  const two: ExploreReport = await exploreParallel(opts, 2);
  const twoMs = now() - t0;
  return {
    target: `${name}:${variant}`,
    runs,
    oneMs,
    twoMs,
    speedup: oneMs / twoMs,
    sameResult: JSON.stringify(one) === JSON.stringify(two),
  };
}
