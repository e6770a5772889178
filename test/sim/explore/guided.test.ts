/**
 * Issue 12's explorer: world options drawn per run (in the scenario and, resolved, in the trace
 * at t=0), coverage features from the trace, the data shrinker, and the guided explorer's
 * determinism (a seed gives one result, in one process or over workers: test/sim/cli/scaleout).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featuresOf, instantsOf } from '../../../sim/explore/coverage.ts';
import { explore } from '../../../sim/explore/explore.ts';
import { scenarioArbitrary } from '../../../sim/explore/scenarioArbitrary.ts';
import { shrinkScenario } from '../../../sim/explore/shrinkData.ts';
import { worldKnobsArbitrary } from '../../../sim/explore/worldSwarm.ts';
import { runScenario } from '../../../sim/runner.ts';
import { validateScenario } from '../../../sim/scenario/load.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import type { Scenario } from '../../../sim/target.ts';
import { pumpTarget } from '../../fixtures/pumpTarget.ts';

const base: Scenario = {
  format: 1,
  target: pumpTarget.name,
  variant: 'wait-close',
  seed: 5,
  mode: 'safety',
  workload: { chunks: [{ gapMs: 3, bytes: 5, stream: 'stdout' }], exitAfterMs: 2, exitCode: 0, pumpDelayMsMax: 4 },
  faults: [],
  expect: 'pass',
};

describe('world options per run', () => {
  it('a scenario with world options runs in that world and records the resolved options at t=0; one without records none', async () => {
    const world = { net: { latencyMsMin: 40, latencyMsMax: 40 }, proc: { pidMax: 320 } };
    const drawn = await runScenario(pumpTarget, { ...base, world });
    const event = drawn.world.trace.events.find((e) => e.kind === 'world.options');
    expect(event?.t).toBe(0);
    expect(event?.data).toEqual({
      net: { latencyMsMin: 40, latencyMsMax: 40 },
      fs: { mtimeGranularity: 'ns', mtimeSkewMs: 0 },
      proc: { pidMin: 300, pidMax: 320 },
    });
    const plain = await runScenario(pumpTarget, base);
    expect(plain.world.trace.events.some((e) => e.kind === 'world.options')).toBe(false);
    // the latency is the drawn one: the run takes longer than in the default world (1-10 ms)
    expect(drawn.world.now()).toBeGreaterThan(plain.world.now());
    // and replays exactly
    expect((await runScenario(pumpTarget, { ...base, world })).traceHash).toBe(drawn.traceHash);
  });

  it('a bad world option is refused with its JSON path', async () => {
    const registry = new TargetRegistry();
    registry.register(pumpTarget);
    await expect(validateScenario({ ...base, world: { net: { latencyMsMin: 9, latencyMsMax: 2 } } }, 'x.json', registry)).rejects.toThrow(
      /x\.json: invalid scenario:\n {2}- world\.net\.latencyMsMax: .*9/,
    );
    await expect(validateScenario({ ...base, world: { proc: { pidMax: 'many' } } }, 'x.json', registry)).rejects.toThrow(
      /world\.proc\.pidMax/,
    );
  });

  it('the swarm of worlds varies every group, and never draws a latency of 0 (a connect before the listen)', () => {
    const worlds = fc.sample(worldKnobsArbitrary, { seed: 3, numRuns: 300 });
    expect(new Set(worlds.map((w) => w.fs?.mtimeGranularity)).size).toBe(3);
    expect(new Set(worlds.map((w) => w.proc?.pidMax)).size).toBeGreaterThan(50);
    expect(new Set(worlds.map((w) => w.net?.latencyMsMax)).size).toBeGreaterThan(20);
    expect(Math.min(...worlds.map((w) => w.net?.latencyMsMin ?? 0))).toBe(1);
  });

  it('the guided explorer saves the world it drew (or none when the bug does not need it)', async () => {
    const r = await explore({ target: pumpTarget, variant: 'early-exit', runs: 300, seed: 4, mode: 'safety', explorer: 'guided' });
    expect(r.violation).toBeDefined();
    // the shrinker removes the drawn world when the violation survives the target's own
    const again = await runScenario(pumpTarget, r.violation!.scenario);
    expect(again.traceHash).toBe(r.violation!.traceHash);
    expect(again.violated).toEqual(r.violation!.violated);
  });
});

describe('coverage from the trace', () => {
  it('features are event kinds and pairs per actor with bucketed counts; scheduler picks do not count', () => {
    const ev = (t: number, actor: string, kind: string) => ({ t, actor, kind });
    const f = featuresOf([ev(0, 'sched', 'sched.pick'), ev(1, 'c', 'a'), ev(2, 'c', 'b'), ev(3, 'c', 'b'), ev(4, 's', 'a')]);
    expect(f.sort()).toEqual(['c:^>a#1', 'c:a#1', 'c:a>b#1', 'c:b#2', 'c:b>b#1', 's:^>a#1', 's:a#1'].sort());
    // a count past 64 is one bucket: a longer run is not new coverage
    const many = (n: number) => featuresOf(Array.from({ length: n }, (_, i) => ev(i, 'c', 'x')));
    expect(many(100)).toEqual(many(1000));
    expect(many(5)).not.toEqual(many(9));
    expect(instantsOf([ev(1, 'c', 'a'), ev(1, 'c', 'a'), ev(7, 'c', 'a')]).get('c:a')).toEqual([1, 7]);
  });
});

describe('shrinking on the data', () => {
  it('keeps only what the violation needs: no world, no fault, a smaller workload', async () => {
    const big: Scenario = {
      ...base,
      variant: 'early-exit',
      world: { net: { latencyMsMin: 2, latencyMsMax: 30 } },
      workload: {
        chunks: [
          { gapMs: 9, bytes: 40, stream: 'stdout' },
          { gapMs: 0, bytes: 30, stream: 'stderr' },
        ],
        exitAfterMs: 0,
        exitCode: 3,
        pumpDelayMsMax: 20,
      },
      faults: [{ at: 5, kind: 'lag', target: 'client->server', durationMs: 50, extraMs: 20 }],
    };
    const first = await runScenario(pumpTarget, big);
    expect(first.violated).toContain('no-lost-output');
    const { scenario, steps } = await shrinkScenario(pumpTarget, big, 'no-lost-output');
    expect(steps).toBeGreaterThan(0);
    expect(scenario.world).toBeUndefined();
    expect(scenario.faults).toEqual([]);
    const w = scenario.workload as { chunks: unknown[]; exitCode: number };
    expect(w.chunks.length).toBe(1);
    expect(w.exitCode).toBe(0);
    expect((await runScenario(pumpTarget, scenario)).violated).toContain('no-lost-output');
  });
});

describe('explorer choice', () => {
  it('plain (the swarm before issue 12) draws no worlds; swarm (the default) neither; worlds draws one in a third of its runs and saves it only when the bug needs it; a bad name is a usage error', async () => {
    const r = await explore({ target: pumpTarget, variant: 'early-exit', runs: 200, seed: 42, mode: 'safety', explorer: 'plain' });
    expect(r.violation?.path).not.toMatch(/^guided/);
    expect(r.violation?.scenario.world).toBeUndefined();
    const space = { target: pumpTarget, variant: 'early-exit', mode: 'safety' as const, kinds: [], maxFaults: 6, healSlackMsMax: 0 };
    const drawn = (schedule: 'plain' | 'co-occurrence', worlds: boolean) =>
      fc.sample(scenarioArbitrary({ ...space, schedule, worlds }), { seed: 5, numRuns: 600 }).filter((s) => s.world).length / 600;
    expect(drawn('plain', true)).toBe(0);
    expect(drawn('co-occurrence', false)).toBe(0);
    expect(drawn('co-occurrence', true)).toBeGreaterThan(0.27);
    expect(drawn('co-occurrence', true)).toBeLessThan(0.4);
    const swarm = await explore({ target: pumpTarget, variant: 'early-exit', runs: 200, seed: 42, mode: 'safety', explorer: 'swarm' });
    expect(swarm.violation?.scenario.world).toBeUndefined();
    // early-exit loses output in any world: the swarm's shrink puts it back in the target's own
    const s = await explore({ target: pumpTarget, variant: 'early-exit', runs: 200, seed: 42, mode: 'safety', explorer: 'worlds' });
    expect(s.violation?.path).not.toMatch(/^guided/);
    expect(s.violation?.scenario.world).toBeUndefined();
    const again = await runScenario(pumpTarget, s.violation!.scenario);
    expect(again.traceHash).toBe(s.violation!.traceHash);
    await expect(
      explore({ target: pumpTarget, variant: 'early-exit', runs: 1, seed: 1, mode: 'safety', explorer: 'nope' as never }),
    ).rejects.toThrow('--explorer: expected one of guided, plain, swarm, worlds, got "nope"');
  });
});
