/** The refuse arbitrary draws every status the real systems send (issue 12): 404, 409, 410 and 5xx, on both paths. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { target } from '../../../reference-impl/attach-pump/target.ts';
import { faultArbitrary } from '../../../reference-impl/attach-pump/target/faults.ts';
import { unrecoverableBecause } from '../../../reference-impl/attach-pump/target/recoverability.ts';

describe('attach-pump refusals', () => {
  it('draws 404, 409, 410 and 5xx on the upgrade and on the probe', () => {
    const [w] = fc.sample(target.workload.arbitrary, { seed: 1, numRuns: 1 });
    const faults = fc.sample(faultArbitrary('refuse', w!), { seed: 2, numRuns: 3_000 });
    for (const scope of ['ws', 'http']) {
      const statuses = new Set(faults.filter((f) => f.scope === scope).map((f) => f.status));
      for (const s of [404, 409, 410, 500, 502, 503, 504]) expect(statuses, `${scope} ${s}`).toContain(s);
    }
  });
  it('a 404 or 410 refusal says the execution is gone: unrecoverable; a 409 or 503 is not', () => {
    const [w] = fc.sample(target.workload.arbitrary, { seed: 1, numRuns: 1 });
    const s = (status: number) => ({
      format: 1 as const,
      target: 'attach-pump',
      variant: 'cursor',
      seed: 1,
      mode: 'safety' as const,
      expect: 'pass' as const,
      workload: w!,
      faults: [{ at: 10, kind: 'refuse', target: 'client->runner', scope: 'ws', count: 1, status }],
    });
    expect(unrecoverableBecause(s(404), true)[0]).toMatch(/404 refusal/);
    expect(unrecoverableBecause(s(410), true)[0]).toMatch(/410 refusal/);
    expect(unrecoverableBecause(s(409), true)).toEqual([]);
    expect(unrecoverableBecause(s(503), true)).toEqual([]);
  });
});
