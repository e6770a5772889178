/**
 * Parallel exploration on worker threads (tinypool, the pool vitest uses). Batches are handed
 * out in order; once a batch fails, later batches are not started, and the result is combined
 * exactly as a single process would combine it, so `--workers N` never changes the outcome for
 * a seed, only how fast it comes.
 */
import { MessageChannel } from 'node:worker_threads';
import { resolve } from 'node:path';
import { Tinypool } from 'tinypool';
import {
  batchRunsOf,
  combine,
  exploreSpace,
  planBatches,
  type BatchResult,
  type ExploreOptions,
  type ExploreReport,
} from '../explore/explore.ts';
import type { BatchTask, WorkerMessage } from './exploreTask.ts';
import { wallMs } from './hostIo.ts';

export async function exploreParallel(opts: ExploreOptions, workers: number, module?: string): Promise<ExploreReport> {
  const space = exploreSpace(opts);
  const plan = planBatches(opts.seed, opts.runs, opts.shard, batchRunsOf(space.explorer));
  const total = plan.reduce((n, b) => n + b.runs, 0);
  const pool = new Tinypool({
    filename: new URL('./exploreWorker.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    isolateWorkers: false,
  });
  const started = wallMs();
  const results: BatchResult[] = [];
  let failingIndex = Infinity;
  let done = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      const batch = plan[next++];
      if (!batch) return;
      if (batch.index > failingIndex) continue;
      const budgetMs = opts.budgetMs !== undefined ? opts.budgetMs - (wallMs() - started) : undefined;
      if (budgetMs !== undefined && budgetMs <= 0) {
        results.push({ index: batch.index, runsExecuted: 0, interrupted: true });
        continue;
      }
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (m: WorkerMessage) => {
        if (m.type === 'runs') opts.onRun?.((done += m.n), total);
        else if (m.batch <= failingIndex) opts.onFailure?.(m.scenario, m.violated);
      });
      const task: BatchTask = {
        target: space.target.name,
        ...(module ? { module: resolve(module) } : {}),
        variant: space.variant,
        mode: space.mode,
        kinds: [...space.kinds],
        maxFaults: space.maxFaults,
        explorer: space.explorer,
        batch,
        ...(budgetMs !== undefined ? { budgetMs } : {}),
        port: port2,
      };
      try {
        const r = (await pool.run(task, { transferList: [port2] })) as BatchResult;
        results.push(r);
        if (r.violation) failingIndex = Math.min(failingIndex, r.index);
      } finally {
        port1.close();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    await pool.destroy();
  }
  return combine(opts, space, results);
}
