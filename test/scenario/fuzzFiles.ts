/**
 * The 10,000-file run (not part of npm test): generates scenario files with fast-check (valid,
 * mutated, garbage: test/scenario/scenarioFiles.ts), runs each in-process as `execsim run` would,
 * and prints the counts per class and exit code. Every file must end within the bound with exit
 * 0, 1 or 2 (never 3), print no stack trace, and never exit 0 with a fault that took no effect.
 *
 *   node --import tsx test/scenario/fuzzFiles.ts [--files 10000] [--seed 13] [--shard i/n] [--out DIR]
 *
 * Resumable: each file's outcome is appended to DIR/results.ndjson as it ends (default
 * reports/fuzz-files/); a rerun with the same options skips the files already there. `--shard i/n`
 * takes every n-th file, so shards on several machines cover the same 10,000. Exit 1 if any
 * file broke a rule (each is listed), else 0.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { runFile, runProblems, scenarioFileArbitrary } from './scenarioFiles.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '13' },
    shard: { type: 'string', default: '1/1' },
    out: { type: 'string', default: 'reports/fuzz-files' },
    bound: { type: 'string', default: '30000' },
  },
});
const files = Number(values.files);
const seed = Number(values.seed);
const bound = Number(values.bound);
const [shard, shards] = (values.shard as string).split('/').map(Number) as [number, number];
const out = values.out as string;
mkdirSync(out, { recursive: true });
const resultsFile = join(out, `results-seed${seed}-n${files}.ndjson`);

interface Row {
  i: number;
  class: string;
  code: number;
  ms: number;
  problems: string[];
}
const done = new Map<number, Row>();
if (existsSync(resultsFile))
  for (const line of readFileSync(resultsFile, 'utf8').split('\n'))
    if (line.trim()) {
      const r = JSON.parse(line) as Row;
      done.set(r.i, r);
    }

const all = fc.sample(await scenarioFileArbitrary(), { numRuns: files, seed });
const t0 = performance.now();
let ran = 0;
for (const [i, f] of all.entries()) {
  if ((i % shards) + 1 !== shard || done.has(i)) continue;
  const r = await runFile(f, out, `f${i % 64}.json`);
  const row: Row = { i, class: f.class, code: r.code, ms: Math.round(r.ms), problems: runProblems(f, r, bound) };
  appendFileSync(resultsFile, JSON.stringify(row) + '\n');
  done.set(i, row);
  if (++ran % 250 === 0) process.stderr.write(`fuzz-files: ${done.size}/${files} files (${Math.round((performance.now() - t0) / 1000)} s)\n`);
}

const rows = [...done.values()].filter((r) => (r.i % shards) + 1 === shard);
const counts: Record<string, Record<string, number>> = {};
for (const r of rows) {
  const c = (counts[r.class] ??= {});
  c[`exit ${r.code}`] = (c[`exit ${r.code}`] ?? 0) + 1;
}
const total: Record<string, number> = {};
for (const r of rows) total[`exit ${r.code}`] = (total[`exit ${r.code}`] ?? 0) + 1;
const bad = rows.filter((r) => r.problems.length > 0);
const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 3);
console.log(
  JSON.stringify(
    {
      files: rows.length,
      of: files,
      seed,
      shard: values.shard,
      wallSecondsThisRun: Math.round((performance.now() - t0) / 1000),
      ranThisRun: ran,
      total,
      byClass: counts,
      slowestMs: slowest.map((r) => ({ i: r.i, class: r.class, ms: r.ms })),
      broken: bad.length,
    },
    null,
    1,
  ),
);
for (const r of bad) console.log(`file ${r.i}: ${r.problems.join(' ')}`);
process.exitCode = bad.length > 0 ? 1 : 0;
