import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../sim/explore/explore.ts';
import { scenarioArbitrary } from '../../../sim/explore/scenarioArbitrary.ts';
import { swarmArbitrary } from '../../../sim/explore/swarm.ts';
import { runScenario } from '../../../sim/runner.ts';
import { pumpTarget } from '../../fixtures/pumpTarget.ts';

describe('explorer on the buggy test protocol', () => {
  it('finds the early exit blindly, shrinks it to the fewest faults, and the result replays to the same trace', async () => {
    const found: Array<{ faults: number; violated: string[] }> = [];
    const r = await explore({
      target: pumpTarget,
      variant: 'early-exit',
      runs: 200,
      seed: 42,
      mode: 'safety',
      onFailure: (s, v) => found.push({ faults: s.faults.length, violated: v }),
    });
    const v = r.violation;
    expect(v).toBeDefined();
    if (!v) return;
    expect(v.violated).toContain('no-lost-output');
    expect(v.foundAtRun).toBeLessThanOrEqual(200);
    // the bug needs no fault at all, and the shrinker finds that
    expect(v.scenario.faults).toEqual([]);
    // every failing scenario met on the way was handed over at once (first one unshrunk)
    expect(found.length).toBeGreaterThan(1);
    const replayed = await runScenario(pumpTarget, v.scenario);
    expect(replayed.traceHash).toBe(v.traceHash);
    expect(replayed.violated).toEqual(v.violated);
  });

  it('finds nothing in the fixed variant, in safety and in liveness mode', async () => {
    for (const mode of ['safety', 'liveness'] as const) {
      const r = await explore({ target: pumpTarget, variant: 'wait-close', runs: 150, seed: 3, mode });
      expect(r.violation?.summaries).toBeUndefined();
      expect(r.runsExecuted).toBe(150);
    }
  });

  it('gives the same result for the same seed and runs', async () => {
    const a = await explore({ target: pumpTarget, variant: 'early-exit', runs: 100, seed: 9, mode: 'liveness' });
    const b = await explore({ target: pumpTarget, variant: 'early-exit', runs: 100, seed: 9, mode: 'liveness' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('restricts fault kinds and rejects kinds the target does not understand', async () => {
    const kinds = new Set<string>();
    const arb = scenarioArbitrary({
      target: pumpTarget,
      variant: 'wait-close',
      mode: 'safety',
      kinds: ['lag'],
      maxFaults: 6,
      healSlackMsMax: 0,
    });
    for (const s of fc.sample(arb, { seed: 5, numRuns: 200 })) for (const f of s.faults) kinds.add(f.kind);
    expect([...kinds]).toEqual(['lag']);
    await expect(
      explore({ target: pumpTarget, variant: 'wait-close', runs: 1, seed: 1, mode: 'safety', faultKinds: ['kill'] }),
    ).rejects.toThrow('--faults: target test-pump does not understand kill (it understands: cut, half-open, lag)');
    await expect(explore({ target: pumpTarget, variant: 'nope', runs: 1, seed: 1, mode: 'safety' })).rejects.toThrow(/no variant "nope"/);
  });

  it('in liveness mode every scenario heals after its last fault', () => {
    const arb = scenarioArbitrary({
      target: pumpTarget,
      variant: 'wait-close',
      mode: 'liveness',
      kinds: ['cut', 'lag'],
      maxFaults: 6,
      healSlackMsMax: 1_000,
    });
    for (const s of fc.sample(arb, { seed: 2, numRuns: 100 })) {
      expect(s.healAtMs).toBeGreaterThanOrEqual(s.faults.at(-1)?.at ?? 0);
      expect(s.faults.map((f) => f.at)).toEqual([...s.faults.map((f) => f.at)].sort((a, b) => a - b));
    }
  });
});

describe('swarm', () => {
  it('enables a random non-empty subset of kinds with weights, and varies it across runs', () => {
    const subsets = new Set<string>();
    fc.assert(
      fc.property(swarmArbitrary(['cut', 'lag', 'half-open', 'refuse']), (s) => {
        expect(s.kinds.length).toBeGreaterThan(0);
        for (const k of s.kinds) expect(k.weight).toBeGreaterThanOrEqual(1);
        subsets.add(s.kinds.map((k) => k.kind).join(','));
      }),
      { numRuns: 200, seed: 1 },
    );
    expect(subsets.size).toBeGreaterThan(8);
  });
});
