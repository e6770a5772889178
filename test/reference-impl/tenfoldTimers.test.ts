/**
 * A timer ten times off in the implementation is caught by blind exploration (issue 12). Each
 * test double changes one implementation constant by 10x (injected as a timer, not a variant slot:
 * the variants differ on decisions, not on upstream's constants; the source untouched) on the
 * target's candidate fix; the oracles take their bounds from target/spec.ts, so they do not move
 * with it. The scenario found passes on the untouched implementation: the catch is the timer's.
 */
import { describe, expect, it } from 'vitest';
import { runAttach, target as attachPump } from '../../reference-impl/attach-pump/target.ts';
import { runExecStream, target as execStream } from '../../reference-impl/exec-stream/target.ts';
import { target as sessionWait } from '../../reference-impl/session-wait/target.ts';
import { runSessionWait } from '../../reference-impl/session-wait/target/run.ts';
import { explore } from '../../sim/explore/explore.ts';
import type { AnyTarget } from '../../sim/registry.ts';
import { runScenario } from '../../sim/runner.ts';

async function caught(real: AnyTarget, double: AnyTarget, variant: string, faultKinds: string[] | undefined, runs: number) {
  const report = await explore({ target: double, variant, runs, seed: 7, mode: 'safety', ...(faultKinds ? { faultKinds } : {}) });
  const v = report.violation;
  expect(v, `no violation in ${runs} runs`).toBeDefined();
  const untouched = await runScenario(real, v!.scenario);
  return { violated: v!.violated, foundAtRun: v!.foundAtRun, untouched: untouched.violated };
}

describe('a timing constant changed 10x is caught by the explorer', () => {
  it('exec-stream: the server expires detached sessions after 3 s, not 30 s', async () => {
    const double = { ...execStream, run: (w, s) => runExecStream(w, s, { detachedTtlMs: 3_000 }) } as AnyTarget;
    const r = await caught(execStream as AnyTarget, double, 'v1-strict', ['transport-cut'], 500);
    expect(r.violated).toContain('no-false-failure');
    expect(r.untouched).toEqual([]);
  }, 120_000);

  it('session-wait: a lock file counts as alive for 600 s, not 60 s', async () => {
    const double = { ...sessionWait, run: (w, s) => runSessionWait(w, s as never, { lockFileStaleMs: 600_000 }) } as AnyTarget;
    const r = await caught(sessionWait as AnyTarget, double, 'fixed', undefined, 1_000);
    expect(r.violated.some((p) => p === 'terminates' || p === 'truthful-cap-exit')).toBe(true);
    expect(r.untouched).toEqual([]);
  }, 240_000);

  it('attach-pump: the idle watchdog fires after 450 s, not 45 s', async () => {
    const double = { ...attachPump, run: (w, s) => runAttach(w, s as never, { watchdogMs: 450_000 }) } as AnyTarget;
    const r = await caught(attachPump as AnyTarget, double, 'cursor', undefined, 1_000);
    expect(r.violated).toContain('terminates');
    expect(r.untouched).toEqual([]);
  }, 240_000);
});
