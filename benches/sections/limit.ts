/**
 * The limit a target's runs/s can reach on this machine, measured next to it: the bare cost of
 * the simulator's scheduler and quiescence barrier for a run of the same shape. A limit run is a
 * world with no protocol logic in which one actor waits through the same number of virtual
 * instants, with the same number of timers (fired and cancelled), zero-delay tasks and messages
 * (timers on a second lane, as a connection's frames are) as a real run of the target counted by
 * the scheduler. A target at ratio 1 spends nothing beyond what any run of its shape must.
 */
import type { World } from '../../sim/world.ts';
import { createWorld } from '../../sim/world.ts';

export interface RunShape {
  tasks: number;
  timers: number;
  cancelled: number;
  fired: number;
  instants: number;
  /** Frames delivered by the simulated network. */
  messages: number;
}

export function shapeOf(world: World): RunShape {
  const s = world.schedulerStats;
  if (!s) throw new Error('shapeOf: not a simulated world');
  let messages = 0;
  for (const e of world.trace.events) if (e.kind === 'net.deliver') messages++;
  return { tasks: s.tasks, timers: s.timers, cancelled: s.cancelled, fired: s.fired, instants: s.instants, messages };
}

const noop = (): void => undefined;
/** floor-spread of `total` over `n` slots: the share of slot `i`. */
const share = (total: number, n: number, i: number) => Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n);

/** What an empty limit world costs by itself (its actor's start, the run's horizon timer). */
let base: RunShape | undefined;

/** One limit run of the given shape; returns the shape it produced (for the self-check). */
export async function limitRun(seed: number, shape: RunShape): Promise<RunShape> {
  base ??= await emptyShape();
  const b = base;
  const world = createWorld({ seed });
  const a = world.host('a');
  const instants = Math.max(0, shape.instants - b.instants);
  const fired = Math.max(0, shape.fired - b.fired);
  const messages = Math.min(shape.messages, fired);
  // a message wakes its receiver where it can, as a frame does; the rest fire beside a wake-up
  const wakeMessages = Math.min(messages, instants);
  const extraMessages = messages - wakeMessages;
  const extraFired = Math.max(0, fired - instants - extraMessages);
  const zero = Math.max(0, shape.tasks - b.tasks - fired);
  const cancelled = Math.max(0, shape.cancelled - b.cancelled);
  const pending = Math.max(0, shape.timers - shape.fired - shape.cancelled - (b.timers - b.fired - b.cancelled));
  const peer = messages > 0 ? world.host('b') : a;
  world.spawn('limit', async () => {
    for (let i = 0; i < cancelled; i++) a.clock.clearTimeout(a.clock.setTimeout(noop, 1_000));
    // timers left waiting at the end (unref'd, like a daemon's)
    for (let i = 0; i < pending; i++) a.clock.setTimeout(noop, 1e9).unref();
    const slots = Math.max(1, instants);
    for (let i = 0; i < slots; i++) {
      for (let j = share(extraFired, slots, i); j > 0; j--) a.clock.setTimeout(noop, 1);
      for (let j = share(extraMessages, slots, i); j > 0; j--) peer.clock.setTimeout(noop, 1);
      for (let j = share(zero, slots, i); j > 0; j--) a.clock.setTimeout(noop, 0);
      if (i >= instants) break;
      if (share(wakeMessages, slots, i) > 0) await new Promise<void>((wake) => peer.clock.setTimeout(wake, 1));
      else await a.clock.sleep(1);
    }
  });
  await world.run();
  const got = shapeOf(world);
  got.messages = messages;
  return got;
}

async function emptyShape(): Promise<RunShape> {
  const world = createWorld({ seed: 1 });
  world.spawn('limit', async () => undefined);
  await world.run();
  return shapeOf(world);
}
