/**
 * The session-wait workload, declared once: its type, its validation (with JSON paths) and its
 * part of scenario.schema.json come from this schema; the rules across fields sit beside it.
 */
import { bool, fieldsOf, int, list, nullable, obj, oneOf, optional, type Static } from '../../../sim/index.ts';

export const RESULT_STATUSES = ['success', 'failure', 'timeout', 'signal', 'retired'] as const;

const RESULT = obj(
  {
    atMs: int('when result.toml is written', 'ms'),
    status: oneOf(RESULT_STATUSES, 'its status'),
    exitCode: int('its exit_code', 'exit code', { max: 255 }),
  },
  'one result.toml write',
);

export const SESSION_WAIT_WORKLOAD = obj(
  {
    results: list(RESULT, "result.toml writes by the pipeline, in time order; the last is the session's final result", {
      expected: 'a list of result writes',
    }),
    enrichedResults: bool('results carry events_count already, so the wait never rewrites them'),
    exitAtMs: int('when the daemon writes daemon-completion.toml and exits', 'ms'),
    exitCode: int('what the daemon exits with', 'exit code', { max: 255 }),
    stdout: list(
      obj(
        { atMs: int('when', 'ms'), bytes: int('bytes of tape', 'bytes', { min: 1, max: 16 * 1024 * 1024 }) },
        'one stdout.log spool write',
      ),
      'stdout.log spool: tape bytes at times',
    ),
    stderrEveryMs: int('a progress line on stderr.log this often (0: none)', 'ms'),
    tool: nullable(
      obj(
        {
          startMs: int('when the tool child starts (holding locks/codex.lock)', 'ms'),
          endMs: int('when it ends; after exitAtMs it is an orphan', 'ms'),
          outputEveryMs: int('it writes output this often (0: never)', 'ms'),
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
      int('the daemon is left unreaped this long after it exits or is killed (a zombie, with or without its tool alive)', 'ms'),
    ),
    wait: obj(
      {
        startMs: int('when the caller first runs `csa session wait` (after `csa run` returned the id)', 'ms', { min: 1 }),
        capSecs: int('[kv_cache].long_poll_seconds in the global config', 's', { min: 1, max: 3600 }),
        rewaitDelayMs: int('think time before a re-wait after a KV-warm exit', 'ms'),
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
