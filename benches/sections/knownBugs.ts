/**
 * Runs to first detection per known bug (issue 12): every legacy variant, caught by its own
 * properties, and v1-strict's two failures. Blind: the explorer's own batches for the seed, each
 * run checked, no shrinking; a seed that does not reach the bug in `maxRuns` counts as Infinity
 * in the worst case. One row per bug, mode and explorer profile, before and after side by side
 * in one run (PROFILES).
 *   node --import tsx benches/sections/knownBugs.ts --seeds 20 --max-runs 2000 --modes safety,liveness
 */
import { pathToFileURL } from 'node:url';
import { workloadArbitraryWith } from '../../reference-impl/exec-stream/target/workload.ts';
import { batchRunsOf, exploreBatch, exploreSpace, planBatches, type ExplorerKind } from '../../sim/explore/explore.ts';
import type { AnyTarget } from '../../sim/registry.ts';
import { faultSpecsOf } from '../../sim/scenario/load.ts';
import type { Mode } from '../../sim/target.ts';
import { median, registry, table } from '../shared.ts';

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
  mode: Mode;
  profile: string;
  seeds: number;
  found: number;
  runsMedian: number;
  runsWorst: number;
  note?: string;
}

/** An explorer as the bench runs it: the explorer kind, and the target as that explorer draws it. */
export interface Profile {
  name: string;
  explorer: ExplorerKind;
  target(t: AnyTarget): AnyTarget;
}

/**
 * before: the explorer without issue 12's second half (plain swarm runs, the target's default
 * world, exec-stream's event log capacities from the fixed four); after: the guided explorer
 * (drawn worlds, coverage-guided mutants, capacities next to message sizes).
 */
export const PROFILES: readonly Profile[] = [
  {
    name: 'before (swarm)',
    explorer: 'swarm',
    target: (t) => t,
  },
  {
    name: 'after (guided)',
    explorer: 'guided',
    target: (t) =>
      t.name === 'exec-stream'
        ? ({ ...t, workload: { ...t.workload, arbitrary: workloadArbitraryWith({ sizes: true }) } } as AnyTarget)
        : t,
  },
];

/**
 * Runs of `execsim explore --seed S --runs maxRuns --mode M` (the explorer's own batches, in
 * order) until one of the bug's properties is violated, any other violation counting as a pass;
 * no shrinking. Undefined if not within maxRuns.
 */
export async function firstDetection(
  t: AnyTarget,
  bug: KnownBug,
  seed: number,
  maxRuns: number,
  explorer: ExplorerKind,
  mode: Mode = 'safety',
): Promise<number | undefined> {
  const kinds = faultSpecsOf(t)
    .map((k) => k.kind)
    .filter((k) => !(bug.without ?? []).includes(k));
  const space = exploreSpace({ target: t, variant: bug.variant, mode, faultKinds: kinds, explorer });
  for (const batch of planBatches(seed, maxRuns, undefined, batchRunsOf(explorer))) {
    const r = await exploreBatch(space, batch, { counts: (v) => v.some((p) => bug.properties.includes(p)), shrink: false });
    if (r.violation) return r.violation.foundAtRun;
  }
  return undefined;
}

export interface DetectionOptions {
  seeds: number;
  maxRuns: number;
  modes?: readonly Mode[];
  only?: (b: KnownBug) => boolean;
  onRow?: (row: KnownBugRow) => void;
}

export async function knownBugDetection(o: DetectionOptions): Promise<KnownBugRow[]> {
  const rows: KnownBugRow[] = [];
  for (const bug of (await knownBugs()).filter((b) => !o.only || o.only(b))) {
    const t = await registry.get(bug.target);
    for (const mode of o.modes ?? ['safety']) {
      for (const profile of PROFILES) {
        const runs: number[] = [];
        for (let seed = 1; seed <= o.seeds; seed++)
          runs.push((await firstDetection(profile.target(t), bug, seed, o.maxRuns, profile.explorer, mode)) ?? Infinity);
        const found = runs.filter(Number.isFinite).length;
        const row: KnownBugRow = {
          bug: bug.bug,
          mode,
          profile: profile.name,
          seeds: o.seeds,
          found,
          runsMedian: median(runs),
          runsWorst: Math.max(...runs),
          ...(bug.note ? { note: bug.note } : {}),
        };
        rows.push(row);
        o.onRow?.(row);
      }
    }
  }
  return rows;
}

/** `node --import tsx benches/sections/knownBugs.ts [--seeds N] [--max-runs N] [--modes safety,liveness] [--bug TEXT]`: this section alone. */
async function main(args: string[]): Promise<void> {
  const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const seeds = Number(opt('--seeds') ?? 20);
  const maxRuns = Number(opt('--max-runs') ?? 2_000);
  const modes = (opt('--modes') ?? 'safety,liveness').split(',') as Mode[];
  const bugText = opt('--bug');
  const rows = await knownBugDetection({
    seeds,
    maxRuns,
    modes,
    ...(bugText ? { only: (b: KnownBug) => b.bug.includes(bugText) } : {}),
    onRow: (r) => console.error(`${r.bug} ${r.mode} ${r.profile}: ${r.found}/${r.seeds}, median ${r.runsMedian}, worst ${r.runsWorst}`),
  });
  console.log(knownBugTable(rows, seeds, maxRuns));
}

export function knownBugTable(rows: readonly KnownBugRow[], seeds: number, maxRuns: number): string {
  return table(
    `Runs to first detection per known bug, ${seeds} seeds, at most ${maxRuns} runs (issue 12)`,
    ['bug', 'mode', 'explorer', 'found', 'runs med', 'runs worst', 'note'],
    rows.map((r) => [r.bug, r.mode, r.profile, `${r.found}/${r.seeds}`, r.runsMedian, r.runsWorst, r.note ?? '']),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
