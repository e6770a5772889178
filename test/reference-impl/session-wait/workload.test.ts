/**
 * The workload and fault arbitraries make only valid data, and the validators name every
 * problem of a bad scenario file by its JSON path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFaults } from '../../../sim/faults/validate.ts';
import { faultSpecsOf, workloadProblems } from '../../../sim/scenario/load.ts';
import { target } from '../../../reference-impl/session-wait/target.ts';
import { workloadArbitrary } from '../../../reference-impl/session-wait/target/workload.ts';
import { workload } from './helpers.ts';

const SPECS = faultSpecsOf(target);

describe('session-wait workloads and faults', () => {
  it('every generated workload and fault validates', () => {
    fc.assert(
      fc.property(
        workloadArbitrary.chain((w) =>
          fc.tuple(fc.constant(w), fc.array(fc.oneof(...SPECS.map((s) => target.faults.arbitrary(s.kind, w))), { maxLength: 8 })),
        ),
        ([w, faults]) => {
          expect(workloadProblems(target, w, 'workload')).toEqual([]);
          expect(validateFaults(faults, SPECS, 'faults')).toEqual([]);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('names each problem of a bad workload by its path', () => {
    const w = workload({
      results: [{ atMs: 3_000, status: 'success', exitCode: 0 }, { atMs: 2_000, status: 'won', exitCode: 0 } as never],
      exitAtMs: 2_500,
    });
    const bad = {
      ...w,
      extra: 1,
      tool: { startMs: 5, endMs: 5, outputEveryMs: 0, outputResult: null },
      wait: { ...w.wait, startMs: 0, capSecs: 0 },
    };
    expect(workloadProblems(target, bad, 'workload')).toEqual([
      'workload.extra: unknown field (expected one of results, enrichedResults, exitAtMs, exitCode, stdout, stderrEveryMs, tool, mtimeGranularity, rssMb, daemonZombieMs, wait)',
      'workload.results[1].status: expected one of "success", "failure", "timeout", "signal", "retired", got "won"',
      'workload.wait.startMs: expected an integer from 1 to 3600000, got 0',
      'workload.wait.capSecs: expected an integer from 1 to 3600, got 0',
      "workload.results[0].atMs: written after the daemon's exit at 2500",
      'workload.results[1].atMs: results must be in time order (2000 < 3000)',
      'workload.tool.endMs: must be after startMs (5)',
    ]);
    expect(workloadProblems(target, null, 'workload')).toEqual(['workload: expected a session-wait workload object, got null']);
  });

  it('names each problem of a bad fault by its path', () => {
    expect(
      validateFaults(
        [
          { at: 0, kind: 'daemon-exit-code', code: 0 },
          { at: 5, kind: 'intermediate-result', status: 'ok', exitCode: 0 },
          { at: 5, kind: 'cap-length', capSecs: 10, cap: 3 },
          { at: 5, kind: 'second-wait', host: 'x' },
        ],
        SPECS,
        'faults',
      ),
    ).toEqual([
      'faults[0].code: expected an integer from 1 to 255, got 0',
      'faults[1].status: expected one of "success", "failure", "timeout", "signal", "retired", got "ok"',
      'faults[2].cap: unknown field (expected one of at, kind, capSecs)',
      'faults[3].host: unknown field (expected one of at, kind)',
    ]);
  });
});
