/**
 * The guided explorer (`--explorer guided`, opt-in; the default is worlds): half of its runs are
 * fresh swarm scenarios, each in a world of its own drawn options (./worldSwarm.ts), and half are
 * mutants of the corpus, the runs whose trace showed something no earlier run of the batch had
 * (./coverage.ts). A mutant takes one to three steps: aim a fault's time (when it fires, how long
 * it lasts, when the faults heal) at an instant of the parent's trace, preferring the instants of
 * rare events (a failure, an expiry), just before or just after; add, drop or redraw a fault;
 * take a workload field from another corpus run; draw another world seed or world. Parents are
 * picked by the rarity of what they covered.
 *
 * Everything is drawn from the batch's seed, and the corpus lives within one batch, so a seed
 * gives one result with any number of workers. A failure is shrunk on the data (./shrinkData.ts).
 */
import fc from 'fast-check';
import { validateFaults } from '../faults/validate.ts';
import type { Fault } from '../faults/fault.ts';
import type { AnyTarget } from '../registry.ts';
import { Rng } from '../rng.ts';
import { runScenario } from '../runner.ts';
import { faultSpecsOf, workloadProblems } from '../scenario/load.ts';
import type { Scenario } from '../target.ts';
import { featuresOf, instantsOf } from './coverage.ts';
import { dropUnneededFaults, effectiveFailure, finalRun } from './failing.ts';
import type { Batch, BatchHooks, BatchResult, ExploreSpace } from './explore.ts';
import { scenarioArbitrary } from './scenarioArbitrary.ts';
import { shrinkScenario } from './shrinkData.ts';
import { setTime, timeFields } from './timeFields.ts';
import { worldKnobsArbitrary } from './worldSwarm.ts';

/** Share of runs that are mutants once the corpus has a run. */
const MUTANT_SHARE = 0.5;
/** A run this long is not kept as a parent: its mutants would only grow longer. */
const PARENT_EVENTS_MAX = 20_000;
/** Offsets from an instant: just before, at, just after, a little later. */
const NEAR = [-100, -10, -1, 0, 1, 2, 10, 100, 1_000];

interface Entry {
  scenario: Scenario;
  features: string[];
  instants: Map<string, number[]>;
}

class Corpus {
  readonly entries: Entry[] = [];
  /** Runs that had each feature, and each kind of event. */
  private readonly featureRuns = new Map<string, number>();
  private readonly kindRuns = new Map<string, number>();

  /** Counts a run's features; true when one of them is new. */
  observe(features: readonly string[], kinds: Iterable<string>): boolean {
    let fresh = false;
    for (const f of features) {
      const n = this.featureRuns.get(f) ?? 0;
      if (n === 0) fresh = true;
      this.featureRuns.set(f, n + 1);
    }
    for (const k of kinds) this.kindRuns.set(k, (this.kindRuns.get(k) ?? 0) + 1);
    return fresh;
  }

  /** A parent, weighted by the rarity of its features (a run that alone saw something is picked most). */
  pick(rng: Rng): Entry {
    let total = 0;
    const weights = this.entries.map((e) => {
      let w = 0;
      for (const f of e.features) w += 1 / (this.featureRuns.get(f) ?? 1);
      total += w;
      return w;
    });
    let x = rng.float() * total;
    for (let i = 0; i < weights.length; i++) if ((x -= weights[i] as number) < 0) return this.entries[i] as Entry;
    return this.entries.at(-1) as Entry;
  }

  /** An instant of the parent's trace, its kind weighted by rarity across the batch's runs. */
  instant(e: Entry, rng: Rng): number | undefined {
    const kinds = [...e.instants.keys()];
    if (kinds.length === 0) return undefined;
    const weights = kinds.map((k) => 1 / (this.kindRuns.get(k) ?? 1));
    let x = rng.float() * weights.reduce((a, b) => a + b, 0);
    let i = 0;
    while (i < kinds.length - 1 && (x -= weights[i] as number) >= 0) i++;
    return rng.pick(e.instants.get(kinds[i] as string) as number[]);
  }
}

/** One draw of an arbitrary from the explorer's own generator. */
const draw = <T>(arb: fc.Arbitrary<T>, rng: Rng): T => fc.sample(arb, { seed: rng.int(-0x80000000, 0x7fffffff), numRuns: 1 })[0] as T;

const clone = (s: Scenario): Scenario => JSON.parse(JSON.stringify(s)) as Scenario;

class Mutator {
  constructor(
    private readonly space: ExploreSpace,
    private readonly corpus: Corpus,
    private readonly rng: Rng,
  ) {}

  mutant(): Scenario | undefined {
    const parent = this.corpus.pick(this.rng);
    let s = clone(parent.scenario);
    const steps = this.rng.int(1, 3);
    for (let i = 0; i < steps; i++) s = this.step(s, parent) ?? s;
    s.faults.sort((a, b) => a.at - b.at);
    if (s.mode === 'liveness') s.healAtMs = Math.max(s.healAtMs ?? 0, s.faults.at(-1)?.at ?? 0);
    return this.valid(s) ? s : undefined;
  }

  private step(s: Scenario, parent: Entry): Scenario | undefined {
    const { rng, space } = this;
    const op = rng.pick(['retime', 'retime', 'retime', 'add', 'add', 'drop', 'redraw', 'splice', 'splice', 'seed', 'world'] as const);
    switch (op) {
      case 'retime': {
        const slots: Array<[Fault | undefined, string]> = s.faults.flatMap((f) =>
          timeFields(space.target, f).map((k) => [f, k] as [Fault, string]),
        );
        if (s.mode === 'liveness') slots.push([undefined, 'healAtMs']);
        if (slots.length === 0) return undefined;
        const [f, key] = rng.pick(slots);
        const t = this.corpus.instant(parent, rng);
        if (t === undefined) return undefined;
        const at = t + rng.pick(NEAR);
        if (!f) s.healAtMs = Math.max(0, at);
        else setTime(f, key, at);
        return s;
      }
      case 'add': {
        if (s.faults.length >= space.maxFaults || space.kinds.length === 0) return undefined;
        const f = draw(space.target.faults.arbitrary(rng.pick(space.kinds), s.workload), rng);
        s.faults.push(f);
        // half the new faults are aimed at an instant at once
        const keys = timeFields(space.target, f);
        const t = this.corpus.instant(parent, rng);
        if (keys.length > 0 && t !== undefined && rng.bool()) {
          setTime(f, rng.pick(keys), t + rng.pick(NEAR));
        }
        return s;
      }
      case 'drop':
        if (s.faults.length === 0) return undefined;
        s.faults.splice(rng.int(0, s.faults.length - 1), 1);
        return s;
      case 'redraw': {
        if (s.faults.length === 0) return undefined;
        const i = rng.int(0, s.faults.length - 1);
        s.faults[i] = draw(space.target.faults.arbitrary((s.faults[i] as Fault).kind, s.workload), rng);
        return s;
      }
      case 'splice': {
        const other = this.corpus.entries[rng.int(0, this.corpus.entries.length - 1)] as Entry;
        const mine = s.workload as Record<string, unknown>;
        const theirs = other.scenario.workload as Record<string, unknown>;
        if (mine === null || typeof mine !== 'object' || theirs === null || typeof theirs !== 'object') return undefined;
        const key = rng.pick(Object.keys(theirs));
        s.workload = { ...mine, [key]: JSON.parse(JSON.stringify(theirs[key])) as unknown };
        return s;
      }
      case 'seed':
        s.seed = rng.int(-0x80000000, 0x7fffffff);
        return s;
      case 'world':
        s.world = draw(worldKnobsArbitrary, rng);
        return s;
    }
  }

  private valid(s: Scenario): boolean {
    return (
      workloadProblems(this.space.target, s.workload).length === 0 && validateFaults(s.faults, faultSpecsOf(this.space.target)).length === 0
    );
  }
}

/** Fresh swarm scenarios, each with a drawn world, in chunks from seeds derived from the batch's. */
function* freshScenarios(space: ExploreSpace, seed: number): Generator<Scenario> {
  const arb = fc
    .tuple(scenarioArbitrary({ ...space, healSlackMsMax: 30_000 }), worldKnobsArbitrary)
    .map(([s, world]): Scenario => ({ ...s, world }));
  for (let chunk = 0; ; chunk++) yield* fc.sample(arb, { seed: (seed + chunk * 0x9e3779b1) | 0, numRuns: 50 });
}

export async function guidedBatch(space: ExploreSpace, batch: Batch, hooks: BatchHooks = {}): Promise<BatchResult> {
  const { target } = space;
  const rng = new Rng(batch.fcSeed);
  const corpus = new Corpus();
  const mutator = new Mutator(space, corpus, rng);
  const fresh = freshScenarios(space, batch.fcSeed);
  const started = hooks.now?.();
  let executed = 0;
  for (let i = 0; i < batch.runs; i++) {
    if (hooks.budgetMs !== undefined && started !== undefined && hooks.now && hooks.now() - started >= hooks.budgetMs)
      return { index: batch.index, runsExecuted: executed, interrupted: true };
    const scenario =
      (corpus.entries.length > 0 && rng.bool(MUTANT_SHARE) ? mutator.mutant() : undefined) ?? (fresh.next().value as Scenario);
    executed++;
    hooks.onRun?.();
    const run = await runScenario(target, scenario);
    const found = await effectiveFailure(target, scenario, run);
    const paused = hooks.pause?.();
    if (paused) await paused;
    if (found && (hooks.counts?.(found.run.violated) ?? true)) {
      const result: BatchResult = { index: batch.index, runsExecuted: executed, interrupted: false };
      hooks.onFailure?.(found.scenario, found.run.violated);
      const property = found.run.violated.find((p) => hooks.counts?.([p]) ?? true) as string;
      const shrunk =
        hooks.shrink === false
          ? { scenario: found.scenario, steps: 0 }
          : await shrinkScenario(
              target,
              await dropUnneededFaults(target, found.scenario, property, hooks.onFailure),
              property,
              hooks.onFailure,
            );
      result.violation = {
        foundAtRun: batch.firstRun + executed,
        shrinks: shrunk.steps,
        ...(await finalRun(target, shrunk.scenario)),
        batch: batch.index,
        fcSeed: batch.fcSeed,
        path: `guided:${executed}`,
      };
      return result;
    }
    const events = run.world.trace.events;
    if (events.length > PARENT_EVENTS_MAX) continue;
    const features = featuresOf(events);
    const instants = instantsOf(events);
    if (corpus.observe(features, instants.keys())) corpus.entries.push({ scenario, features, instants });
  }
  return { index: batch.index, runsExecuted: executed, interrupted: false };
}
