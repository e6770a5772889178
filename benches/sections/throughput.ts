/**
 * Runs per second on one core with faults on (safety mode), and virtual time per wall time, for
 * each target's candidate fix; plus event-log-only runs (the exec-server event log in a world:
 * a producer, a lagging live subscriber and a late one).
 */
import { ExecProcessEventLog } from '../../reference-impl/exec-server/eventLog/eventLog.ts';
import { runScenario } from '../../sim/runner.ts';
import { createWorld } from '../../sim/world.ts';
import { MAIN, now, sample, target } from '../shared.ts';

export interface ThroughputRow {
  target: string;
  runs: number;
  wallMs: number;
  runsPerSec: number;
  virtualToWall: number;
}

export async function throughput(runs: number): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const [name, variant] of Object.entries(MAIN)) {
    const t = await target(name);
    const scenarios = sample(t, variant, runs + 100, 11);
    for (const s of scenarios.slice(0, 100)) await runScenario(t, s); // warm up the JIT
    let virtualMs = 0;
    const t0 = now();
    for (const s of scenarios.slice(100)) virtualMs += (await runScenario(t, s)).world.now();
    const wallMs = now() - t0;
    rows.push({ target: `${name}:${variant}`, runs, wallMs, runsPerSec: (runs / wallMs) * 1000, virtualToWall: virtualMs / wallMs });
  }
  rows.push(await eventLogRuns(runs * 5));
  return rows;
}

/** One event-log run in a world: 48 events in 6 bursts, a live subscriber that lags, a late one. */
async function eventLogRun(seed: number): Promise<number> {
  const world = createWorld({ seed });
  const h = world.host('log');
  const log = new ExecProcessEventLog({ eventCapacity: 16, byteCapacity: 512 });
  let delivered = 0;
  world.spawn('producer', async () => {
    const live = log.subscribe();
    for (let burst = 0; burst < 6; burst++) {
      for (let i = 1; i <= 8; i++)
        log.publish({ type: 'output', seq: burst * 8 + i, stream: 'stdout', chunk: new Uint8Array(8 + ((seed + i) % 24)) });
      if (burst % 2 === 0) while (live.pending > 0) if ((await live.recv()).kind === 'value') delivered++;
      await h.clock.sleep(10);
    }
    const late = log.subscribe();
    while (late.pending > 0) if ((await late.recv()).kind === 'value') delivered++;
  });
  await world.run();
  return delivered;
}

async function eventLogRuns(runs: number): Promise<ThroughputRow> {
  for (let i = 0; i < 200; i++) await eventLogRun(i);
  let virtualMs = 0;
  const t0 = now();
  for (let i = 0; i < runs; i++) {
    await eventLogRun(i);
    virtualMs += 60;
  }
  const wallMs = now() - t0;
  return { target: 'event log only (exec-stream)', runs, wallMs, runsPerSec: (runs / wallMs) * 1000, virtualToWall: virtualMs / wallMs };
}
