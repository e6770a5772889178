/**
 * The data shrinker stays inside each field's declared domain and reaches its edge (issue 12):
 * a fault parameter whose schema minimum is 0 shrinks to 0 (it stopped at 1, the floor it assumed
 * for every parameter but `at`), and a workload number never goes under its schema minimum.
 */
import { describe, expect, it } from 'vitest';
import { target } from '../../../reference-impl/attach-pump/target.ts';
import type { AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';
import { shrinkScenario } from '../../../sim/explore/shrinkData.ts';
import type { AnyTarget } from '../../../sim/registry.ts';
import { runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';

const attachPump = target as AnyTarget;

/** Three stdout writes, exit 0 at 40 ms; a proxy drops the first attach after 3 frames. */
const lossy: Scenario<AttachWorkload> = {
  format: 1,
  target: 'attach-pump',
  variant: 'pre-627',
  seed: 3,
  mode: 'safety',
  workload: {
    command: 'chatty',
    steps: [
      { atMs: 10, stream: 'stdout', bytes: 7 },
      { atMs: 20, stream: 'stdout', bytes: 9 },
      { atMs: 30, stream: 'stdout', bytes: 11 },
    ],
    exit: { atMs: 40, code: 0 },
  },
  faults: [{ at: 0, kind: 'attach-cut', target: 'client->runner', afterFrames: 2 }],
  expect: 'pass',
};

describe('the data shrinker respects each field’s declared domain', () => {
  it('shrinks a parameter to its schema minimum of 0, and no workload number below its own', async () => {
    expect((await runScenario(attachPump, lossy)).violated).toContain('no-lost-output');
    const { scenario } = await shrinkScenario(attachPump, lossy as Scenario, 'no-lost-output');
    expect(scenario.faults).toEqual([{ at: 0, kind: 'attach-cut', target: 'client->runner', afterFrames: 0 }]);
    // a step's bytes has minimum 1 in the schema: the shrinker goes to it, never under it
    const w = scenario.workload as AttachWorkload;
    expect(w.steps.map((x) => ('bytes' in x ? x.bytes : undefined))).toEqual([1]);
    expect((await runScenario(attachPump, scenario)).violated).toContain('no-lost-output');
  });
});
