/**
 * Where a target's run spends its CPU, by layer, next to its limit's (the throughput section's
 * runs of the same scheduler shape with no protocol logic), in the steady state: what stands
 * between a target and a given ratio to its limit, and what the ratio would be if the protocol
 * under test cost nothing (issue 17).
 *   node --import tsx benches/layers.ts                          every target, 3,000 runs, 3 rounds
 *   node --import tsx benches/layers.ts --only session-wait --runs 2000 --rounds 5
 * It runs in a process of its own with the throughput section's node flags (GC and optimizing
 * compiler on the measured thread). Each target's runs and its limit runs are warmed for two
 * passes first; then each round times one plain pass of each (the CPU per run) and profiles one
 * pass of each (the shares). A layer's microseconds are its share of the profile times the median
 * CPU per run. Host tooling, not part of npm test; shares move less with load than times do.
 */
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../sim/runner.ts';
import { samplesByLayer, type CpuProfile } from './layerShares.ts';
import { limitRun, shapeOf, type RunShape } from './sections/limit.ts';
import { THROUGHPUT_NODE_FLAGS } from './sections/throughput.ts';
import { cpuMs, MAIN, median, sample, table, target } from './shared.ts';

const USAGE = 'usage: node --import tsx benches/layers.ts [--runs N] [--rounds N] [--only exec-stream,session-wait,attach-pump]';
const args = process.argv.slice(2);
function fail(why: string): never {
  console.error(`benches/layers.ts: ${why}\n${USAGE}`);
  process.exit(2);
}
function count(name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v <= 0) fail(`${name} expects a positive integer, got ${JSON.stringify(args[i + 1] ?? null)}`);
  return v;
}
for (const a of args) if (a.startsWith('--') && !['--runs', '--rounds', '--only'].includes(a)) fail(`unknown option ${a}`);
const runs = count('--runs', 3_000);
const rounds = count('--rounds', 3);
const onlyAt = args.indexOf('--only');
const only = onlyAt < 0 ? Object.keys(MAIN) : (args[onlyAt + 1] ?? '').split(',');
for (const name of only) if (!(name in MAIN)) fail(`--only: no target "${name}" (targets: ${Object.keys(MAIN).join(', ')})`);

if (!THROUGHPUT_NODE_FLAGS.every((f) => process.execArgv.includes(f))) {
  // the caller's own node flags (--import tsx, say, or --trace-opt) go along
  const flags = [...THROUGHPUT_NODE_FLAGS, ...process.execArgv];
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 3);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });

async function plain(pass: () => Promise<void>): Promise<number> {
  const c0 = cpuMs();
  await pass();
  return ((cpuMs() - c0) * 1000) / runs;
}
async function profiled(pass: () => Promise<void>, into: Map<string, number>): Promise<void> {
  await session.post('Profiler.start');
  await pass();
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  for (const [k, n] of samplesByLayer(profile, ROOT)) into.set(k, (into.get(k) ?? 0) + n);
}
const us = (samples: Map<string, number>, perRun: number, layer: string): number => {
  let all = 0;
  for (const n of samples.values()) all += n;
  return all === 0 ? 0 : ((samples.get(layer) ?? 0) / all) * perRun;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;

for (const name of only) {
  const variant = MAIN[name] as string;
  const t = await target(name);
  const scenarios = sample(t, variant, runs, 11);
  const shapes: RunShape[] = [];
  for (const s of scenarios) shapes.push(shapeOf((await runScenario(t, s)).world));
  const targetPass = async () => {
    for (const s of scenarios) await runScenario(t, s);
  };
  const limitPass = async () => {
    for (let i = 0; i < runs; i++) await limitRun((scenarios[i] as { seed: number }).seed, shapes[i] as RunShape);
  };
  for (let k = 0; k < 2; k++) {
    await targetPass();
    await limitPass();
  }
  const perRun = { t: [] as number[], l: [] as number[] };
  const samples = { t: new Map<string, number>(), l: new Map<string, number>() };
  for (let r = 0; r < rounds; r++) {
    perRun.t.push(await plain(targetPass));
    perRun.l.push(await plain(limitPass));
    await profiled(targetPass, samples.t);
    await profiled(limitPass, samples.l);
  }
  const T = median(perRun.t);
  const L = median(perRun.l);
  const layers = [...new Set([...samples.t.keys(), ...samples.l.keys()])];
  const rows = layers.map((k) => ({ k, t: us(samples.t, T, k), l: us(samples.l, L, k) })).sort((a, b) => b.t - b.l - (a.t - a.l));
  console.log(
    table(
      `${name}:${variant}, ${runs} runs x ${rounds} rounds after 2 warm passes: CPU us per run by layer (a sample is charged to the nearest execsim or fake-clock frame on its stack); per round target ${perRun.t.map(Math.round).join(' / ')} us, limit ${perRun.l.map(Math.round).join(' / ')} us`,
      ['layer', 'target us/run', 'limit us/run', 'target beyond limit'],
      [...rows.map((r) => [r.k, r.t, r.l, r.t - r.l]), ['all', T, L, T - L]],
    ),
  );
  const protocol = us(samples.t, T, 'protocol');
  const glue = us(samples.t, T, 'target glue');
  console.log(`  ratio (limit / target, medians of the plain passes): ${pct(L / T)}`);
  console.log(`  if the protocol cost nothing: ${pct(L / (T - protocol))}; and its target glue too: ${pct(L / (T - protocol - glue))}`);
  console.log(`  50% needs the target at <= ${Math.round(2 * L)} us per run: ${Math.round(Math.max(0, T - 2 * L))} us less than now`);
}
session.disconnect();
