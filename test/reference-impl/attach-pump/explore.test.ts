/**
 * Blind exploration with fast-check: a workload from the target's arbitrary, a swarm (a random
 * subset of the fault kinds per run), faults from the target's arbitraries, both modes.
 * `cursor` must pass, and the runs must really reach the dangerous states (counted below);
 * every field-bug variant must be caught, and the properties it violates must be the ones its
 * VariantInfo.expected claims.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../sim/index.ts';
import { runScenario } from '../../../sim/runner.ts';
import type { Mode, Scenario } from '../../../sim/target.ts';
import { target, type AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';
import { settledAt } from '../../../reference-impl/attach-pump/target/checkers.ts';

const KINDS = [...target.faults.kernelKinds, ...target.faults.specs.map((s) => s.kind)];
const RUNS = 300;

function scenarios(variant: string, mode: Mode): fc.Arbitrary<Scenario<AttachWorkload>> {
  return fc
    .record({ seed: fc.noShrink(fc.integer()), workload: target.workload.arbitrary, kinds: fc.subarray(KINDS, { minLength: 1 }) })
    .chain(({ seed, workload, kinds }) =>
      fc
        .record({
          faults: fc.array(fc.oneof(...kinds.map((k) => target.faults.arbitrary(k, workload))), { maxLength: 5 }),
          healSlackMs: fc.integer({ min: 0, max: 30_000 }),
        })
        .map(({ faults, healSlackMs }): Scenario<AttachWorkload> => {
          const sorted: Fault[] = [...faults].sort((a, b) => a.at - b.at);
          const s: Scenario<AttachWorkload> = {
            format: 1,
            target: target.name,
            variant,
            seed,
            mode,
            workload,
            faults: sorted,
            expect: 'pass',
          };
          if (mode === 'liveness') s.healAtMs = (sorted.at(-1)?.at ?? 0) + healSlackMs;
          return s;
        }),
    );
}

/** Dangerous states a run reached, from the trace. */
function reached(r: Awaited<ReturnType<typeof runScenario>>, s: Scenario<AttachWorkload>): string[] {
  const kinds = new Set(
    r.world.trace.events.map((e) => (e.kind === 'runner.attach-refused' ? `attach refused ${String(e.data?.status)}` : e.kind)),
  );
  const out: string[] = [];
  const names: Record<string, string> = {
    'pump.disconnect': 'a disconnect before the result',
    'pump.drain-attach': 'a drain re-attach after a Terminal probe',
    'attach refused 409': 'a 409 from a runner loop still attached',
    'pump.gap': 'an expired cursor (backlog overflow while detached)',
    'runner.drop': 'a live channel overflow (slow subscriber)',
    'runner.drain-timeout': 'a 1011 drain timeout',
    'runner.mute-exit': 'a runner loop that never sent exit',
    'runner.evict': 'an eviction',
    'attach-cut.fire': 'a proxy cut after n frames',
  };
  for (const [k, name] of Object.entries(names)) if (kinds.has(k)) out.push(name);
  if (r.world.trace.events.find((e) => e.kind === 'pump.attach-failed' && e.data?.attach === 1)) out.push('a failed first attach');
  const first = r.outcome.observed.streams.stdout?.[0];
  if (kinds.has('pump.disconnect') && r.violated.length === 0 && first !== undefined)
    out.push('output recovered whole across a disconnect');
  const res = r.outcome.observed.results[0];
  const truth = r.outcome.truth.outcome;
  if (res && truth.kind === 'exit' && res.t - Math.max(truth.t, settledAt(s)) > 45_000)
    out.push('a result over 45 s after the exit and the faults settled');
  return out;
}

describe('exploration: cursor passes', () => {
  for (const [mode, seed] of [
    ['safety', 101],
    ['liveness', 202],
  ] as const) {
    it(`${RUNS} runs in ${mode} mode, every property, with the dangerous states reached`, async () => {
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(scenarios('cursor', mode), async (s) => {
          const r = await runScenario(target, s);
          for (const k of reached(r, s)) seen[k] = (seen[k] ?? 0) + 1;
          const bad = r.violated; // no-crash included
          if (bad.length > 0) throw new Error(`${bad.join(', ')}: ${bad.map((b) => r.checks.results[b]?.summary).join(' | ')}`);
        }),
        { numRuns: RUNS, seed },
      );
      console.log(`attach-pump cursor ${mode}: ${RUNS} runs passed (seed ${seed}); states reached: ${JSON.stringify(seen)}`);
      for (const state of [
        'a disconnect before the result',
        'a drain re-attach after a Terminal probe',
        'a 409 from a runner loop still attached',
        'an expired cursor (backlog overflow while detached)',
        'a runner loop that never sent exit',
        'an eviction',
        'a proxy cut after n frames',
        'a failed first attach',
        'output recovered whole across a disconnect',
        // after a heal the pump answers quickly; in safety mode faults keep it busy for longer
        ...(mode === 'safety' ? ['a result over 45 s after the exit and the faults settled'] : []),
      ])
        expect(seen[state] ?? 0, state).toBeGreaterThan(0);
    }, 30_000);
  }
});

describe('exploration: every field-bug variant is caught', () => {
  for (const [variant, seed] of [
    ['pre-627', 303],
    ['fixed-627', 404],
    ['no-probe', 505],
    ['boxlite-0-10-0', 606],
  ] as const) {
    it(`${variant} is caught blind, and violates exactly what it claims`, async () => {
      const expected = target.variants[variant]?.expected as string[];
      const property = fc.asyncProperty(scenarios(variant, 'safety'), async (s) => {
        const r = await runScenario(target, s);
        return r.violated.length === 0;
      });
      const found = await fc.check(property, { numRuns: RUNS, seed });
      expect(found.failed).toBe(true);
      const shrunk = await runScenario(target, found.counterexample?.[0] as Scenario<AttachWorkload>);
      // which properties it violates, over a fixed sample
      const tally: Record<string, number> = {};
      const firstRun: Record<string, number> = {};
      const sample = fc.sample(scenarios(variant, 'safety'), { numRuns: RUNS, seed });
      for (const [i, s] of sample.entries()) {
        const r = await runScenario(target, s);
        expect(r.world.errors).toEqual([]);
        for (const p of r.violated) {
          tally[p] = (tally[p] ?? 0) + 1;
          firstRun[p] ??= i + 1;
        }
      }
      console.log(
        `attach-pump ${variant}: caught at run ${found.numRuns} (seed ${seed}), shrunk ${found.numShrinks} times to ${shrunk.violated.join(', ')} with ${shrunk.outcome.truth.streams.stdout?.length ?? 0} stdout writes and faults ${JSON.stringify(shrunk.outcome && (found.counterexample?.[0] as Scenario).faults)}; over ${RUNS} runs: ${JSON.stringify(tally)}, first at runs ${JSON.stringify(firstRun)}`,
      );
      expect(shrunk.violated.length).toBeGreaterThan(0);
      expect(Object.keys(tally).sort()).toEqual([...expected].sort());
    }, 30_000);
  }
});
