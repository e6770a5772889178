import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../../sim/determinism.ts';
import { runScenario } from '../../../sim/runner.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import { scenarioArbitrary } from './swarm.ts';

describe('exec-stream determinism: one seed, one trace', () => {
  it('30 faulty scenarios per variant family run twice give the same trace, event by event', async () => {
    for (const variant of ['v1-strict', 'v0-poll', 'arrival-order']) {
      const samples = fc.sample(scenarioArbitrary(variant), { seed: 7, numRuns: 30 });
      for (const s of samples) {
        const a = await runScenario(target, s);
        const b = await runScenario(target, s);
        expect(firstDivergence(a.outcome.history, b.outcome.history)).toBeUndefined();
        expect(a.traceHash).toBe(b.traceHash);
      }
    }
  });

  it('different seeds give different traces (the hash is not constant)', async () => {
    const [s] = fc.sample(scenarioArbitrary('v1-strict'), { seed: 8, numRuns: 1 });
    if (!s) throw new Error('no sample');
    const w = { ...s.workload, chunks: [{ gapMs: 0, stream: 'stdout' as const, bytes: 8 }], sendJitterMsMax: 3 };
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) hashes.add((await runScenario(target, { ...s, seed, workload: w, faults: [] })).traceHash);
    expect(hashes.size).toBeGreaterThan(1);
  });
});
