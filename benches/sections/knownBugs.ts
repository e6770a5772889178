/**
 * Runs to first detection per known bug (issue 12): every legacy variant, caught by its own
 * properties, and v1-strict's two failures. Blind: the explorer's scenario arbitrary sampled per
 * seed, each run checked, no shrinking; a seed that does not reach the bug in `maxRuns` counts
 * as Infinity in the worst case. One row per bug and explorer profile: for exec-stream, "before"
 * is the swarm explorer without boundary-biased fault windows, "after" the default with them;
 * the other targets' explorers did not change (one row).
 */
import fc from 'fast-check';
import { faultArbitraryWith } from '../../reference-impl/exec-stream/target/faultKinds.ts';
import type { AnyTarget } from '../../sim/registry.ts';
import { scenarioArbitrary } from '../../sim/explore/scenarioArbitrary.ts';
import { runScenario } from '../../sim/runner.ts';
import { faultSpecsOf } from '../../sim/scenario/load.ts';
import type { Scenario } from '../../sim/target.ts';
import { median, registry } from '../shared.ts';

export interface KnownBug {
  bug: string;
  target: string;
  variant: string;
  /** The bug shows as one of these properties. */
  properties: string[];
  /** Leave these fault kinds out (another bug of the same variant that they find first). */
  without?: string[];
  note?: string;
}

const EXEC_OWN: Record<string, string[]> = {
  'lag-skips': ['no-lost-output'],
  'lag-closes': ['no-false-failure'],
  'no-dedupe': ['no-duplicate-output'],
  'arrival-order': ['authoritative-completion'],
  'legacy-denial': ['truthful-exit', 'authoritative-completion'],
};
const INHERITED = ['retention-size', 'exit-watcher-lost'];

export async function knownBugs(): Promise<KnownBug[]> {
  const bugs: KnownBug[] = [];
  for (const name of registry.names()) {
    const t = await registry.get(name);
    for (const [variant, info] of Object.entries(t.variants)) {
      if (info.expected === 'pass' || variant === 'v1-strict') continue;
      const own = name === 'exec-stream' ? EXEC_OWN[variant] : undefined;
      bugs.push({
        bug: `${name}:${variant}`,
        target: name,
        variant,
        properties: own ?? info.expected,
        ...(own ? { without: INHERITED } : {}),
      });
    }
  }
  bugs.push({
    bug: 'exec-stream:v1-strict late-subscriber hang (issue 12 #1)',
    target: 'exec-stream',
    variant: 'v1-strict',
    properties: ['terminates'],
  });
  bugs.push({
    bug: 'exec-stream:v1-strict pending-cap false failure (issue 12 #2)',
    target: 'exec-stream',
    variant: 'v1-strict',
    properties: ['no-false-failure'],
    note: 'an oracle defect, fixed: no longer a violation, so it should never be found',
  });
  return bugs;
}

export interface KnownBugRow {
  bug: string;
  profile: string;
  seeds: number;
  found: number;
  runsMedian: number;
  runsWorst: number;
  note?: string;
}

/** Runs until one of the bug's properties is violated; undefined if not within maxRuns. */
async function firstDetection(t: AnyTarget, bug: KnownBug, seed: number, maxRuns: number): Promise<number | undefined> {
  const kinds = faultSpecsOf(t)
    .map((k) => k.kind)
    .filter((k) => !(bug.without ?? []).includes(k));
  const arb = scenarioArbitrary({ target: t, variant: bug.variant, mode: 'safety', kinds, maxFaults: 6, healSlackMsMax: 30_000 });
  const batch = 250;
  for (let from = 0; from < maxRuns; from += batch) {
    const scenarios: Scenario[] = fc.sample(arb, { seed: seed * 100_003 + from, numRuns: Math.min(batch, maxRuns - from) });
    for (let i = 0; i < scenarios.length; i++) {
      const r = await runScenario(t, scenarios[i] as Scenario);
      if (r.violated.some((p) => bug.properties.includes(p))) return from + i + 1;
    }
  }
  return undefined;
}

export async function knownBugDetection(seeds: number, maxRuns: number, only?: (b: KnownBug) => boolean): Promise<KnownBugRow[]> {
  const rows: KnownBugRow[] = [];
  for (const bug of (await knownBugs()).filter((b) => !only || only(b))) {
    const t = await registry.get(bug.target);
    const profiles: Array<[string, AnyTarget]> =
      bug.target === 'exec-stream'
        ? [
            ['before (swarm)', { ...t, faults: { ...t.faults, arbitrary: faultArbitraryWith({ boundary: false }) } } as AnyTarget],
            ['after (+ boundary windows)', t],
          ]
        : [['swarm (unchanged)', t]];
    for (const [profile, pt] of profiles) {
      const runs: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) runs.push((await firstDetection(pt, bug, seed, maxRuns)) ?? Infinity);
      const found = runs.filter(Number.isFinite).length;
      rows.push({
        bug: bug.bug,
        profile,
        seeds,
        found,
        runsMedian: median(runs),
        runsWorst: Math.max(...runs),
        ...(bug.note ? { note: bug.note } : {}),
      });
    }
  }
  return rows;
}
