/**
 * Real mode: the same targets, the same world API, driven by real time and real loopback
 * WebSockets instead of virtual time and the simulated network, for measuring how the simulator
 * compares with reality (npm run bench). Time is dilated (realTimeScheduler.ts): every protocol
 * constant (a 45 s watchdog, a 25 s recovery window) shrinks by `scale` without touching the
 * implementations. The network is worldNet.ts. Files and processes stay simulated, on real
 * timers. Real runs are not deterministic: that is what the comparison measures.
 */
import { performance } from 'node:perf_hooks';
import { compose, type Checker, type Composed } from '../check/result.ts';
import type { WorldOptionsInput } from '../options.ts';
import type { AnyTarget } from '../registry.ts';
import type { Scenario } from '../target.ts';
import { World } from '../world.ts';
import { RealTimeScheduler } from './realTimeScheduler.ts';
import { RealWorldNet } from './worldNet.ts';

export interface RealWorld {
  world: World;
  /** Closes every real server and socket it opened. */
  dispose(): void;
}

/** A world on real time (dilated by `scale`) and real loopback sockets. */
export function createRealWorld(input: WorldOptionsInput, scale: number): RealWorld {
  let net: RealWorldNet | undefined;
  let sched: RealTimeScheduler | undefined;
  const world = new World(input, {
    scheduler: (rng, shuffle) => (sched = new RealTimeScheduler(rng, shuffle, scale)),
    network: (kernel, _rng, options) => (net = new RealWorldNet(kernel, sched as RealTimeScheduler, options)),
  });
  return { world, dispose: () => net?.closeAll() };
}

/** runScenario in real mode: the same target code and checkers, on real time and sockets. */
export async function runScenarioReal(
  target: AnyTarget,
  scenario: Scenario,
  scale: number,
): Promise<{ violated: string[]; checks: Composed; wallMs: number; virtualMs: number }> {
  const started = performance.now();
  const { world, dispose } = createRealWorld({ ...target.worldOptions?.(scenario), seed: scenario.seed }, scale);
  try {
    if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) world.healAt(scenario.healAtMs);
    const outcome = await target.run(world, scenario);
    const checks = compose(target.checkers as Record<string, Checker<unknown>>, { ...outcome, scenario });
    const violated = Object.entries(checks.results)
      .filter(([, r]) => r.valid === false)
      .map(([name]) => name);
    if (world.errors.length > 0) violated.push('no-crash');
    return { violated, checks, wallMs: performance.now() - started, virtualMs: world.now() };
  } finally {
    dispose();
  }
}
