/**
 * Runs per second on one core with faults on (safety mode), and virtual time per wall time, for
 * each target's candidate fix; plus event-log-only runs (the exec-server event log in a world:
 * a producer, a lagging live subscriber and a late one).
 *
 * Each row is measured next to its limit (./limit.ts: runs of the same scheduler shape with no
 * protocol logic), in alternating blocks of CPU time, so a busy neighbour slows both alike: the
 * ratio of the two is the headline, the absolute runs/s only context.
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
  /** CPU ms of the target's runs, and of the limit runs of the same shapes beside them. */
  cpuMs: number;
  limitCpuMs: number;
  /** Runs per CPU second of the limit loop. */
  limitRunsPerSec: number;
  /** Limit CPU time over target CPU time, in alternating blocks of BLOCK runs (see sideBySide). */
  ratio: number;
  /** Each round's ratio, to show the spread. */
  roundRatios: number[];
  /** Mean shape of one run: what the limit reproduces. */
  shape: RunShape;
}

const ROUNDS = 5;
/** Runs per block: a block of target runs and a block of limit runs alternate, in ABBA order. */
export const BLOCK = 20;

/** CPU time of this process (all its threads, the GC's too), in ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Times `runs` runs of `one` against limit runs of the same shapes. A first pass over every run
 * takes its shape (and warms the JIT on both loops); then blocks of BLOCK target runs and BLOCK
 * limit runs of the same shapes alternate, in the order TL LT TL LT ..., so each kind follows
 * each kind equally often: the garbage a block leaves is collected in the next one, and run by
 * run alternation charged the limit for the target's garbage (the same event-log runs gave 42%
 * measured target first and 173% limit first). Costs are CPU time, which a busy neighbour
 * moves less than wall time; wall time is kept for runs/s and virtual:wall.
 */
async function sideBySide(
  label: string,
  runs: number,
  one: (i: number) => Promise<{ world: World; seed: number }>,
): Promise<ThroughputRow> {
  const shapes: RunShape[] = [];
  const seeds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await one(i);
    shapes.push(shapeOf(r.world));
    seeds.push(r.seed);
    if (i < 100) await limitRun(r.seed, shapes[i] as RunShape);
  }
  let wallMs = 0;
  let targetCpu = 0;
  let limitCpu = 0;
  let virtualMs = 0;
  const roundT = new Array<number>(ROUNDS).fill(0);
  const roundL = new Array<number>(ROUNDS).fill(0);
  const targetBlock = async (from: number, to: number): Promise<number> => {
    const c0 = cpuMs();
    const t0 = now();
    for (let i = from; i < to; i++) virtualMs += (await one(i)).world.now();
    wallMs += now() - t0;
    return cpuMs() - c0;
  };
  const limitBlock = async (from: number, to: number): Promise<number> => {
    const c0 = cpuMs();
    for (let i = from; i < to; i++) await limitRun(seeds[i] as number, shapes[i] as RunShape);
    return cpuMs() - c0;
  };
  for (let b = 0, from = 0; from < runs; b++, from += BLOCK) {
    const to = Math.min(runs, from + BLOCK);
    const round = Math.min(ROUNDS - 1, Math.floor((from * ROUNDS) / runs));
    let t: number;
    let l: number;
    if (b % 2 === 0) {
      t = await targetBlock(from, to);
      l = await limitBlock(from, to);
    } else {
      l = await limitBlock(from, to);
      t = await targetBlock(from, to);
    }
    targetCpu += t;
    limitCpu += l;
    roundT[round] = (roundT[round] as number) + t;
    roundL[round] = (roundL[round] as number) + l;
  }
  const total: RunShape = { tasks: 0, timers: 0, cancelled: 0, fired: 0, instants: 0, messages: 0 };
  for (const shape of shapes) for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] += shape[k];
  for (const k of Object.keys(total) as Array<keyof RunShape>) total[k] = Math.round((total[k] / runs) * 10) / 10;
  return {
    target: label,
    runs,
    wallMs,
    runsPerSec: (runs / wallMs) * 1000,
    virtualToWall: virtualMs / wallMs,
    cpuMs: targetCpu,
    limitCpuMs: limitCpu,
    limitRunsPerSec: (runs / limitCpu) * 1000,
    ratio: limitCpu / targetCpu,
    roundRatios: roundT.map((x, i) => Math.round(((roundL[i] as number) / x) * 1000) / 1000),
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
export async function eventLogRun(seed: number): Promise<World> {
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
