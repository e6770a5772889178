/**
 * Blind exploration (no hand-placed schedule): swarm runs with a random subset of fault kinds
 * each. The candidate fix must pass; each field bug must be caught by the property it breaks on
 * a scenario where its sibling holds that property (so the catch is the bug's own, not an
 * upstream gap both share). Run indexes are deterministic for the seeds used.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import type { ExecWorkload } from '../../../reference-impl/exec-stream/target/workload.ts';
import { ALL_KINDS, scenarioArbitrary } from './swarm.ts';

interface Reached {
  lagged: number;
  gapRead: number;
  legacyRead: number;
  resumed: number;
  strictGap: number;
  unrecoverable: number;
}

async function mustPass(variant: string, runs: number, seed: number, kinds: readonly string[] = ALL_KINDS) {
  const samples = fc.sample(scenarioArbitrary(variant, kinds), { seed, numRuns: runs });
  const reached: Reached = { lagged: 0, gapRead: 0, legacyRead: 0, resumed: 0, strictGap: 0, unrecoverable: 0 };
  const failures: string[] = [];
  for (const s of samples) {
    const r = await runScenario(target, s);
    const kinds = new Set(r.outcome.history.map((e) => (e.kind === 'consumer.fallback-read' ? `read:${String(e.data?.reason)}` : e.kind)));
    if (kinds.has('consumer.lagged')) reached.lagged++;
    if (kinds.has('read:gap')) reached.gapRead++;
    if (kinds.has('read:legacy-exit')) reached.legacyRead++;
    if (kinds.has('exec-client.resumed')) reached.resumed++;
    if (kinds.has('consumer.gap')) reached.strictGap++;
    if (!r.outcome.truth.recoverable) reached.unrecoverable++;
    if (r.violated.length > 0 || r.world.errors.length > 0)
      failures.push(`seed ${s.seed}: ${r.violated.join(', ')} ${JSON.stringify(r.world.errors)}`);
  }
  return { failures, reached };
}

/** Explores until the variant breaks one of `props` where `sibling` holds it; the run index, or undefined. */
async function firstOwnCatch(variant: string, sibling: string, props: readonly string[], runs: number, seed: number) {
  const samples = fc.sample(scenarioArbitrary(variant), { seed, numRuns: runs });
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as Scenario<ExecWorkload>;
    const a = await runScenario(target, s);
    const mine = a.violated.filter((p) => props.includes(p));
    if (mine.length === 0) continue;
    const b = await runScenario(target, { ...s, variant: sibling });
    const own = mine.filter((p) => !b.violated.includes(p));
    if (own.length > 0) return { run: i + 1, seed: s.seed, properties: own };
  }
  return undefined;
}

const SEED = 1;

describe('exploration: the candidate fix and the pre-#30273 consumer', () => {
  it('v1-strict passes 1,200 blind runs on each of two seeds (safety and liveness), and the dangerous states were reached', async () => {
    for (const seed of [SEED, 2]) {
      const { failures, reached } = await mustPass('v1-strict', 1_200, seed);
      console.log(`v1-strict seed ${seed}: 1200 runs, 0 violations expected; reached ${JSON.stringify(reached)}`);
      expect(failures).toEqual([]);
      expect(reached.lagged).toBeGreaterThan(10);
      expect(reached.gapRead).toBeGreaterThan(10);
      expect(reached.legacyRead).toBeGreaterThan(10);
      expect(reached.resumed).toBeGreaterThan(10);
      expect(reached.strictGap).toBeGreaterThan(0);
      expect(reached.unrecoverable).toBeGreaterThan(50);
    }
  }, 30_000);

  it('v0-poll passes 1,000 blind runs without the two faults it has no guard for (retention overrun, lost exit watcher)', async () => {
    const kinds = ALL_KINDS.filter((k) => k !== 'retention-size' && k !== 'exit-watcher-lost');
    const { failures, reached } = await mustPass('v0-poll', 1_000, SEED, kinds);
    console.log(`v0-poll (without retention-size, exit-watcher-lost): 1000 runs; reached ${JSON.stringify(reached)}`);
    expect(failures).toEqual([]);
  }, 30_000);
});

describe('exploration: upstream gaps and field bugs are caught blind', () => {
  const cases: Array<[string, string, string[]]> = [
    ['lag-skips', 'v1-pushed', ['no-lost-output']],
    ['lag-closes', 'v1-pushed', ['no-false-failure']],
    ['no-dedupe', 'v1-pushed', ['no-duplicate-output']],
    ['arrival-order', 'v1-pushed', ['authoritative-completion']],
    ['legacy-denial', 'v1-pushed', ['truthful-exit', 'authoritative-completion']],
    // upstream gaps against the candidate fix: F15 (silent splice) and F22 (exit -1 as real)
    ['v1-pushed', 'v1-strict', ['no-lost-output']],
    ['v1-pushed', 'v1-strict', ['truthful-exit']],
    ['v0-poll', 'v1-strict', ['no-lost-output']],
    ['v0-poll', 'v1-strict', ['truthful-exit']],
  ];
  for (const [variant, sibling, props] of cases) {
    it(`${variant} breaks ${props.join(' or ')} where ${sibling} holds, within 2,000 blind runs`, async () => {
      const found = await firstOwnCatch(variant, sibling, props, 2_000, SEED);
      console.log(
        `${variant} vs ${sibling}: ${found ? `caught at run ${found.run} (scenario seed ${found.seed}) by ${found.properties.join(', ')}` : 'not caught'}`,
      );
      expect(found).toBeDefined();
    }, 30_000);
  }

  it('the expected properties of every variant are the ones exploration finds', () => {
    expect(target.variants['v1-stricter']?.expected).toBe('pass');
    expect(target.variants['v1-strict']?.expected).toEqual(['terminates']);
    for (const [variant, , props] of cases) {
      const expected = target.variants[variant]?.expected;
      expect(expected).not.toBe('pass');
      expect(props.some((p) => (expected as string[]).includes(p))).toBe(true);
    }
  });
});
