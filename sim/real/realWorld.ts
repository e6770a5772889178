/**
 * Real mode: the same targets, the same world API, driven by real time and real loopback
 * WebSockets instead of virtual time and the simulated network, for measuring how the simulator
 * compares with reality (npm run bench). Time is dilated (realTimeScheduler.ts): every protocol
 * constant (a 45 s watchdog, a 25 s recovery window) shrinks by `scale` without touching the
 * implementations. The network is worldNet.ts. Files and processes stay simulated, on real
 * timers. Real runs are not deterministic: that is what the comparison measures.
 */
import type { WorldOptionsInput } from '../options.ts';
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
