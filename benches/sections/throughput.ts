/**
 * Runs per second on one core with faults on (safety mode), and virtual time per wall time, for
 * each target's candidate fix; plus event-log-only runs (the exec-server event log in a world:
 * a producer, a lagging live subscriber and a late one).
 *
 * Each row is measured next to its limit (./limit.ts: runs of the same scheduler shape with no
 * protocol logic), alternating in rounds, so a busy neighbour slows both alike: the ratio of the
 * two is the headline, the absolute runs/s only context.
 */
import { ExecProcessEventLog } from '../../reference-impl/exec-stream/eventLog/eventLog.ts';
import { runScenario } from '../../sim/runner.ts';
import type { Scenario } from '../../sim/target.ts';
import { createWorld, type World } from '../../sim/world.ts';
import { MAIN, now, sample, target } from '../shared.ts';
import { limitRun, shapeOf, type RunShape } from './limit.ts';

export interface ThroughputRow {
  target: string;
  runs: number;
  wallMs: number;
  runsPerSec: number;
  virtualToWall: number;
  /** Runs/s of the limit loop of the same shapes, measured in alternation with the target. */
  limitRunsPerSec: number;
  /** Target runs/s over limit runs/s (the runs alternate one by one with their limit runs). */
  ratio: number;
  /** Each round's ratio, to show the spread. */
  roundRatios: number[];
  /** Mean shape of one run: what the limit reproduces. */
  shape: RunShape;
}

const ROUNDS = 5;

/** Times `runs` runs of `one` against limit runs of the same shapes, in alternating rounds. */
async function sideBySide(
  label: string,
  runs: number,
  one: (i: number) => Promise<{ world: World; seed: number }>,
): Promise<ThroughputRow> {
  // warm up the JIT on both loops
  for (let i = 0; i < Math.min(100, runs); i++) {
    const r = await one(-1 - i);
    await limitRun(r.seed, shapeOf(r.world));
  }
  let wallMs = 0;
  let limitMs = 0;
  let virtualMs = 0;
  const roundRatios: number[] = [];
  const total: RunShape = { tasks: 0, timers: 0, cancelled: 0, fired: 0, instants: 0, messages: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const from = Math.floor((round * runs) / ROUNDS);
    const to = Math.floor(((round + 1) * runs) / ROUNDS);
    let targetMs = 0;
    let roundLimitMs = 0;
    // alternate run by run, so both loops see the same neighbours
    for (let i = from; i < to; i++) {
      const t0 = now();
      const r = await one(i);
      const t1 = now();
      const shape = shapeOf(r.world);
      const t2 = now();
      await limitRun(r.seed, shape);
      targetMs += t1 - t0;
      roundLimitMs += now() - t2;
      virtualMs += r.world.now();
      for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] += shape[k];
    }
    wallMs += targetMs;
    limitMs += roundLimitMs;
    roundRatios.push(roundLimitMs / targetMs);
  }
  for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] = Math.round((total[k] / runs) * 10) / 10;
  return {
    target: label,
    runs,
    wallMs,
    runsPerSec: (runs / wallMs) * 1000,
    virtualToWall: virtualMs / wallMs,
    limitRunsPerSec: (runs / limitMs) * 1000,
    ratio: limitMs / wallMs,
    roundRatios: roundRatios.map((r) => Math.round(r * 1000) / 1000),
    shape: total,
  };
}

export async function throughput(runs: number): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const [name, variant] of Object.entries(MAIN)) {
    const t = await target(name);
    const scenarios = sample(t, variant, runs + 100, 11);
    const pick = (i: number): Scenario => scenarios[i < 0 ? runs - 1 - i : i] as Scenario;
    rows.push(
      await sideBySide(`${name}:${variant}`, runs, async (i) => {
        const s = pick(i);
        return { world: (await runScenario(t, s)).world, seed: s.seed };
      }),
    );
  }
  rows.push(
    await sideBySide('event log only (exec-stream)', runs * 5, async (i) => {
      const seed = i < 0 ? 1_000_000 - i : i;
      return { world: await eventLogRun(seed), seed };
    }),
  );
  return rows;
}

/** One event-log run in a world: 48 events in 6 bursts, a live subscriber that lags, a late one. */
async function eventLogRun(seed: number): Promise<World> {
  const world = createWorld({ seed });
  const h = world.host('log');
  const log = new ExecProcessEventLog({ eventCapacity: 16, byteCapacity: 512 });
  world.spawn('producer', async () => {
    const live = log.subscribe();
    for (let burst = 0; burst < 6; burst++) {
      for (let i = 1; i <= 8; i++)
        log.publish({ type: 'output', seq: burst * 8 + i, stream: 'stdout', chunk: new Uint8Array(8 + ((seed + i) % 24)) });
      if (burst % 2 === 0) while (live.pending > 0) await live.recv();
      await h.clock.sleep(10);
    }
    const late = log.subscribe();
    while (late.pending > 0) await late.recv();
  });
  await world.run();
  return world;
}
