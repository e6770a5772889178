/**
 * Before and after, side by side in one process: another checkout's simulator (BASE, e.g. made
 * with `git archive <commit> | tar -x -C BASE` and a node_modules link) against this one, on
 * the same scenarios, alternating run by run so both see the same neighbours. Prints runs/s of
 * each, the speedup, and how many trace hashes differ (0 unless behaviour changed).
 *   node --import tsx benches/compare.ts BASE [RUNS]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runScenario as RunScenario } from '../sim/runner.ts';
import * as here from './shared.ts';
import { runScenario } from '../sim/runner.ts';

const [baseDir, runsArg] = process.argv.slice(2);
if (!baseDir) {
  console.error('usage: node --import tsx benches/compare.ts BASE_CHECKOUT [RUNS]');
  process.exit(2);
}
const at = (p: string) => pathToFileURL(resolve(baseDir, p)).href;
const base = (await import(at('benches/shared.ts'))) as typeof here;
const baseRun = ((await import(at('sim/runner.ts'))) as { runScenario: typeof RunScenario }).runScenario;
const n = Number(runsArg ?? 1_000);
const warm = 50;
for (const name of Object.keys(here.MAIN)) {
  const tb = await base.target(name);
  const th = await here.target(name);
  const sb = base.sample(tb, base.MAIN[name] as string, n + warm, 11);
  const sh = here.sample(th, here.MAIN[name] as string, n + warm, 11);
  let msBase = 0;
  let msHere = 0;
  let differ = 0;
  for (let i = 0; i < n + warm; i++) {
    const t0 = here.now();
    const a = await baseRun(tb, sb[i] as (typeof sb)[number]);
    const t1 = here.now();
    const b = await runScenario(th, sh[i] as (typeof sh)[number]);
    const t2 = here.now();
    if (i >= warm) {
      msBase += t1 - t0;
      msHere += t2 - t1;
    }
    if (a.traceHash !== b.traceHash) differ++;
  }
  console.log(
    `${name}:${here.MAIN[name]}  base ${here.fmt((n / msBase) * 1000)} runs/s  this ${here.fmt((n / msHere) * 1000)} runs/s  speedup ${(msBase / msHere).toFixed(2)}x  trace hashes differing ${differ}/${n + warm}`,
  );
}
