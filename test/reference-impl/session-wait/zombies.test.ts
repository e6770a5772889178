/**
 * Zombies (issue 12): a daemon left unreaped a while is alive to kill(pid, 0), but counts as a
 * session process only while a member of its group lives (spec §2, the `Z` rows). The fixed wait
 * reads a lone zombie as dead; pid-only (kill(pid, 0) alone) waits until it is reaped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { target } from '../../../reference-impl/session-wait/target.ts';
import type { SessionWaitWorkload } from '../../../reference-impl/session-wait/target/workload.ts';
import { runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';

const workload = (zombieMs: number, tool: SessionWaitWorkload['tool']): SessionWaitWorkload => ({
  results: [{ atMs: 2_000, status: 'success', exitCode: 0 }],
  enrichedResults: true,
  exitAtMs: 2_400,
  exitCode: 0,
  stdout: [],
  stderrEveryMs: 0,
  tool,
  mtimeGranularity: 'ns',
  rssMb: 100,
  daemonZombieMs: zombieMs,
  wait: { startMs: 500, capSecs: 240, rewaitDelayMs: 0, memoryWarnMb: null, sampler: 'ok' },
});
const scenario = (variant: string, w: SessionWaitWorkload, faults: Scenario['faults'] = []): Scenario<SessionWaitWorkload> => ({
  format: 1,
  target: 'session-wait',
  variant,
  seed: 3,
  mode: 'safety',
  expect: 'pass',
  workload: w,
  faults,
});

describe('session-wait zombies', () => {
  it('a zombie daemon with no live group member: fixed answers, its verdicts hold', async () => {
    const r = await runScenario(target, scenario('fixed', workload(90_000, null)));
    expect(r.outcome.history.some((e) => e.kind === 'proc.reaped')).toBe(true);
    expect(r.violated).toEqual([]);
  });
  it('a daemon killed and left a zombie while its tool lives on: alive until the tool ends; fixed holds', async () => {
    const tool = { startMs: 100, endMs: 20_000, outputEveryMs: 0, outputResult: null };
    const r = await runScenario(
      target,
      scenario('fixed', workload(90_000, tool), [{ at: 1_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' }]),
    );
    expect(r.violated).toEqual([]);
  });
  it('pid-only takes a lone zombie for a live daemon until it is reaped: terminates is violated', async () => {
    const r = await runScenario(target, scenario('pid-only', workload(90_000, null)));
    expect(r.violated).toContain('terminates');
    // reaped at once, the same run holds
    expect((await runScenario(target, scenario('pid-only', workload(0, null)))).violated).toEqual([]);
  });
  it('the arbitrary draws zombies, short and long, with and without a tool', () => {
    const ws = fc.sample(target.workload.arbitrary, { seed: 1, numRuns: 400 });
    const z = ws.filter((w) => (w.daemonZombieMs ?? 0) > 0);
    expect(z.length).toBeGreaterThan(40);
    expect(z.some((w) => (w.daemonZombieMs as number) > 62_000)).toBe(true);
    expect(z.some((w) => w.tool !== null) && z.some((w) => w.tool === null)).toBe(true);
  });
});
