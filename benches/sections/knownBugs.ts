/**
 * Runs to first detection per known bug (issue 12): every legacy variant, caught by its own
 * properties, v1-strict's two failures and session-wait:fixed's upstream gap. Blind: the explorer's own batches for the seed, each
 * run checked, no shrinking; a seed that does not reach the bug in `maxRuns` counts as Infinity
 * in the worst case. One line per bug and mode, before (`--explorer plain`) and after (the default
 * explorer) side by side, measured in one run (PROFILES). The full table (20 seeds):
 *   node --import tsx benches/sections/knownBugs.ts --seeds 20 --max-runs 2000 --modes safety,liveness
 * or in two shards, merged by hand from their --json:
 *   node --import tsx benches/sections/knownBugs.ts --seeds 20 --shard 1/2 --json a.json (and 2/2)
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { workloadArbitraryWith } from '../../reference-impl/exec-stream/target/workload.ts';
import { WAIT_TAKES_ITSELF_GAP } from '../../reference-impl/session-wait/variants/fixed.ts';
import { batchRunsOf, DEFAULT_EXPLORER, exploreBatch, exploreSpace, planBatches, type ExplorerKind } from '../../sim/explore/explore.ts';
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
      // the upstream gaps of the candidate fixes' bases get their own rows below
      if (info.expected === 'pass' || variant === 'v1-strict' || (name === 'session-wait' && variant === 'fixed')) continue;
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
  bugs.push({
    bug: 'session-wait:fixed wait takes itself for the daemon (issue 12, upstream gap; fixed-ticks closes it)',
    target: 'session-wait',
    variant: 'fixed',
    properties: WAIT_TAKES_ITSELF_GAP,
    note: "only in a drawn PID space that wraps: never found in the target's own world (before, swarm)",
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
  /** What --profiles names it by. */
  key: string;
  name: string;
  explorer: ExplorerKind;
  target(t: AnyTarget): AnyTarget;
}

/**
 * before: the default explorer before issue 12's co-occurrence schedule (`--explorer plain`);
 * after: today's default (DEFAULT_EXPLORER: `--explorer worlds`, a third of the runs in drawn
 * worlds); swarm (not run unless named): the default before worlds (`--explorer swarm`, the
 * target's own world only); guided (not run unless named): the opt-in guided explorer, with
 * exec-stream's capacities next to message sizes.
 */
export const PROFILES: readonly Profile[] = [
  { key: 'before', name: 'before (plain)', explorer: 'plain', target: (t) => t },
  { key: 'after', name: `after (${DEFAULT_EXPLORER})`, explorer: DEFAULT_EXPLORER, target: (t) => t },
  { key: 'swarm', name: 'swarm (default before worlds)', explorer: 'swarm', target: (t) => t },
  {
    key: 'guided',
    name: 'guided',
    explorer: 'guided',
    target: (t) =>
      t.name === 'exec-stream'
        ? ({ ...t, workload: { ...t.workload, arbitrary: workloadArbitraryWith({ sizes: true }) } } as AnyTarget)
        : t,
  },
];
export const DEFAULT_PROFILES = ['before', 'after'];

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
  /** Profiles by name (default: all of PROFILES). */
  profiles?: readonly string[];
  /** Only the rows (bug x mode x profile, in order) of shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  onRow?: (row: KnownBugRow) => void;
}

export async function knownBugDetection(o: DetectionOptions): Promise<KnownBugRow[]> {
  const rows: KnownBugRow[] = [];
  const profiles = PROFILES.filter((p) => (o.profiles ?? DEFAULT_PROFILES).includes(p.key));
  let cell = 0;
  for (const bug of (await knownBugs()).filter((b) => !o.only || o.only(b))) {
    const t = await registry.get(bug.target);
    for (const mode of o.modes ?? ['safety']) {
      for (const profile of profiles) {
        if (o.shard && cell++ % o.shard.count !== o.shard.index - 1) continue;
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

/**
 * `node --import tsx benches/sections/knownBugs.ts [--seeds N] [--max-runs N] [--modes safety,liveness] [--bug TEXT]
 * [--profiles before,after,swarm,guided] [--shard i/n] [--json FILE]`: this section alone; a shard takes every n-th row
 * (bug x mode x profile), and --json writes its rows for merging.
 */
async function main(args: string[]): Promise<void> {
  const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const seeds = Number(opt('--seeds') ?? 20);
  const maxRuns = Number(opt('--max-runs') ?? 2_000);
  const modes = (opt('--modes') ?? 'safety,liveness').split(',') as Mode[];
  const bugText = opt('--bug');
  const profiles = opt('--profiles')?.split(',');
  const shardArg = opt('--shard')?.split('/').map(Number);
  const rows = await knownBugDetection({
    seeds,
    maxRuns,
    modes,
    ...(profiles ? { profiles } : {}),
    ...(shardArg ? { shard: { index: shardArg[0] as number, count: shardArg[1] as number } } : {}),
    ...(bugText ? { only: (b: KnownBug) => b.bug.includes(bugText) } : {}),
    onRow: (r) => console.error(`${r.bug} ${r.mode} ${r.profile}: ${r.found}/${r.seeds}, median ${r.runsMedian}, worst ${r.runsWorst}`),
  });
  console.log(knownBugTable(rows, seeds, maxRuns));
  const json = opt('--json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2) + '\n');
}

/** One line per bug and mode, each profile's found / median / worst side by side (before, then after). */
export function knownBugTable(rows: readonly KnownBugRow[], seeds: number, maxRuns: number): string {
  const profiles = [...new Set(rows.map((r) => r.profile))];
  const lines = new Map<string, KnownBugRow[]>();
  for (const r of rows) {
    const k = `${r.bug}\u0000${r.mode}`;
    lines.set(k, [...(lines.get(k) ?? []), r]);
  }
  return table(
    `Runs to first detection per known bug, ${seeds} seeds, at most ${maxRuns} runs (issue 12); Infinity: not found on some seed`,
    ['bug', 'mode', ...profiles.flatMap((p) => [`${p} found`, 'med', 'worst']), 'note'],
    [...lines.values()].map((rs) => {
      const first = rs[0] as KnownBugRow;
      const cells = profiles.flatMap((p): Array<string | number> => {
        const r = rs.find((x) => x.profile === p);
        return r ? [`${r.found}/${r.seeds}`, r.runsMedian, r.runsWorst] : ['', '', ''];
      });
      return [first.bug, first.mode, ...cells, first.note ?? ''];
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
