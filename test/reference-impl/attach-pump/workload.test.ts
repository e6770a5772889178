import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../sim/index.ts';
import { validateFaults } from '../../../sim/faults/validate.ts';
import { faultSpecsOf, workloadProblems } from '../../../sim/scenario/load.ts';
import { target, type AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';
import { processScript } from '../../../reference-impl/attach-pump/target/workload.ts';
import { ECHO_HELLO, run, scenario } from './helpers.ts';

const KINDS = [...target.faults.kernelKinds, ...target.faults.specs.map((s) => s.kind)];
const SPECS = faultSpecsOf(target);

describe('attach-pump workload', () => {
  it('every generated workload validates, and so does every fault generated for it', () => {
    fc.assert(
      fc.property(
        target.workload.arbitrary.chain((w) =>
          fc.tuple(fc.constant(w), fc.array(fc.oneof(...KINDS.map((k) => target.faults.arbitrary(k, w))), { maxLength: 8 })),
        ),
        ([w, faults]) => {
          expect(workloadProblems(target, w, 'workload')).toEqual([]);
          expect(validateFaults(faults, SPECS)).toEqual([]);
          expect(target.workload.describe(w)).toMatch(/^\w+: \d+ writes/);
        },
      ),
      { numRuns: 200, seed: 9 },
    );
  });

  it('names the JSON path of every problem', () => {
    expect(workloadProblems(target, null, 'workload')).toEqual(['workload: expected a workload object {command, steps, exit}, got null']);
    expect(
      workloadProblems(
        target,
        {
          command: 'x',
          steps: [
            { atMs: 0, stream: 'stdout', bytes: 3, text: 'a' },
            { atMs: 50, stream: 'stdin', bytes: 1 },
          ],
          exit: { atMs: 10, code: 300 },
          runner: { backlogBytesMax: 0 },
          extra: 1,
        },
        'workload',
      ),
    ).toEqual([
      'workload.extra: unknown field (expected one of command, steps, exit, runner)',
      'workload.steps[1].stream: expected one of "stdout", "stderr", got "stdin"',
      'workload.exit.code: expected an integer from 0 to 255, got 300',
      'workload.runner.backlogBytesMax: expected an integer >= 1, got 0',
      'workload.steps[0]: expected exactly one of bytes (tape) or text (literal)',
      'workload.steps[1].atMs: 50 is after the exit (10); a process writes nothing once it has exited',
    ]);
  });

  it('a step of literal bytes (hex) may end inside a UTF-8 character; hex is checked and exclusive', async () => {
    const w: AttachWorkload = {
      command: "printf 'caf\\303'; printf '\\251'",
      steps: [
        { atMs: 100, stream: 'stdout', hex: '636166c3' },
        { atMs: 200, stream: 'stdout', hex: 'a9' },
      ],
      exit: { atMs: 300, code: 0 },
    };
    expect(workloadProblems(target, w, 'workload')).toEqual([]);
    expect(processScript(w).steps.map((s) => Buffer.from(s.data).toString('hex'))).toEqual(['636166c3', 'a9']);
    const bad = {
      ...w,
      steps: [
        { atMs: 0, stream: 'stdout', hex: 'abc' },
        { atMs: 0, stream: 'stdout', hex: 'a9', text: 'x' },
      ],
    };
    expect(workloadProblems(target, bad, 'workload')).toEqual([
      'workload.steps[0].hex: expected an even number of hex digits, got "abc"',
      'workload.steps[1]: expected exactly one of bytes (tape), text (literal) or hex (literal bytes)',
    ]);
    // two frames: decoded per frame (pre-627) the split character becomes U+FFFD twice; cursor keeps the bytes
    const base = await run(scenario('pre-627', w));
    expect(base.stdout).toBe('caf\uFFFD\uFFFD');
    expect(base.violated).toContain('ordered-output');
    const fixed = await run(scenario('cursor', w));
    expect([fixed.stdout, fixed.violated]).toEqual(['café', []]);
  });

  it('fault kinds of the target check their parameters', () => {
    const bad: Fault[] = [
      { at: 0, kind: 'attach-cut', target: 'runner', afterFrames: -1 },
      { at: 0, kind: 'slow-subscriber', target: 'runner' },
      { at: 0, kind: 'mute-exit', target: 'runner', count: 0 },
      { at: 0, kind: 'evict', target: 'runner', kill: 'yes' },
    ];
    expect(validateFaults(bad, SPECS)).toEqual([
      'faults[0].target: expected "client->runner", "client->runner#n" or "*", got "runner"',
      'faults[0].afterFrames: expected an integer from 0 to 10000, got -1',
      'faults[1].durationMs: expected an integer from 1 to 86400000, got nothing',
      'faults[2].count: expected an integer >= 1, got 0',
      'faults[3].kill: expected true or false, got "yes"',
    ]);
  });

  it('tape output continues per stream; literal text stays as written', () => {
    const w: AttachWorkload = {
      command: 'mix',
      steps: [
        { atMs: 0, stream: 'stdout', bytes: 10 },
        { atMs: 1, stream: 'stderr', bytes: 4 },
        { atMs: 2, stream: 'stdout', bytes: 6 },
      ],
      exit: { atMs: 3, code: 0 },
    };
    expect(processScript(w).steps.map((s) => s.data)).toEqual(['o000000\no0', 'e000', '00001\n']);
    expect(processScript(ECHO_HELLO).steps[0]?.data).toBe('hello\n');
  });

  it('fault arbitraries shrink toward earlier and shorter faults', () => {
    for (const kind of ['cut', 'slow-subscriber', 'refuse', 'attach-cut']) {
      const r = fc.check(
        fc.property(target.faults.arbitrary(kind, { ...ECHO_HELLO, exit: { atMs: 10_000, code: 0 } }), (f) => f.at <= 1_000),
        { seed: 3, numRuns: 500 },
      );
      expect(r.failed).toBe(true);
      expect((r.counterexample?.[0] as Fault).at).toBe(1_001);
    }
    const long = fc.check(
      fc.property(target.faults.arbitrary('slow-subscriber', ECHO_HELLO), (f) => (f.durationMs as number) <= 3_000),
      { seed: 3, numRuns: 500 },
    );
    expect((long.counterexample?.[0] as Fault).durationMs).toBe(3_001);
  });
});
