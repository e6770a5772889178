/**
 * The session-wait workload, declared once: its type, its validation (with JSON paths) and its
 * part of scenario.schema.json come from this schema; the rules across fields sit beside it.
 */
import {
  bool,
  fieldsOf,
  int,
  list,
  nullable,
  obj,
  oneOf,
  optional,
  withLimit,
  type Measured,
  type Static,
  type WorkloadLimits,
} from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';

export const RESULT_STATUSES = ['success', 'failure', 'timeout', 'signal', 'retired'] as const;

/**
 * What one workload may ask for: 4 MiB of stdout and 10,000 output steps (stdout and result
 * writes, stderr and tool lines), one hour (the wait polls every second: an hour is 3,600
 * polls, a day took 13 s), 64 processes (daemon, tool, callers, pid reusers).
 */
export const SESSION_WAIT_LIMITS: WorkloadLimits = { bytes: 4 * 1024 * 1024, steps: 10_000, durationMs: 3_600_000, processes: 64 };
const OURS = "session-wait's";

/** A time or period of the story, within the duration limit. */
const time = (description: string, o: { min?: number } = {}) =>
  withLimit(int(description, 'ms', { ...o, max: SESSION_WAIT_LIMITS.durationMs }), OURS);
const limitedList: typeof list = (items, description, o = {}) =>
  withLimit(list(items, description, { ...o, maxItems: SESSION_WAIT_LIMITS.steps }), OURS);

const RESULT = obj(
  {
    atMs: time('when result.toml is written'),
    status: oneOf(RESULT_STATUSES, 'its status'),
    exitCode: int('its exit_code', 'exit code', { max: 255 }),
  },
  'one result.toml write',
);

export const SESSION_WAIT_WORKLOAD = obj(
  {
    results: limitedList(RESULT, "result.toml writes by the pipeline, in time order; the last is the session's final result", {
      expected: 'a list of result writes',
    }),
    enrichedResults: bool('results carry events_count already, so the wait never rewrites them'),
    exitAtMs: time('when the daemon writes daemon-completion.toml and exits'),
    exitCode: int('what the daemon exits with', 'exit code', { max: 255 }),
    stdout: limitedList(
      obj(
        {
          atMs: time('when'),
          bytes: withLimit(int('bytes of tape', 'bytes', { min: 1, max: SESSION_WAIT_LIMITS.bytes }), OURS),
        },
        'one stdout.log spool write',
      ),
      'stdout.log spool: tape bytes at times',
    ),
    stderrEveryMs: time('a progress line on stderr.log this often (0: none)'),
    tool: nullable(
      obj(
        {
          startMs: time('when the tool child starts (holding locks/codex.lock)'),
          endMs: time('when it ends; after exitAtMs it is an orphan'),
          outputEveryMs: time('it writes output this often (0: never)'),
          outputResult: nullable(RESULT, 'a result.toml it writes itself, or null'),
        },
        'the tool child',
      ),
      'the tool child holding locks/codex.lock, or null',
    ),
    mtimeGranularity: oneOf(['ns', '1s', '2s'], "the session file system's mtime granularity (every writer shares it)"),
    rssMb: int("RSS of the session's process tree while it runs", 'MB'),
    // Issue 12: the zombie rows of the liveness table (spec §2); absent in older files.
    daemonZombieMs: optional(
      time('the daemon is left unreaped this long after it exits or is killed (a zombie, with or without its tool alive)'),
    ),
    wait: obj(
      {
        startMs: time('when the caller first runs `csa session wait` (after `csa run` returned the id)', { min: 1 }),
        capSecs: int('[kv_cache].long_poll_seconds in the global config', 's', { min: 1, max: 3600 }),
        rewaitDelayMs: time('think time before a re-wait after a KV-warm exit'),
        memoryWarnMb: nullable(int('memory warning threshold', 'MB', { min: 1 }), 'memory warning threshold, or null for none'),
        sampler: oneOf(['ok', 'unsupported'], 'what the RSS sampler does: unsupported stops sampling'),
      },
      "the caller's side",
    ),
  },
  "session-wait workload: the daemon's story and the caller's",
  { expected: 'a session-wait workload object' },
);

export type SessionWaitWorkload = Static<typeof SESSION_WAIT_WORKLOAD>;
export type ResultSpec = SessionWaitWorkload['results'][number];
export type ResultStatus = ResultSpec['status'];

/** The rules across fields: results in time order and before the exit, a tool that ends after it starts. */
export function workloadRules(value: unknown, path: string): string[] {
  const w = fieldsOf(value);
  const problems: string[] = [];
  if (Array.isArray(w.results)) {
    const times = w.results.map((r: unknown) => fieldsOf(r).atMs);
    times.forEach((t, i) => {
      const before = times[i - 1];
      if (typeof t !== 'number') return;
      if (typeof before === 'number' && t < before)
        problems.push(`${path}.results[${i}].atMs: results must be in time order (${t} < ${before})`);
      if (typeof w.exitAtMs === 'number' && t > w.exitAtMs)
        problems.push(`${path}.results[${i}].atMs: written after the daemon's exit at ${w.exitAtMs}`);
    });
  }
  const tool = fieldsOf(w.tool);
  if (typeof tool.startMs === 'number' && typeof tool.endMs === 'number' && tool.endMs <= tool.startMs)
    problems.push(`${path}.tool.endMs: must be after startMs (${tool.startMs})`);
  return problems;
}

/** The workload's totals for SESSION_WAIT_LIMITS: stdout bytes, output steps, processes (with the faults that start one). */
export function measureWorkload(s: Scenario<SessionWaitWorkload>): Measured {
  const w = s.workload;
  const lines = (span: number, every: number) => (every > 0 ? Math.floor(Math.max(0, span) / every) : 0);
  const parts: Array<[string, number]> = [
    ['workload.stdout', w.stdout.length],
    ['workload.results', w.results.length],
    ['workload.stderrEveryMs', lines(w.exitAtMs, w.stderrEveryMs)],
    ['workload.tool.outputEveryMs', w.tool ? lines(w.tool.endMs - w.tool.startMs, w.tool.outputEveryMs) : 0],
  ];
  const [stepsPath] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  const starters = s.faults.filter((f) => f.kind === 'second-wait' || f.kind === 'pid-reuse').length;
  return {
    bytes: { value: w.stdout.reduce((n, c) => n + c.bytes, 0), path: 'workload.stdout' },
    steps: { value: parts.reduce((n, [, v]) => n + v, 0), path: stepsPath },
    processes: { value: 2 + (w.tool ? 1 : 0) + starters, path: 'faults' },
  };
}
