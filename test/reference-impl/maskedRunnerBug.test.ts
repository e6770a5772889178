/**
 * A runner bug that the client masks is still caught (issue 12: "defence in depth in the
 * implementation must not hide a bug in one of its layers"). The test double, injected in this
 * test only, is an attach-pump runner that takes the cursor of a re-attach (`?stdout=N&stderr=M`)
 * and sends positioned frames, but replays each stream from the head of its backlog instead of
 * from the cursor: it resends bytes the client already has. The `cursor` client drops every byte
 * before its cursor, so what the user sees is whole and in order; only the wire checker
 * `cursor-frames` can tell, and blind exploration must find it with nothing else violated.
 */
import { describe, expect, it } from 'vitest';
import { runAttach, target as attachPump } from '../../reference-impl/attach-pump/target.ts';
import type { Runner } from '../../reference-impl/attach-pump/runner/server.ts';
import type { StreamBus } from '../../reference-impl/attach-pump/runner/streamBus.ts';
import { explore } from '../../sim/explore/explore.ts';
import type { AnyTarget } from '../../sim/registry.ts';
import { runScenario } from '../../sim/runner.ts';

/** Every new execution's buses ignore the cursor: replay starts at the backlog head. */
function replayFromHead(runner: Runner): void {
  const start = runner.manager.start.bind(runner.manager);
  runner.manager.start = (...args) => {
    const e = start(...args);
    for (const bus of [e.stdout, e.stderr] as StreamBus[]) {
      const subscribe = bus.subscribe.bind(bus);
      bus.subscribe = (capacity: number, from?: number) => subscribe(capacity, from === undefined ? undefined : Math.min(from, bus.head));
    }
    return e;
  };
}

const double = { ...attachPump, run: (w, s) => runAttach(w, s as never, {}, replayFromHead) } as AnyTarget;
const real = attachPump as AnyTarget;
const SEED = 7;
const RUNS = 1_000;

describe('a runner that resends frames before the cursor, masked by the cursor client', () => {
  it('is caught blind by cursor-frames alone; the real runner passes the same runs', async () => {
    const report = await explore({ target: double, variant: 'cursor', runs: RUNS, seed: SEED, mode: 'safety' });
    const v = report.violation;
    expect(v, `no violation in ${RUNS} runs`).toBeDefined();
    // the user-visible properties all hold: the client masked the bug
    expect(v!.violated).toEqual(['cursor-frames']);
    const found = await runScenario(double, v!.scenario);
    expect(found.checks.results['cursor-frames']?.summary).toMatch(/overlap/);
    // the scenario found, on the real runner: nothing violated
    expect((await runScenario(real, v!.scenario)).violated).toEqual([]);
    // the same exploration (same seed, the same runs up to the find) of the real runner is clean
    const clean = await explore({ target: real, variant: 'cursor', runs: v!.foundAtRun, seed: SEED, mode: 'safety' });
    expect(clean.violation).toBeUndefined();
  }, 240_000);
});
