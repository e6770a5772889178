/**
 * What one worker thread does for parallel exploration: load the target (built-in by name, or a
 * module path), run one batch, and report runs and failing scenarios through a message port as
 * they happen.
 */
import type { MessagePort } from 'node:worker_threads';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { exploreBatch, exploreSpace, type Batch, type BatchResult, type ExplorerKind } from '../explore/explore.ts';
import { wallMs } from './hostIo.ts';
import { TargetRegistry, type TargetLoader } from '../registry.ts';
import { importModule } from './importModule.ts';
import type { Mode, Scenario } from '../target.ts';

export interface BatchTask {
  target: string;
  /** Absolute path of a third-party target module. */
  module?: string;
  variant: string;
  mode: Mode;
  kinds: string[];
  maxFaults: number;
  explorer: ExplorerKind;
  batch: Batch;
  budgetMs?: number;
  port: MessagePort;
}

export type WorkerMessage = { type: 'runs'; n: number } | { type: 'failure'; batch: number; scenario: Scenario; violated: string[] };

/** The built-in targets by name and a task's runner over them (workerBundle.ts gives one target, bundled). */
export const batchTaskRunner =
  (builtins: Record<string, TargetLoader>) =>
  (task: BatchTask): Promise<BatchResult> =>
    runBatchTaskOf(builtins, task);

export const runBatchTask = batchTaskRunner(BUILTIN_TARGETS);

async function runBatchTaskOf(builtins: Record<string, TargetLoader>, task: BatchTask): Promise<BatchResult> {
  const registry = new TargetRegistry(builtins);
  if (task.module) {
    const mod = await importModule(task.module);
    registry.register(mod.target ?? mod.default, task.module);
  }
  const target = await registry.get(task.target);
  const space = exploreSpace({
    target,
    variant: task.variant,
    mode: task.mode,
    faultKinds: task.kinds,
    maxFaults: task.maxFaults,
    explorer: task.explorer,
  });
  const post = (m: WorkerMessage) => task.port.postMessage(m);
  // runs are reported in groups: a message per run costs more than the progress is worth
  let unreported = 0;
  const flush = () => {
    if (unreported > 0) post({ type: 'runs', n: unreported });
    unreported = 0;
  };
  try {
    return await exploreBatch(space, task.batch, {
      onRun: () => {
        if (++unreported >= 25) flush();
      },
      onFailure: (scenario, violated) => post({ type: 'failure', batch: task.batch.index, scenario, violated }),
      ...(task.budgetMs !== undefined ? { budgetMs: task.budgetMs, now: wallMs } : {}),
    });
  } finally {
    flush();
    task.port.close();
  }
}
