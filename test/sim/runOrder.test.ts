/**
 * One seed, one result, whatever ran before it or beside it. The per-run savings of issue 17 keep
 * module state that every world of a process shares (a checker's last result, the wire record's
 * frames, a lent parse, judge plans, parsed URLs and session files), so sampled runs of every
 * target must give the same trace hash, verdicts, check summaries and no-effect lines run one by
 * one in order as run in reverse with several in flight at once. Running the same list twice in
 * the same order (the determinism tests) cannot see a run that depends on the one before it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { pass } from '../../sim/check/index.ts';
import { scenarioArbitrary } from '../../sim/explore/scenarioArbitrary.ts';
import { TargetRegistry, type AnyTarget } from '../../sim/registry.ts';
import { runScenario } from '../../sim/runner.ts';
import { faultSpecsOf } from '../../sim/scenario/load.ts';
import type { Scenario } from '../../sim/target.ts';

interface Job {
  key: string;
  target: AnyTarget;
  scenario: Scenario;
}

async function sampledJobs(perCell: number): Promise<Job[]> {
  const registry = new TargetRegistry(BUILTIN_TARGETS);
  const jobs: Job[] = [];
  let seed = 4_242;
  for (const name of registry.names()) {
    const target = await registry.get(name);
    const kinds = faultSpecsOf(target).map((s) => s.kind);
    const names = Object.keys(target.variants);
    // the first and the last variant: a fixed one and a legacy one for every built-in target
    for (const variant of new Set([names[0] as string, names.at(-1) as string])) {
      for (const mode of ['safety', 'liveness'] as const) {
        const arb = scenarioArbitrary({
          target,
          variant,
          mode,
          kinds,
          maxFaults: 6,
          healSlackMsMax: 30_000,
          schedule: 'co-occurrence',
          worlds: true,
        });
        fc.sample(arb, { seed: seed++, numRuns: perCell }).forEach((scenario, i) =>
          jobs.push({ key: `${name}/${variant}/${mode}/${i}`, target, scenario }),
        );
      }
    }
  }
  return jobs;
}

/** What a run gave, as one string per job: trace hash, verdicts, every check's summary, no-effect lines. */
async function fingerprints(jobs: readonly Job[], order: 'in order' | 'reversed, in flight together'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const one = async (j: Job): Promise<void> => {
    const run = await runScenario(j.target, j.scenario);
    const summaries = Object.entries(run.checks.results).map(([name, r]) => `${name}=${String(r.valid)}: ${r.summary}`);
    out[j.key] = JSON.stringify([run.traceHash, run.violated, summaries, run.noEffect]);
  };
  if (order === 'in order') for (const j of jobs) await one(j);
  else {
    const reversed = [...jobs].reverse();
    for (let i = 0; i < reversed.length; i += 6) await Promise.all(reversed.slice(i, i + 6).map(one));
  }
  return out;
}

const differing = (a: Record<string, string>, b: Record<string, string>): string[] => Object.keys(a).filter((k) => a[k] !== b[k]);

describe('run order: a run does not depend on the runs before or beside it (issue 17 caches)', () => {
  it('sampled runs of every target give the same results in order and reversed with six in flight', async () => {
    const jobs = await sampledJobs(4);
    expect(new Set(jobs.map((j) => j.target.name)).size).toBe(3);
    const inOrder = await fingerprints(jobs, 'in order');
    const reversed = await fingerprints(jobs, 'reversed, in flight together');
    expect(Object.keys(inOrder)).toHaveLength(jobs.length);
    expect(differing(inOrder, reversed)).toEqual([]);
  }, 120_000);

  it('catches a checker that reads what the previous run left (the comparison can fail)', async () => {
    let previousEnd: number | undefined;
    const jobs = (await sampledJobs(2)).slice(0, 8).map((j) => {
      const leaky: AnyTarget = {
        ...j.target,
        checkers: {
          ...j.target.checkers,
          leak: (input: { truth: { runEndedAt: number } }) => {
            const said = pass(`the run before ended at ${String(previousEnd)}`);
            previousEnd = input.truth.runEndedAt;
            return said;
          },
        },
      } as AnyTarget;
      return { ...j, target: leaky };
    });
    const inOrder = await fingerprints(jobs, 'in order');
    previousEnd = undefined;
    const reversed = await fingerprints(jobs, 'reversed, in flight together');
    expect(differing(inOrder, reversed).length).toBeGreaterThan(0);
  }, 60_000);
});
