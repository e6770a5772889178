/**
 * `npm run bench`: speed figures measured side by side in one run, printed as a table and
 * written to reports/bench.json. Figures, not pass/fail: tests stay deterministic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runSmokeWorld } from '../sim/smoke/busyWorld.ts';

interface Row {
  name: string;
  runs: number;
  wallMs: number;
  runsPerSec: number;
  virtualMs: number;
  virtualToWall: number;
}

async function smoke(runs: number, faults: boolean): Promise<Row> {
  let virtualMs = 0;
  const t0 = performance.now();
  for (let seed = 1; seed <= runs; seed++) virtualMs += (await runSmokeWorld(seed, { faults })).run.timeMs;
  const wallMs = performance.now() - t0;
  return {
    name: `smoke world${faults ? ' + faults' : ''}`,
    runs,
    wallMs: Math.round(wallMs),
    runsPerSec: Math.round((runs / wallMs) * 1000),
    virtualMs,
    virtualToWall: Math.round(virtualMs / wallMs),
  };
}

const rows: Row[] = [await smoke(1_000, true), await smoke(1_000, false)];
console.log('name                      runs   wall ms   runs/s   virtual:wall');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(24)} ${String(r.runs).padStart(6)} ${String(r.wallMs).padStart(9)} ${String(r.runsPerSec).padStart(8)} ${String(r.virtualToWall).padStart(12)}x`,
  );
}
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', JSON.stringify({ node: process.version, rows }, null, 2) + '\n');
console.log('wrote reports/bench.json');
