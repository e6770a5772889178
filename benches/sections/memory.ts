/**
 * Memory over a long exploration of one target: RSS and heap at the start and every tenth of
 * the way, after a full GC where the runtime allows it (node --expose-gc).
 */
import { runScenario } from '../../sim/runner.ts';
import { MAIN, now, sample, target } from '../shared.ts';

export interface MemoryRow {
  target: string;
  runs: number;
  rssStartMb: number;
  rssEndMb: number;
  heapStartMb: number;
  heapEndMb: number;
  samples: Array<{ runs: number; rssMb: number; heapMb: number }>;
  wallMs: number;
}

const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

export async function memory(name: string, runs: number, onProgress?: (done: number) => void): Promise<MemoryRow> {
  const t = await target(name);
  const variant = MAIN[name] as string;
  const pool = sample(t, variant, 1_000, 17);
  const gc = (globalThis as { gc?: () => void }).gc;
  const snap = (done: number) => {
    gc?.();
    const m = process.memoryUsage();
    return { runs: done, rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
  };
  for (const s of pool.slice(0, 100)) await runScenario(t, s);
  const samples = [snap(0)];
  const t0 = now();
  const every = Math.max(1, Math.floor(runs / 10));
  for (let i = 1; i <= runs; i++) {
    // a fresh seed each run, the workload and faults cycling through the sample
    const s = pool[i % pool.length] as (typeof pool)[number];
    await runScenario(t, { ...s, seed: i });
    if (i % every === 0) {
      samples.push(snap(i));
      onProgress?.(i);
    }
  }
  const first = samples[0] as { rssMb: number; heapMb: number };
  const last = samples.at(-1) as { rssMb: number; heapMb: number };
  return {
    target: `${name}:${variant}`,
    runs,
    rssStartMb: first.rssMb,
    rssEndMb: last.rssMb,
    heapStartMb: first.heapMb,
    heapEndMb: last.heapMb,
    samples,
    wallMs: now() - t0,
  };
}
