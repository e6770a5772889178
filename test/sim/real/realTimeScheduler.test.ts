/**
 * Real mode's time accounting, on a fake wall clock (no real time passes here): virtual time
 * moves only while the world waits, by the dilated real wait, never past the next timer; the
 * time its tasks spend computing is not virtual time. Before this rule, a run's own CPU cost
 * (and event-loop lag) moved its faults and timeouts to other points of the protocol than in the
 * simulator: the bench's real-mode flakes.
 */
import { createClock } from '@sinonjs/fake-timers';
import { describe, expect, it } from 'vitest';
import { RealTimeScheduler, type Wall } from '../../../sim/real/realTimeScheduler.ts';
import { Rng } from '../../../sim/rng.ts';
import { World } from '../../../sim/world.ts';

function fakeWall(): { wall: Wall; clock: ReturnType<typeof createClock> } {
  const clock = createClock(0);
  return {
    clock,
    wall: {
      now: () => clock.now,
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
      clearTimeout: (h) => clock.clearTimeout(h as number),
    },
  };
}

const SCALE = 100;
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('RealTimeScheduler time accounting (fake wall)', () => {
  it('does not move virtual time while tasks compute, however long they take', () => {
    const { wall, clock } = fakeWall();
    const s = new RealTimeScheduler(new Rng(1), false, SCALE, wall);
    s.schedule(0, 'a', 'work', () => clock.tick(50)); // a task that computes for 50 real ms
    const pick = s.take();
    pick?.task.fn();
    clock.tick(30); // the barrier, other hosts' I/O callbacks, a GC pause
    expect(s.now()).toBe(0); // the old scheduler said 8,000: 80 real ms x 100
  });

  it('a timer fires at its due instant: the wait is dilated, event-loop lag is not counted', async () => {
    const { wall, clock } = fakeWall();
    const s = new RealTimeScheduler(new Rng(1), false, SCALE, wall);
    const fired: number[] = [];
    s.schedule(500, 'a', 't500', () => fired.push(s.now()));
    const waited = s.advance();
    clock.tick(4);
    expect(s.now()).toBe(400); // live while waiting: 4 real ms x 100
    clock.tick(1); // 5 real ms: the 500 virtual ms timer's real delay
    await waited;
    expect(s.now()).toBe(500);
    s.take()?.task.fn();
    expect(fired).toEqual([500]);
    // a late wake (the timer ran 20 real ms late) still lands exactly on the due time
    s.schedule(300, 'a', 't800', () => fired.push(s.now()));
    const w2 = s.advance();
    clock.tick(23);
    await w2;
    expect(s.now()).toBe(800);
    s.take()?.task.fn();
    expect(fired).toEqual([500, 800]);
  });

  it('real I/O during a wait is stamped at the dilated wait, and never past the next timer', async () => {
    const { wall, clock } = fakeWall();
    const s = new RealTimeScheduler(new Rng(1), false, SCALE, wall);
    s.schedule(1_000, 'a', 'timeout', () => undefined);
    const release = s.hold();
    const w = s.advance();
    clock.tick(2); // a frame arrives after 2 real ms
    s.schedule(0, 'b', 'deliver', () => undefined);
    await w;
    expect(s.now()).toBe(200);
    expect(s.take()?.task.label).toBe('deliver');
    // the next wait is for the 1,000 ms timer: 8 real ms more
    const w2 = s.advance();
    clock.tick(8);
    await w2;
    expect(s.now()).toBe(1_000);
    expect(s.take()?.task.label).toBe('timeout');
    release();
  });

  it('a timer made during a wait that is due sooner ends the wait, and the next waits for it', async () => {
    const { wall, clock } = fakeWall();
    const s = new RealTimeScheduler(new Rng(1), false, SCALE, wall);
    s.schedule(10_000, 'a', 'far', () => undefined);
    const w = s.advance();
    clock.tick(1);
    s.schedule(50, 'b', 'near', () => undefined); // at 100 + 50
    await w;
    expect(s.now()).toBe(100);
    const w2 = s.advance();
    clock.tick(1); // 0.5 real ms would do; fake timers tick in whole ms
    await w2;
    expect(s.now()).toBe(150);
    expect(s.take()?.task.label).toBe('near');
  });

  it('timers due at one instant become ready in creation order; cancelled ones never', async () => {
    const { wall, clock } = fakeWall();
    const s = new RealTimeScheduler(new Rng(1), false, SCALE, wall);
    const order: string[] = [];
    for (const l of ['x', 'y', 'z']) s.schedule(100, 'lane', l, () => order.push(l));
    const gone = s.schedule(100, 'lane', 'cancelled', () => order.push('cancelled'));
    s.cancel(gone);
    expect(s.refTimers).toBe(3);
    const w = s.advance();
    clock.tick(1);
    await w;
    for (let p = s.take(); p; p = s.take()) p.task.fn();
    expect(order).toEqual(['x', 'y', 'z']);
    expect(s.refTimers).toBe(0);
  });

  it('a world on it: an actor that computes for long sleeps its virtual 1,000 ms, not 1,000 plus its CPU', async () => {
    const { wall, clock } = fakeWall();
    let sched: RealTimeScheduler | undefined;
    const world = new World({ seed: 1 }, { scheduler: (rng, shuffle) => (sched = new RealTimeScheduler(rng, shuffle, SCALE, wall)) });
    const ports = world.host('a');
    const seen: number[] = [];
    world.spawn('worker', async () => {
      clock.tick(40); // 40 real ms of CPU: 4 virtual s under the old accounting
      await ports.clock.sleep(1_000);
      seen.push(world.now());
    });
    const run = world.run();
    // drive the fake wall while the world waits
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      await flush();
      clock.tick(1);
    }
    await run;
    expect(seen).toEqual([1_000]);
    expect(sched?.stats.waits).toBeGreaterThan(0);
  });
});
