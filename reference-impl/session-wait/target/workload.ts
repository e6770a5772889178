/**
 * The session-wait workload: the daemon's story (result writes, exit code and time, stdout
 * spool, stderr progress, a tool child that may outlive it) and the caller's (when it first
 * waits, the cap, re-wait think time, the memory limit). Times are virtual ms since the session
 * was created; the arbitrary draws them on a 100 ms grid so the daemon and the wait's 1 s polls
 * meet at the same instant often enough for the scheduler to try both orders.
 */
import fc from 'fast-check';
import { tape } from '../../../sim/workload/tape.ts';
import type { DaemonPlan } from '../daemon.ts';
import { RESULT_STATUSES, type ResultSpec, type SessionWaitWorkload } from './workloadSchema.ts';

export { RESULT_STATUSES, type ResultSpec, type ResultStatus, type SessionWaitWorkload } from './workloadSchema.ts';
export const TOOL_NAME = 'codex';

const grid = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * 100);
const finalResult = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ status: 'success' as const, exitCode: 0 }) },
  { weight: 4, arbitrary: fc.record({ status: fc.constant('failure' as const), exitCode: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ status: 'timeout' as const, exitCode: 124 }) },
  { weight: 1, arbitrary: fc.constant({ status: 'retired' as const, exitCode: 0 }) },
);

/** The daemon exits with its result's code unless something after the result fails. */
export function naturalExitCode(results: readonly ResultSpec[]): number {
  const last = results.at(-1);
  if (!last) return 1;
  return last.status === 'success' || last.status === 'retired' ? 0 : Math.max(1, last.exitCode);
}

const story = fc
  .record({
    finalAtMs: fc.oneof({ weight: 4, arbitrary: grid(3, 50) }, { weight: 1, arbitrary: grid(5, 150) }),
    final: fc.option(finalResult, { freq: 9, nil: null }),
    intermediate: fc.option(
      fc.record({ before: grid(1, 20), status: fc.constantFrom(...RESULT_STATUSES), exitCode: fc.constantFrom(0, 1, 2) }),
      { freq: 6, nil: null },
    ),
    postExecMs: fc.oneof({ weight: 4, arbitrary: grid(0, 20) }, { weight: 1, arbitrary: grid(0, 80) }),
    exitOverride: fc.option(fc.constantFrom(1, 2, 101), { freq: 9, nil: null }),
    enrichedResults: fc.boolean(),
  })
  .map((s) => {
    const results: ResultSpec[] = [];
    if (s.final) {
      if (s.intermediate)
        results.push({
          atMs: Math.max(0, s.finalAtMs - s.intermediate.before),
          status: s.intermediate.status,
          exitCode: s.intermediate.exitCode,
        });
      results.push({ atMs: s.finalAtMs, ...s.final });
    }
    const exitAtMs = s.finalAtMs + s.postExecMs;
    return { results, exitAtMs, exitCode: s.exitOverride ?? naturalExitCode(results), enrichedResults: s.enrichedResults };
  });

export const workloadArbitrary: fc.Arbitrary<SessionWaitWorkload> = story.chain((s) =>
  fc.record({
    results: fc.constant(s.results),
    enrichedResults: fc.constant(s.enrichedResults),
    exitAtMs: fc.constant(s.exitAtMs),
    exitCode: fc.constant(s.exitCode),
    stdout: fc
      .array(
        fc.record({ atMs: fc.integer({ min: 0, max: s.exitAtMs / 100 }).map((n) => n * 100), bytes: fc.integer({ min: 1, max: 64 }) }),
        { maxLength: 3 },
      )
      .map((cs) => [...cs].sort((a, b) => a.atMs - b.atMs)),
    stderrEveryMs: fc.constantFrom(0, 0, 2_000, 5_000, 10_000),
    tool: fc.option(
      fc
        .record({
          startMs: grid(0, 10),
          endMs: fc.oneof(
            { weight: 3, arbitrary: fc.integer({ min: 1, max: Math.max(1, s.exitAtMs / 100) }).map((n) => n * 100) },
            { weight: 1, arbitrary: grid(0, 200).map((n) => s.exitAtMs + n) },
          ),
          outputEveryMs: fc.constantFrom(0, 2_000, 5_000),
          outputResult: fc.option(
            fc.record({
              atMs: grid(1, 50),
              status: fc.constantFrom('success' as const, 'failure' as const),
              exitCode: fc.constantFrom(0, 1),
            }),
            { freq: 8, nil: null },
          ),
        })
        .map((t) => ({
          ...t,
          endMs: Math.max(t.endMs, t.startMs + 100),
          outputResult: t.outputResult && { ...t.outputResult, exitCode: t.outputResult.status === 'success' ? 0 : 1 },
        })),
      { freq: 2, nil: null },
    ),
    mtimeGranularity: fc.constantFrom('ns' as const, 'ns' as const, '1s' as const, '2s' as const),
    rssMb: fc.integer({ min: 50, max: 400 }),
    daemonZombieMs: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: grid(1, 100) },
      { weight: 1, arbitrary: grid(100, 1_200) },
    ),
    wait: fc.record({
      startMs: fc.oneof({ weight: 3, arbitrary: grid(1, 10) }, { weight: 1, arbitrary: grid(0, 700).map((n) => s.exitAtMs + n + 100) }),
      capSecs: fc.constantFrom(1, 2, 3, 5, 10, 30, 60, 240),
      rewaitDelayMs: fc.constantFrom(0, 1_000, 5_000),
      memoryWarnMb: fc.option(fc.integer({ min: 100, max: 500 }), { freq: 8, nil: null }),
      sampler: fc.constantFrom('ok' as const, 'ok' as const, 'ok' as const, 'unsupported' as const),
    }),
  }),
);

/** The daemon's plan (implementation side) for a workload. */
export function daemonPlan(w: SessionWaitWorkload): DaemonPlan {
  let offset = 0;
  const stdout = w.stdout.map((c) => {
    const text = tape('stdout', offset, c.bytes);
    offset += c.bytes;
    return { atMs: c.atMs, text };
  });
  const plan: DaemonPlan = {
    results: w.results,
    enrichedResults: w.enrichedResults,
    exitAtMs: w.exitAtMs,
    exitCode: w.exitCode,
    stdout,
    stderrEveryMs: w.stderrEveryMs,
  };
  if (w.daemonZombieMs) plan.zombieMs = w.daemonZombieMs;
  if (w.tool) {
    plan.tool = { name: TOOL_NAME, startMs: w.tool.startMs, endMs: w.tool.endMs, outputEveryMs: w.tool.outputEveryMs };
    if (w.tool.outputResult) plan.tool.outputResult = w.tool.outputResult;
  }
  return plan;
}

/** When the story's last process ends, as planned (faults may end it sooner). */
export function plannedEndMs(w: SessionWaitWorkload): number {
  return Math.max(w.exitAtMs, w.tool ? w.tool.endMs : 0);
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function describeWorkload(w: SessionWaitWorkload): string {
  const results = w.results.map((r) => `${r.status}/${r.exitCode}@${sec(r.atMs)}`).join(' then ') || 'no result';
  const post = w.results.length > 0 ? `, post-exec ${sec(w.exitAtMs - (w.results.at(-1) as ResultSpec).atMs)}` : '';
  const tool = w.tool ? `, tool ${sec(w.tool.startMs)}-${sec(w.tool.endMs)}${w.tool.endMs > w.exitAtMs ? ' (orphan)' : ''}` : '';
  return `${results}, daemon exit ${w.exitCode}@${sec(w.exitAtMs)}${post}${tool}, ${w.mtimeGranularity} mtimes; wait at ${sec(w.wait.startMs)}, cap ${w.wait.capSecs}s`;
}
