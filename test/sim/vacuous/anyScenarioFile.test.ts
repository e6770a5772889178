/**
 * Any scenario file, valid, mutated or garbage, run in-process: it ends within a bound with exit
 * 0, 1 or 2 (never 3), prints no stack trace, and a file with a fault that took no effect never
 * exits 0. 300 files here (the machine is shared); the 10,000-file run is
 * `node --import tsx test/scenario/fuzzFiles.ts` (not in npm test). Huge workload sizes (the
 * workloads' limits refuse them) and times around 2^31 ms (the world's horizon refuses those past
 * it) are drawn too (test/scenario/scenarioFiles.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFile, runProblems, scenarioFileArbitrary } from '../../scenario/scenarioFiles.ts';

const FILES = Number(process.env.EXECSIM_ANY_FILES ?? 300);
const BOUND_MS = 30_000;

describe('any scenario file', () => {
  it(
    `${FILES} files (valid, mutated, garbage): exit 0, 1 or 2 within a bound, no stack trace, no vacuous pass`,
    { timeout: 3_600_000 },
    async () => {
      const file = await scenarioFileArbitrary();
      const dir = mkdtempSync(join(tmpdir(), 'execsim-any-'));
      const counts: Record<string, Record<string, number>> = {};
      let n = 0;
      await fc.assert(
        fc.asyncProperty(file, async (f) => {
          const r = await runFile(f, dir, `f${n++ % 64}.json`);
          const byClass = (counts[f.class] ??= {});
          byClass[`exit ${r.code}`] = (byClass[`exit ${r.code}`] ?? 0) + 1;
          expect(runProblems(f, r, BOUND_MS)).toEqual([]);
        }),
        { numRuns: FILES, seed: 13, endOnFailure: true },
      );
      console.log(`any scenario file: ${FILES} files\n${JSON.stringify(counts, null, 1)}`);
    },
  );
});
