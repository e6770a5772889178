/**
 * Within the limits, a run never hangs the harness (issue 13), even when the target livelocks
 * (issue 12's runaway: a read retried on a refused send in continuations only, so no task ran, no
 * progress line came and the trace grew to GBs). The world counts the work of each virtual
 * instant (tasks run, events recorded, timers set) against a budget derived from the workload's
 * limits; past it, the code that asks the world for anything gets WorldHalted, the run ends
 * there, and `no-livelock` is violated naming the instant and what repeated. Shown with a test
 * double that livelocks three ways (test/fixtures/livelockTarget.ts).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.ts';
import { ATTACH_LIMITS } from '../../reference-impl/attach-pump/target/workload.ts';
import { EXEC_LIMITS } from '../../reference-impl/exec-stream/target/workload.ts';
import { INSTANT_WORK_FLOOR, instantWorkBudget, MAX_FAULTS, WORK_PER_ITEM } from '../../sim/limits.ts';
import { loadScenarioText } from '../../sim/scenario/load.ts';
import { TargetRegistry } from '../../sim/registry.ts';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { runScenario } from '../../sim/runner.ts';
import type { Scenario } from '../../sim/target.ts';
import { createWorld } from '../../sim/world.ts';
import { LIVELOCK_LIMITS, target } from '../fixtures/livelockTarget.ts';
import type { PumpWorkload } from '../fixtures/pumpTarget.ts';
import { capture } from './vacuous/runEdited.ts';

const FIXTURE = 'test/fixtures/livelockTarget.ts';
const BUDGET = instantWorkBudget(LIVELOCK_LIMITS);
// a livelocked run does its whole budget of work first: seconds on a loaded machine

const scenario = (variant: string, gapMs = 5): Scenario<PumpWorkload> => ({
  format: 1,
  target: 'livelock-pump',
  variant,
  seed: 7,
  mode: 'safety',
  expect: 'pass',
  workload: { chunks: [{ gapMs, bytes: 3, stream: 'stdout' }], exitAfterMs: 0, exitCode: 0, pumpDelayMsMax: 5 },
  faults: [],
});

describe('a livelocked target ends its run with no-livelock violated', { timeout: 60_000 }, () => {
  it.each([
    ['spin', 'poller poller.poll'],
    ['retry', 'poller poller.send-refused'],
    ['zero-timers', 'poller poll'],
  ])('%s: stopped at the instant it spins, naming it and what repeated; nothing else judged', async (variant, step) => {
    const run = await runScenario(target, scenario(variant));
    expect(run.violated).toEqual(['no-livelock']);
    const verdict = run.checks.results['no-livelock'];
    expect(verdict?.summary).toContain(`the target livelocked: virtual time stood still at t=0.005s: ${BUDGET + 1} steps`);
    expect(verdict?.summary).toContain(`over the budget of ${BUDGET}; repeating: ${step} x`);
    // the history ends at the livelock: no property of the target is judged on it, none counted as held
    for (const p of target.properties) {
      expect(run.checks.results[p.name]?.valid).toBe('unknown');
      expect(run.checks.results[p.name]?.summary).toContain('not judged: the run livelocked at t=0.005s');
    }
    expect(run.checks.results['no-crash']?.valid).toBe(true); // its halt is no one's crash
    expect(run.noEffect).toEqual([]);
    const events = run.world.trace.events;
    expect(events.filter((e) => e.kind === 'world.livelock')).toHaveLength(1);
    expect(events.length).toBeLessThanOrEqual(BUDGET + 100); // bounded: the trace stops growing
    expect(events.at(-1)).toMatchObject({ t: 5, kind: 'world.run-end', data: { status: 'livelock' } });
    // the same seed livelocks the same way
    expect((await runScenario(target, scenario(variant))).traceHash).toBe(run.traceHash);
  });

  it('the working variant of the same target is judged as ever, no-livelock held with its figures', async () => {
    const run = await runScenario(target, scenario('wait-close'));
    expect(run.violated).toEqual([]);
    expect(run.checks.results['no-livelock']?.summary).toMatch(
      new RegExp(`^virtual time kept moving: at most \\d+ steps at one instant \\(budget ${BUDGET}\\)$`),
    );
  });

  it('a long turn still reports progress to the host (no task runs while it spins)', async () => {
    const seen: Array<{ timeMs: number; events: number }> = [];
    await runScenario(target, scenario('spin'), undefined, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(Math.floor(BUDGET / 4096) - 1);
    expect(new Set(seen.map((p) => p.timeMs))).toEqual(new Set([5]));
  });

  it('a run over its budget of tasks is a livelock too (the per-run budget), time moving or not', async () => {
    const world = createWorld({ seed: 1, limits: { maxEvents: 1_000 } });
    const c = world.host('a').clock;
    const tick = () => c.setTimeout(tick, 1, 'tick');
    tick();
    const r = await world.run();
    expect(r.status).toBe('budget');
    expect(world.livelock).toMatchObject({ budget: 'run', work: 1_000, limit: 1_000, t: 1_000 });
    expect(world.livelock?.repeating[0]).toMatch(/^a tick x\d+$/);
  });
});

describe('the budget follows the workload limits', { timeout: 60_000 }, () => {
  it('is WORK_PER_ITEM steps for every output step, process and fault at one instant, over a floor', () => {
    expect(BUDGET).toBe(WORK_PER_ITEM * (LIVELOCK_LIMITS.steps + LIVELOCK_LIMITS.processes + MAX_FAULTS) + INSTANT_WORK_FLOOR);
    expect(instantWorkBudget(EXEC_LIMITS)).toBe(WORK_PER_ITEM * (EXEC_LIMITS.steps + EXEC_LIMITS.processes + MAX_FAULTS) + INSTANT_WORK_FLOOR);
    expect(instantWorkBudget({ ...EXEC_LIMITS, steps: 2 * EXEC_LIMITS.steps })).toBeGreaterThan(instantWorkBudget(EXEC_LIMITS));
  });

  it('a workload at its step limit, every step at one instant, stays well within it', async () => {
    const reg = new TargetRegistry(BUILTIN_TARGETS);
    const file = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
    const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    s.workload.steps = Array.from({ length: ATTACH_LIMITS.steps }, () => ({ atMs: 0, stream: 'stdout', text: 'x' }));
    s.faults = [];
    s.expect = 'pass';
    const loaded = await loadScenarioText(JSON.stringify(s), file, reg);
    const run = await runScenario(loaded.target, loaded.scenario);
    expect(run.violated).toEqual([]);
    // measured: about 2 steps of work per output step (20,002 here); the budget allows WORK_PER_ITEM
    expect(run.world.maxInstantWork).toBeGreaterThan(ATTACH_LIMITS.steps);
    expect(run.world.maxInstantWork * 4).toBeLessThan(instantWorkBudget(ATTACH_LIMITS));
  });
});

describe('execsim run and explore report a livelock, never hang', { timeout: 60_000 }, () => {
  it('run: exit 1 with no-livelock named (4 with --exit-by-class: a hang); a scenario expecting it is as expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-livelock-'));
    const path = join(dir, 'spin.json');
    writeFileSync(path, JSON.stringify(scenario('retry')));
    const io = capture();
    expect(await main(['run', path, '--target', FIXTURE, '--report', join(dir, 'r1')], io)).toBe(1);
    expect(io.stdout + io.stderr).toContain('no-livelock (liveness): the target livelocked: virtual time stood still at t=0.005s');
    expect(io.stdout + io.stderr).not.toMatch(/\n\s+at /);
    expect(await main(['run', path, '--target', FIXTURE, '--exit-by-class', '--report', join(dir, 'r2')], capture())).toBe(4);
    writeFileSync(path, JSON.stringify({ ...scenario('retry'), expect: { violates: ['no-livelock'] } }));
    expect(await main(['run', path, '--target', FIXTURE, '--report', join(dir, 'r3')], capture())).toBe(0);
  });

  it('explore: finds it, saves the scenario (expect no-livelock) and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-livelock-'));
    const save = join(dir, 'found');
    const io = capture();
    const code = await main(
      ['explore', '--target', `${FIXTURE}:spin`, '--runs', '20', '--seed', '3', '--save', save, '--report', join(dir, 'r')],
      io,
    );
    expect(code, io.stderr).toBe(1);
    expect(io.stdout + io.stderr).toContain('no-livelock');
    const files = existsSync(save) ? readdirSync(save) : [];
    expect(files).toHaveLength(1);
    const saved = JSON.parse(readFileSync(join(save, files[0] as string), 'utf8')) as Scenario;
    expect(saved.expect).toEqual({ violates: ['no-livelock'] });
  });
});
