/**
 * An exec-server bug that the client masks is still caught in simulation (issue 12: "defence in
 * depth in the implementation must not hide a bug in one of its layers"), as attach-pump's is
 * (maskedRunnerBug.test.ts). The test double, injected in this test only through runExecStream's
 * `rewire` seam, is the same frame-level breakage the validator meets on real sockets
 * (test/fixtures/executors/resends.ts): a read with afterSeq > 0 also returns the chunk at
 * afterSeq. The client dedupes it, so what the user sees is whole and once; only the wire checker
 * `next-seq`, judged on the wire record of the simulated run's history, can tell, and blind
 * exploration must find it with nothing else violated.
 */
import { describe, expect, it } from 'vitest';
import { runExecStream, target as execStream } from '../../reference-impl/exec-stream/target.ts';
import { wireFramesOf } from '../../reference-impl/exec-stream/target/wireCheckers.ts';
import { explore } from '../../sim/explore/explore.ts';
import type { AnyTarget } from '../../sim/registry.ts';
import { runScenario } from '../../sim/runner.ts';
import { breakConnections } from '../fixtures/executors/breakage.ts';
import { resendsBeforeAfterSeq } from '../fixtures/executors/resends.ts';

const double = {
  ...execStream,
  run: (w, s) => runExecStream(w, s as never, {}, (server) => breakConnections(server, resendsBeforeAfterSeq())),
} as AnyTarget;
const real = execStream as AnyTarget;
const SEED = 7;
const RUNS = 2_000;

describe('an exec-server that resends the chunk at afterSeq, masked by the deduping client', () => {
  it('is caught blind by next-seq alone; the real server passes the same runs', async () => {
    const report = await explore({ target: double, variant: 'v1-stricter', runs: RUNS, seed: SEED, mode: 'safety' });
    const v = report.violation;
    expect(v, `no violation in ${RUNS} runs`).toBeDefined();
    // the user-visible properties all hold: the client masked the bug
    expect(v!.violated).toEqual(['next-seq']);
    const found = await runScenario(double, v!.scenario);
    expect(found.checks.results['next-seq']?.summary).toMatch(/^read after (\d+) returned chunks out of order or not after it: \1,/);
    // the resent chunk is in the run's history: a read answered with the chunk at its afterSeq
    const frames = wireFramesOf(found.outcome.history, 'client');
    const reads = new Map(
      frames.filter((f) => f.dir === 'out').map((f) => [f.message?.id, (f.message?.params as { afterSeq: number }).afterSeq]),
    );
    const resent = frames.filter((f) => {
      const chunks = (f.message?.result as { chunks?: Array<{ seq: number }> } | undefined)?.chunks;
      return f.dir === 'in' && chunks?.[0]?.seq === reads.get(f.message?.id);
    });
    expect(resent.length).toBeGreaterThan(0);
    // the scenario found, on the real server: judged (not "not applicable") and nothing violated
    const clean = await runScenario(real, v!.scenario);
    expect(clean.violated).toEqual([]);
    expect(clean.checks.results['next-seq']?.valid).toBe(true);
    expect(clean.checks.results['seq-discipline']?.valid).toBe(true);
    // the same exploration (same seed, every run of it, past the find) of the real server is clean
    const again = await explore({ target: real, variant: 'v1-stricter', runs: RUNS, seed: SEED, mode: 'safety' });
    expect(again.violation).toBeUndefined();
  }, 240_000);
});
