/**
 * Parallel exploration on worker threads (tinypool, the pool vitest uses). Batches are handed
 * out in order; once a batch fails, later batches are not started, and the result is combined
 * exactly as a single process would combine it, so `--workers N` never changes the outcome for
 * a seed, only how fast it comes. The main thread is one of the N lanes (N - 1 threads).
 */
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { resolve } from 'node:path';
import { Tinypool } from 'tinypool';
import {
  batchRunsOf,
  combine,
  exploreBatch,
  exploreSpace,
  planBatches,
  type Batch,
  type BatchResult,
  type ExploreOptions,
  type ExploreReport,
} from '../explore/explore.ts';
import type { BatchTask, WorkerMessage } from './exploreTask.ts';
import { wallMs } from './hostIo.ts';
import { workerBundle } from './workerBundle.ts';

export interface ParallelOptions {
  /** A third-party target module, loaded by path in each worker. */
  module?: string | undefined;
  /**
   * The main thread is one of the N lanes (default): N - 1 worker threads, so the command's own
   * loaded, warm thread works instead of waiting, and one worker start (0.4-0.6 s of CPU: tsx,
   * the modules, a cold JIT) is saved. false: N worker threads (the bench's 1-thread pool).
   */
  mainLane?: boolean;
}

/**
 * Runs a lane must get to pay back its start when the lanes leave a core spare: a worker thread
 * loads the modules (0.1-0.4 s of CPU) and runs its first batches cold (the first 250 cost 2-3
 * times a warm 250 in CPU).
 */
export const MIN_RUNS_PER_LANE = 1_000;

/**
 * Runs each lane must get when there is a lane on every core. V8 compiles the hot code again in
 * each lane's isolate, on background threads: 1.8-3.1 s of CPU over a lane's first 7,500-15,000
 * session-wait runs (`--trace-opt`), as much as 7,000-12,000 warm runs. With one lane that work
 * has the other core to itself; with a lane on every core it takes CPU from the runs. Measured on
 * 2 cores (`npm run bench -- --only workers --workers-runs N`): 2 lanes ran 4,000 runs at 0.86x
 * the speed of 1, 10,000 at 0.87x, 20,000 at 1.03x, 80,000 at 1.52x.
 */
export const MIN_RUNS_PER_LANE_EVERY_CORE = 10_000;

/** What a lane must get to pay back its start, when `lanes` lanes run on `cores` cores. */
export function payBackRuns(lanes: number, cores: number): number {
  return lanes >= cores ? MIN_RUNS_PER_LANE_EVERY_CORE : MIN_RUNS_PER_LANE;
}

/**
 * How many lanes `--workers N` uses for `runs` runs in `batches` batches on `cores` cores: N, or
 * fewer when the runs are too few to pay back a lane (payBackRuns), never more than there are
 * batches. The result for a seed is the same with any number of lanes, so this changes only the
 * speed.
 */
export function lanesFor(workers: number, runs: number, batches: number, cores: number = availableParallelism()): number {
  let lanes = Math.max(1, Math.min(workers, batches, Math.floor(runs / MIN_RUNS_PER_LANE)));
  while (lanes > 1 && runs < lanes * payBackRuns(lanes, cores)) lanes--;
  return lanes;
}

/** While the main thread runs a batch, it yields this often (ms) so the pool's replies are handled. */
const YIELD_EVERY_MS = 10;

export async function exploreParallel(opts: ExploreOptions, workers: number, parallel: ParallelOptions = {}): Promise<ExploreReport> {
  const { module } = parallel;
  const mainLane = parallel.mainLane ?? true;
  const space = exploreSpace(opts);
  const plan = planBatches(opts.seed, opts.runs, opts.shard, batchRunsOf(space.explorer));
  const total = plan.reduce((n, b) => n + b.runs, 0);
  const threads = mainLane ? workers - 1 : workers;
  // a built-in target's worker from one bundle in a checkout (workerBundle.ts), else through tsx
  const bundled = threads > 0 && !module ? await workerBundle(space.target.name) : undefined;
  const pool =
    threads > 0
      ? new Tinypool({
          filename: bundled ?? new URL('./exploreWorker.mjs', import.meta.url).href,
          minThreads: threads,
          maxThreads: threads,
          isolateWorkers: false,
        })
      : undefined;
  const started = wallMs();
  const results: BatchResult[] = [];
  let failingIndex = Infinity;
  let done = 0;
  let next = 0;
  /** The next batch to run, or a result for one that is skipped; undefined when none is left. */
  const take = (): { batch: Batch; budgetMs: number | undefined } | undefined => {
    for (;;) {
      const batch = plan[next++];
      if (!batch) return undefined;
      if (batch.index > failingIndex) continue;
      const budgetMs = opts.budgetMs !== undefined ? opts.budgetMs - (wallMs() - started) : undefined;
      if (budgetMs !== undefined && budgetMs <= 0) {
        results.push({ index: batch.index, runsExecuted: 0, interrupted: true });
        continue;
      }
      return { batch, budgetMs };
    }
  };
  const finished = (r: BatchResult): void => {
    results.push(r);
    if (r.violation) failingIndex = Math.min(failingIndex, r.index);
  };
  const threadLane = async (p: Tinypool): Promise<void> => {
    for (let t = take(); t; t = take()) {
      const { batch, budgetMs } = t;
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
        finished((await p.run(task, { transferList: [port2] })) as BatchResult);
      } finally {
        port1.close();
      }
    }
  };
  const mainThreadLane = async (): Promise<void> => {
    let yielded = wallMs();
    const pause = (): Promise<void> | undefined => {
      if (wallMs() - yielded < YIELD_EVERY_MS) return undefined;
      return new Promise<void>((resume) =>
        setImmediate(() => {
          yielded = wallMs();
          resume();
        }),
      );
    };
    for (let t = take(); t; t = take()) {
      const { batch, budgetMs } = t;
      finished(
        await exploreBatch(space, batch, {
          onRun: () => opts.onRun?.(++done, total),
          onFailure: (scenario, violated) => {
            if (batch.index <= failingIndex) opts.onFailure?.(scenario, violated);
          },
          pause,
          ...(budgetMs !== undefined ? { budgetMs, now: wallMs } : {}),
        }),
      );
      // let the threads' replies in before taking the next batch
      await new Promise<void>((resume) => setImmediate(resume));
    }
  };
  try {
    const lanes: Array<Promise<void>> = [];
    if (pool) for (let i = 0; i < threads; i++) lanes.push(threadLane(pool));
    if (mainLane) lanes.push(mainThreadLane());
    await Promise.all(lanes);
  } finally {
    await pool?.destroy();
  }
  return combine(opts, space, results);
}
