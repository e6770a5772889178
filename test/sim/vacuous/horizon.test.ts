/**
 * Time is exact up to the world's horizon (HORIZON_MS, stated in scenario.schema.json): a time or
 * duration up to it works as written, with no timer overflow at 2^31 ms anywhere (the scheduler,
 * real timers, the heal); a time beyond it is refused before anything runs, naming the file, the
 * JSON path and the horizon. Before, `at: 2147483647` ended the world at t=0.001 s and `at: 1e30`
 * fired the fault at 1 ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { faultKind, faultSpec } from '../../../sim/faults/fault.ts';
import { HORIZON_MS, MAX_TIMER_DELAY_MS } from '../../../sim/horizon.ts';
import { RealTimeScheduler } from '../../../sim/real/realTimeScheduler.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { Rng } from '../../../sim/rng.ts';
import { runScenario } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';
import { Scheduler } from '../../../sim/scheduler.ts';
import { createWorld } from '../../../sim/world.ts';
import { runEdited } from './runEdited.ts';

const KILLED = 'scenarios/field-bugs/session-wait/pid-reuse-after-death.fixed.json';
const SCHEMA = 'scenarios/scenario.schema.json';

describe('the scheduler is exact past 2^31 ms', () => {
  it('tasks due at 2^31-1, 2^31, 2^31+5 and 10^12 ms run at those times, in order', () => {
    const sched = new Scheduler(new Rng(1), false);
    const ran: Array<[string, number]> = [];
    for (const [label, at] of [
      ['far', 1e12],
      ['max', MAX_TIMER_DELAY_MS],
      ['over', MAX_TIMER_DELAY_MS + 1],
      ['over5', MAX_TIMER_DELAY_MS + 6],
      ['soon', 5],
    ] as const)
      sched.schedule(at, 'x', label, () => ran.push([label, sched.now()]));
    const cancelled = sched.schedule(3 * MAX_TIMER_DELAY_MS, 'x', 'cancelled', () => ran.push(['cancelled', sched.now()]));
    expect(sched.refTimers).toBe(6);
    for (;;) {
      let pick = sched.take();
      if (!pick) {
        if (!sched.advance()) break;
        pick = sched.take();
        if (!pick) continue;
      }
      pick.task.fn();
      // cancel a task that is between two hops
      if (pick.task.label === 'over5') sched.cancel(cancelled);
    }
    expect(ran).toEqual([
      ['soon', 5],
      ['max', MAX_TIMER_DELAY_MS],
      ['over', MAX_TIMER_DELAY_MS + 1],
      ['over5', MAX_TIMER_DELAY_MS + 6],
      ['far', 1e12],
    ]);
    expect(sched.refTimers).toBe(0);
  });

  it('a world fires a fault at the horizon, and its timers and heal past 2^31 ms exactly there', async () => {
    const world = createWorld({ seed: 1, limits: { maxTimeMs: 4e9 } });
    const hit: number[] = [];
    world.faults.define(faultKind(faultSpec({ kind: 'poke', summary: 'test', params: {} }), () => void hit.push(world.now())));
    world.schedule([{ at: HORIZON_MS, kind: 'poke' }]);
    expect(() => world.schedule([{ at: HORIZON_MS + 1, kind: 'poke' }])).toThrow(/faults\[0\]\.at: 86400001 is past the world's horizon/);
    const clock = world.host('a').clock;
    const woke: number[] = [];
    world.spawn('a', async () => {
      await clock.sleep(MAX_TIMER_DELAY_MS + 1);
      woke.push(world.now());
      await clock.sleep(1e9);
      woke.push(world.now());
    });
    world.healAt(3.2e9);
    const r = await world.run(4e9);
    // the heal is the last thing to do
    expect(r.status).toBe('idle');
    expect(r.timeMs).toBe(3.2e9);
    expect(hit).toEqual([HORIZON_MS]);
    expect(woke).toEqual([MAX_TIMER_DELAY_MS + 1, MAX_TIMER_DELAY_MS + 1 + 1e9]);
    expect(world.trace.events.find((e) => e.kind === 'heal')?.t).toBe(3.2e9);
  });

  it('a real-mode wait longer than 2^31-1 real ms goes in hops, not at once', async () => {
    // a fake wall: timers as Node takes them (at most 2^31-1 ms; longer ones fire at once)
    let now = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    const wall = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const t = { at: now + (ms > MAX_TIMER_DELAY_MS ? 1 : ms), fn };
        timers.push(t);
        return t;
      },
      clearTimeout: (h: unknown) => void timers.splice(timers.indexOf(h as (typeof timers)[number]), 1),
    };
    // a slowed clock: one real ms is a thousandth of a virtual one
    const sched = new RealTimeScheduler(new Rng(1), false, 0.001, wall);
    sched.schedule(3_000_000, 'x', 'long', () => undefined);
    const woke = sched.advance();
    const fired: number[] = [];
    while (timers.length > 0) {
      timers.sort((x, y) => x.at - y.at);
      const t = timers.shift() as (typeof timers)[number];
      now = t.at;
      fired.push(now);
      t.fn();
    }
    await woke;
    expect(fired).toEqual([MAX_TIMER_DELAY_MS, 3e9]);
    expect(sched.now()).toBe(3_000_000);
    expect(sched.take()?.task.label).toBe('long');
  });
});

describe("times past the world's horizon are refused before the run", () => {
  it('the horizon is stated in the schema: every fault time, healAtMs and workload time has it as maximum', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as {
      description: string;
      definitions: Record<string, any>;
      properties: Record<string, any>;
    };
    expect(schema.description).toContain(`horizon`);
    expect(schema.description).toContain(String(HORIZON_MS));
    expect(schema.properties.healAtMs.maximum).toBe(HORIZON_MS);
    expect(schema.definitions['kernel.lag'].properties.at.maximum).toBe(HORIZON_MS);
    expect(schema.definitions['kernel.lag'].properties.durationMs.maximum).toBe(HORIZON_MS);
    expect(schema.definitions['attach-pump.workload'].properties.exit.properties.atMs.maximum).toBe(HORIZON_MS);
    // a target may hold its times to less (session-wait's hour: sim/limits.ts)
    expect(schema.definitions['session-wait.workload'].properties.exitAtMs.maximum).toBe(3_600_000);
    expect(schema.definitions['attach-pump.slow-subscriber'].properties.durationMs.maximum).toBe(HORIZON_MS);
  });

  for (const at of [2147483647, 1e30]) {
    it(`a fault at ${at} ms exits 2 naming the file, faults[0].at and the horizon`, async () => {
      const r = await runEdited(KILLED, (s) => {
        s.faults = [{ at, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' }];
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(r.path);
      expect(r.stderr).toContain(`faults[0].at: ${JSON.stringify(at)} is past the world's horizon of ${HORIZON_MS} ms (24 h)`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const summary = JSON.parse(readFileSync(join(r.dir, 'reports', 'summary.json'), 'utf8')) as { status: string };
      expect(summary.status).toBe('bad-input');
    });
  }

  it('healAtMs, a duration and a workload time past the horizon: each named', async () => {
    const r = await runEdited(KILLED, (s) => {
      s.mode = 'liveness';
      s.healAtMs = 2 ** 31;
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`healAtMs: 2147483648 is past the world's horizon of ${HORIZON_MS} ms`);
    const w = await runEdited('scenarios/field-bugs/attach-pump/cut-while-running.cursor.json', (s) => {
      s.workload.exit.atMs = 1e30;
    });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain(`workload.exit.atMs: 1e+30 is past the world's horizon of ${HORIZON_MS} ms`);
    const lag = await runEdited('scenarios/field-bugs/attach-pump/cut-while-running.cursor.json', (s) => {
      s.faults = [{ at: 0, kind: 'lag', target: 'client->runner', durationMs: HORIZON_MS + 1, extraMs: 5 }];
    });
    expect(lag.code).toBe(2);
    expect(lag.stderr).toContain(`faults[0].durationMs: ${HORIZON_MS + 1} is past the world's horizon`);
  });
});

describe('times up to the horizon work as written', () => {
  it('a cut just before the horizon, and a command exiting at it, happen then (24 h of virtual time)', { timeout: 60_000 }, async () => {
    const file = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
    const r = await runEdited(file, (s) => {
      s.workload.exit.atMs = HORIZON_MS;
      s.faults = [{ at: HORIZON_MS - 1000, kind: 'cut', target: 'client->runner' }];
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const { scenario, target } = await loadScenarioText(readFileSync(r.path, 'utf8'), r.path, registry);
    const run = await runScenario(target, scenario);
    expect(run.fates).toEqual([
      { index: 0, kind: 'cut', firedAt: HORIZON_MS - 1000, effect: { t: HORIZON_MS - 1000, on: 'client->runner#1' } },
    ]);
    // the command starts at 1 ms and exits HORIZON_MS after
    expect(run.outcome.truth).toMatchObject({ outcome: { kind: 'exit', code: 0, t: HORIZON_MS + 1 } });
  });

  it('a fault within the horizon but after the run has ended exits 2 with the true end (not 1 ms)', async () => {
    const r = await runEdited('scenarios/field-bugs/attach-pump/cut-while-running.cursor.json', (s) => {
      s.faults = [{ at: HORIZON_MS, kind: 'cut', target: 'client->runner' }];
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/faults\[0\]: cut at 86400000 ms never fired: the run ended at 600\d\d ms/);
  });
});
