/**
 * A timer delay of NaN, an infinity or below 0 cannot come from a valid scenario file, but it can
 * from a target's own code (a delay computed from a missing field). Both schedulers refuse it,
 * naming the delay, in the code that asked: never a timer that fires at once. In a run, that is
 * the target's crash, `no-crash` violated with the message (exit 1).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../sim/cli/main.ts';
import { RealTimeScheduler } from '../../../sim/real/realTimeScheduler.ts';
import { Rng } from '../../../sim/rng.ts';
import { Scheduler, type TaskScheduler } from '../../../sim/scheduler.ts';
import { createWorld } from '../../../sim/world.ts';
import { capture } from './runEdited.ts';

const BAD: Array<[number, string]> = [
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  [Number.NEGATIVE_INFINITY, '-Infinity'],
  [-1, '-1'],
  [-0.5, '-0.5'],
];
const wall = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined };
const schedulers: Array<[string, () => TaskScheduler]> = [
  ['simulated', () => new Scheduler(new Rng(1), false)],
  ['real-time', () => new RealTimeScheduler(new Rng(1), false, 10, wall)],
];

describe.each(schedulers)('the %s scheduler refuses a delay that is not a number of ms from 0 up', (_name, make) => {
  it.each(BAD)('%s: a RangeError naming the delay, the timer and its lane; nothing scheduled', (delay, shown) => {
    const s = make();
    let fired = false;
    expect(() => s.schedule(delay, 'host:client', 'retry-backoff', () => (fired = true))).toThrow(
      new RangeError(`timer "retry-backoff" on host:client: delay ${shown} ms is not a number of ms from 0 up`),
    );
    expect(s.take()).toBeUndefined();
    expect(s.refTimers).toBe(0);
    expect(fired).toBe(false);
  });

  it('a delay that is not a number at all (a third-party target in plain JavaScript) is refused too', () => {
    expect(() => make().schedule(undefined as unknown as number, 'a', 'timer', () => undefined)).toThrow(/delay undefined ms/);
    expect(() => make().schedule('100' as unknown as number, 'a', 'timer', () => undefined)).toThrow(/delay "100" ms/);
  });

  it('0 and fractions still work: 0 is ready at once, 0.4 is due at 1 ms', () => {
    const s = make();
    s.schedule(0, 'a', 'now', () => undefined);
    expect(s.take()?.task.label).toBe('now');
    expect(s.schedule(0.4, 'a', 'soon', () => undefined).at).toBe(1);
  });
});

describe('in a run, a bad delay is the code that asked for it failing', () => {
  it('an actor that sleeps NaN ms throws there: recorded against it, and what follows the sleep never runs', async () => {
    const world = createWorld({ seed: 1 });
    const a = world.host('a');
    let after = false;
    world.spawn('a', async () => {
      await a.clock.sleep(Number.NaN, 'backoff');
      after = true;
    });
    world.spawn('a', async () => {
      a.clock.setTimeout(() => (after = true), -5, 'watchdog');
    });
    await world.run(1_000);
    expect(after).toBe(false);
    expect(world.errors.map((e) => e.message)).toEqual([
      'RangeError: timer "backoff" on a: delay NaN ms is not a number of ms from 0 up',
      'RangeError: timer "watchdog" on a: delay -5 ms is not a number of ms from 0 up',
    ]);
  });

  it('a target whose own actor sleeps NaN ms: no-crash violated with the message, exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-nan-timer-'));
    const path = join(dir, 'scenario.json');
    const scenario = {
      format: 1,
      target: 'throwing-pump',
      variant: 'nan-timer',
      seed: 1,
      mode: 'safety',
      expect: 'pass',
      workload: { chunks: [{ gapMs: 1, bytes: 3, stream: 'stdout' }], exitAfterMs: 0, exitCode: 0, pumpDelayMsMax: 5 },
      faults: [],
    };
    writeFileSync(path, JSON.stringify(scenario));
    const io = capture();
    const code = await main(['run', path, '--target', 'test/fixtures/throwingTarget.ts', '--report', join(dir, 'reports')], io);
    expect(code).toBe(1);
    const out = io.stdout + io.stderr;
    expect(out).toContain('no-crash');
    expect(out).toContain('timer "retry-backoff" on buggy: delay NaN ms is not a number of ms from 0 up');
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).not.toContain('buggy.after-sleep');
    expect(readFileSync(join(dir, 'reports', 'summary.json'), 'utf8')).toContain('delay NaN ms');
  });
});
