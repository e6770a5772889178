import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workloadProblems } from '../../../sim/scenario/load.ts';
import { createWorld } from '../../../sim/world.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import { ExecServer } from '../../../reference-impl/exec-stream/server/execServer.ts';
import { ConsumerKnobs } from '../../../reference-impl/exec-stream/consumer/report.ts';
import { execFaultKinds } from '../../../reference-impl/exec-stream/target/faultKinds.ts';
import { VARIANTS } from '../../../reference-impl/exec-stream/variants/index.ts';

function faultValidator() {
  const world = createWorld({ seed: 1 });
  const ports = world.host('exec-server');
  const server = new ExecServer(ports, {
    launcher: {
      launch: () => {
        throw new Error('unused');
      },
    },
  });
  for (const k of execFaultKinds({ server, consumer: new ConsumerKnobs(), schedule: () => undefined, applying: () => world.faults.applying() })) world.faults.define(k);
  return (faults: unknown) => world.faults.validate(faults);
}

describe('exec-stream target: data in, clear errors out', () => {
  it('every generated workload and fault validates', () => {
    const validate = faultValidator();
    const kinds = [...target.faults.kernelKinds, ...target.faults.specs.map((s) => s.kind)];
    fc.assert(
      fc.property(
        target.workload.arbitrary.chain((w) =>
          fc.tuple(
            fc.constant(w),
            fc.constantFrom(...kinds).chain((k) => target.faults.arbitrary(k, w)),
          ),
        ),
        ([w, f]) => {
          expect(workloadProblems(target, w, 'workload')).toEqual([]);
          expect(validate([f])).toEqual([]);
          expect(target.workload.describe(w)).toMatch(/chunks/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a bad workload gets every problem with its JSON path', () => {
    const problems = workloadProblems(
      target,
      {
        chunks: [{ gapMs: -1, stream: 'stdio', bytes: 0 }],
        exitAfterMs: 1,
        end: { code: 0 },
        sandboxed: false,
        denied: true,
        childHoldsPipesMs: 0,
        pipeJitterMsMax: 0,
        sendJitterMsMax: 0,
        eventCapacity: 0,
        eventBytes: 1,
        typo: 1,
      },
      'workload',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^workload\.typo: unknown field/),
        expect.stringMatching(/^workload\.eventCapacity: expected an integer >= 1/),
        expect.stringMatching(/^workload\.chunks\[0\]\.gapMs/),
        expect.stringMatching(/^workload\.chunks\[0\]\.stream/),
        expect.stringMatching(/^workload\.chunks\[0\]\.bytes/),
        expect.stringMatching(/^workload\.denied: a denial needs sandboxed: true/),
        expect.stringMatching(/^workload\.denied: a denial needs a non-zero exit code/),
      ]),
    );
    expect(workloadProblems(target, null, 'w')).toEqual(['w: expected a workload object, got null']);
  });

  it('a bad fault names its path and parameter', () => {
    const validate = faultValidator();
    expect(validate([{ at: 0, kind: 'consumer-stall' }])).toEqual(['faults[0].durationMs: expected an integer from 1 to 86400000, got nothing']);
    expect(validate([{ at: 0, kind: 'transport-cut', refuseMs: 5, durationMS: 1 }])[0]).toMatch(/^faults\[0\]\.durationMS: unknown field/);
    expect(validate([{ at: 0, kind: 'notification-reorder', seq: 0, holdMs: 5 }])).toEqual([
      'faults[0].seq: expected an integer >= 1, got 0',
    ]);
    expect(() => target.faults.arbitrary('nope', fc.sample(target.workload.arbitrary, 1)[0] as never)).toThrow(/unknown fault kind "nope"/);
  });

  it('variants differ from their sibling in one rule (the field bug), and every variant has a source', () => {
    const v1 = VARIANTS['v1-pushed']?.slots as unknown as Record<string, unknown>;
    const diff = (name: string) =>
      Object.keys(v1).filter((k) => (VARIANTS[name]?.slots as unknown as Record<string, unknown>)[k] !== v1[k]);
    expect(diff('v1-strict')).toEqual(['strict']);
    // an older upstream state: the poll loop, and #28512's 25 s resume window (codex 0.169 has none)
    expect(diff('v0-poll')).toEqual(['consume', 'recoveryWindowMs']);
    expect(diff('lag-closes')).toEqual(['onLagged']);
    expect(diff('no-dedupe')).toEqual(['dedupe']);
    expect(diff('legacy-denial')).toEqual(['unknownDenial']);
    // the #37207 listener and #18020's consumer also had no seq cursor to notice a jump
    expect(diff('lag-skips')).toEqual(['onLagged', 'gapRead']);
    expect(diff('arrival-order')).toEqual(['gapRead', 'ordering']);
    for (const [name, v] of Object.entries(target.variants)) expect([name, v.source.length > 0]).toEqual([name, true]);
  });
});
