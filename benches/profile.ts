/**
 * A CPU profile per throughput target, and its top functions by self time: where a run's time
 * goes, to decide what to optimise next (issue 17). The runs are the throughput section's (the
 * same scenario samples), warmed up first so the profile shows the steady state, not the JIT.
 *   node --import tsx benches/profile.ts                      every target, 2,000 runs each
 *   node --import tsx benches/profile.ts --runs 500 --only session-wait --top 30
 *   node --import tsx benches/profile.ts --write reports/profiles   also keep each .cpuprofile
 * Self time first (where the samples land), then total time of execsim's own functions.
 *   node --import tsx benches/profile.ts --alloc            bytes allocated per function instead (what the GC pays for)
 * Host tooling, not part of npm test; figures are shares of the profiled time, so a busy machine
 * moves them less than it moves absolute times.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { runScenario } from '../sim/runner.ts';
import { fileOf, type CpuProfile, type ProfileNode } from './layerShares.ts';
import { MAIN, sample, target } from './shared.ts';
import { eventLogRun } from './sections/throughput.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs') ?? 2_000);
const top = Number(opt('--top') ?? 20);
const only = opt('--only')?.split(',');
const writeDir = opt('--write');
const alloc = args.includes('--alloc');

interface HeapNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per function (sampled; collected objects included), as shares. */
function allocations(head: HeapNode): Array<{ fn: string; where: string; share: number }> {
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode): void => {
    if (n.selfSize > 0) {
      const file = fileOf(n.callFrame.url, process.cwd());
      const k = `${n.callFrame.functionName || '(anonymous)'}\t${file}`;
      by.set(k, (by.get(k) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c);
  };
  walk(head);
  return [...by]
    .map(([k, b]) => {
      const [fn, where] = k.split('\t') as [string, string];
      return { fn, where, share: b / total };
    })
    .sort((a, b) => b.share - a.share);
}

/** Self time per function (name and file:line), as shares of all samples. */
export function selfTimes(profile: CpuProfile): Array<{ fn: string; where: string; share: number }> {
  const hits = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const h = n.hitCount ?? 0;
    if (h === 0) continue;
    total += h;
    const f = n.callFrame;
    const file = fileOf(f.url, process.cwd());
    const key = `${f.functionName || '(anonymous)'}\t${file ? `${file}:${(f.lineNumber ?? 0) + 1}` : ''}`;
    hits.set(key, (hits.get(key) ?? 0) + h);
  }
  return [...hits]
    .map(([k, h]) => {
      const [fn, where] = k.split('\t') as [string, string];
      return { fn, where, share: h / total };
    })
    .sort((a, b) => b.share - a.share);
}

/** Total time per function (itself and what it calls; a recursive function counted once per stack). */
export function totalTimes(profile: CpuProfile): Array<{ fn: string; where: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) => {
    const file = fileOf(n.callFrame.url, process.cwd());
    return `${n.callFrame.functionName || '(anonymous)'}\t${file}`;
  };
  const totals = new Map<string, number>();
  let all = 0;
  for (const n of profile.nodes) {
    const h = n.hitCount ?? 0;
    if (h === 0) continue;
    all += h;
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(byId.get(id) as ProfileNode);
      if (seen.has(k)) continue;
      seen.add(k);
      totals.set(k, (totals.get(k) ?? 0) + h);
    }
  }
  return [...totals]
    .map(([k, h]) => {
      const [fn, where] = k.split('\t') as [string, string];
      return { fn, where, share: h / all };
    })
    .filter((r) => r.where.startsWith('sim/') || r.where.startsWith('reference-impl/'))
    .sort((a, b) => b.share - a.share);
}

async function profiled(name: string, loop: () => Promise<void>, session: Session): Promise<void> {
  if (alloc) {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await loop();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } };
    console.log(`\n${name}: ${runs} runs, bytes allocated by function (sampled)`);
    for (const r of allocations(profile.head).slice(0, top)) console.log(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.fn}  ${r.where}`);
    return;
  }
  await session.post('Profiler.start');
  const t0 = performance.now();
  await loop();
  const ms = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  if (writeDir) {
    mkdirSync(writeDir, { recursive: true });
    writeFileSync(join(writeDir, `${name.replace(/[^a-z0-9-]+/gi, '_')}.cpuprofile`), JSON.stringify(profile));
  }
  console.log(`\n${name}: ${runs} runs in ${Math.round(ms)} ms (${Math.round((runs / ms) * 1000)} runs/s under the profiler)`);
  console.log('  self time');
  for (const r of selfTimes(profile).slice(0, top)) console.log(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.fn}  ${r.where}`);
  console.log('  total time (itself and its callees; execsim functions)');
  for (const r of totalTimes(profile).slice(0, top)) console.log(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.fn}  ${r.where}`);
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
for (const [name, variant] of Object.entries(MAIN)) {
  if (only && !only.includes(name)) continue;
  const t = await target(name);
  const scenarios = sample(t, variant, runs, 11);
  for (const s of scenarios.slice(0, Math.min(200, runs))) await runScenario(t, s);
  await profiled(`${name}:${variant}`, async () => {
    for (const s of scenarios) await runScenario(t, s);
  }, session);
}
if (!only || only.includes('event-log')) {
  for (let i = 0; i < 200; i++) await eventLogRun(1_000_000 + i);
  await profiled('event log only (exec-stream)', async () => {
    for (let i = 0; i < runs; i++) await eventLogRun(i);
  }, session);
}
session.disconnect();
