import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../../sim/determinism.ts';
import { runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target, type AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KINDS = [...target.faults.kernelKinds, ...target.faults.specs.map((s) => s.kind)];
const VARIANTS = Object.keys(target.variants);

/** 24 busy scenarios: every variant, every fault kind on, both modes. */
const busy: Scenario<AttachWorkload>[] = fc.sample(
  fc
    .record({ seed: fc.integer(), workload: target.workload.arbitrary, v: fc.integer({ min: 0, max: 3 }), live: fc.boolean() })
    .chain(({ seed, workload, v, live }) =>
      fc.array(fc.oneof(...KINDS.map((k) => target.faults.arbitrary(k, workload))), { minLength: 2, maxLength: 6 }).map((faults) => {
        const s: Scenario<AttachWorkload> = {
          format: 1,
          target: 'attach-pump',
          variant: VARIANTS[v] as string,
          seed,
          mode: live ? 'liveness' : 'safety',
          workload,
          faults: [...faults].sort((a, b) => a.at - b.at),
          expect: 'pass',
        };
        if (live) s.healAtMs = (s.faults.at(-1)?.at ?? 0) + 5_000;
        return s;
      }),
    ),
  { numRuns: 24, seed: 77 },
);

describe('attach-pump determinism: one seed, one trace', () => {
  it('each scenario run twice agrees event by event', async () => {
    for (const s of busy) {
      const a = await runScenario(target, s);
      const b = await runScenario(target, s);
      expect(firstDivergence(a.world.trace.events, b.world.trace.events)).toBeUndefined();
      expect(a.traceHash).toBe(b.traceHash);
    }
  });

  it('a child process gives the same trace hashes', async () => {
    const here: string[] = [];
    for (const s of busy) here.push((await runScenario(target, s)).traceHash);
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/reference-impl/attach-pump/hashes.ts'], {
      cwd: ROOT,
      input: JSON.stringify(busy),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual(here);
  }, 60_000);

  it('another seed gives another world (the comparison can fail)', async () => {
    const s = busy[0] as Scenario<AttachWorkload>;
    const a = await runScenario(target, s);
    const b = await runScenario(target, { ...s, seed: s.seed + 1 });
    expect(a.traceHash).not.toBe(b.traceHash);
  });
});
