/**
 * Fault kinds for session-wait. Kernel kinds do most of the work:
 * - `set-mtime` on `result.toml.tmp` or `daemon-completion.toml.tmp` (both are written through
 *   a tmp file and a rename, which keeps the mtime): the mtime order between result and packet,
 *   equal mtimes included; the session's granularity itself is in the workload;
 * - `torn-read` of `result.toml`; `kill` of the daemon (SIGKILL: no packet; SIGTERM: packet
 *   143) or of its tool; `pid-reuse` of either.
 * This target adds four: the daemon's exit code after the result, an intermediate result, a
 * second concurrent wait, and a new cap in the config. Arbitraries aim at the workload's own
 * timeline and shrink toward earlier faults.
 */
import fc from 'fast-check';
import { faultSpec, int, oneOf, type Fault, type FaultNames, type FaultSpec } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import { WAIT_PROCESS_NAME } from '../caller.ts';
import { DAEMON_NAME } from '../daemon.ts';
import { GLOBAL_CONFIG, sessionPaths } from '../sessionFiles.ts';
import { RESULT_STATUSES, TOOL_NAME, type SessionWaitWorkload } from './workload.ts';

export const SESSION_ID = '01JW5S3SS10N000000000000AA';
export const PATHS = sessionPaths(SESSION_ID);
export const KERNEL_KINDS = ['set-mtime', 'torn-read', 'kill', 'pid-reuse'] as const;

export const DAEMON_EXIT_CODE = faultSpec({
  kind: 'daemon-exit-code',
  summary: 'from now on the daemon will exit with this code (a cleanup failure or a panic after the result)',
  params: { code: int('what the daemon exits with (101: a panic)', 'exit code', { min: 1, max: 255 }) },
  // its effect is the daemon's own exit with the new code: none if it is gone, or a signal ends it
  reportsEffect: true,
});
export const INTERMEDIATE_RESULT = faultSpec({
  kind: 'intermediate-result',
  summary: 'the pipeline writes result.toml now; a later write (a post-exec gate) replaces it',
  params: { status: oneOf(RESULT_STATUSES, 'its status'), exitCode: int('its exit_code', 'exit code', { max: 255 }) },
  // its effect is the write of result.toml: none once the daemon is gone or the final result is in
  reportsEffect: true,
});
export const SECOND_WAIT = faultSpec({
  kind: 'second-wait',
  summary: 'another caller starts `csa session wait` on the same session now (host wait2, wait3...)',
  params: {},
});
export const CAP_LENGTH = faultSpec({
  kind: 'cap-length',
  summary: 'the global config now sets [kv_cache].long_poll_seconds: the next wait resolves this cap',
  params: { capSecs: int('the new cap', 's', { min: 1, max: 3600 }) },
  // its effect is a wait resolving the new cap: none if every wait had resolved its cap already
  reportsEffect: true,
});

export const FAULT_SPECS: readonly FaultSpec[] = [DAEMON_EXIT_CODE, INTERMEDIATE_RESULT, SECOND_WAIT, CAP_LENGTH];

/**
 * What a run of this scenario can name: the daemon, the callers, the tool child if there is one,
 * the unrelated squatter of a pid-reuse; every session file (and the .tmp each atomic write goes
 * through), the tool's lock and the user's config. A kernel fault aimed elsewhere hits nothing.
 */
export function faultNames(s: Scenario<SessionWaitWorkload>): FaultNames {
  const processes = [DAEMON_NAME, WAIT_PROCESS_NAME];
  if (s.workload.tool) processes.push(TOOL_NAME);
  if (s.faults.some((f) => f.kind === 'pid-reuse')) processes.push('unrelated');
  const { id: _id, dir: _dir, locks: _locks, ...paths } = PATHS;
  const files = [...Object.values(paths), `${PATHS.locks}/${TOOL_NAME}.lock`, GLOBAL_CONFIG];
  return { processes, files: [...files, ...files.map((f) => `${f}.tmp`)] };
}

const tenths = (maxMs: number) => fc.integer({ min: 0, max: Math.max(0, Math.floor(maxMs / 100)) }).map((n) => n * 100);

/** One fault of a kind, aimed at this workload's timeline. */
export function faultArbitrary(kind: string, w: SessionWaitWorkload): fc.Arbitrary<Fault> {
  const exit = w.exitAtMs;
  const last = w.results.at(-1);
  switch (kind) {
    case 'kill':
      return fc
        .record({
          at: tenths(exit + 1_000),
          target: fc.constantFrom(DAEMON_NAME, DAEMON_NAME, TOOL_NAME),
          signal: fc.constantFrom('SIGKILL', 'SIGTERM'),
        })
        .map(({ at, target, signal }) => ({ at, kind, target, signal }));
    case 'pid-reuse':
      // A reused tool pid counts as alive until its lock file is 60 s old (long runs): rarer.
      return fc
        .record({ at: tenths(exit), target: fc.constantFrom(DAEMON_NAME, DAEMON_NAME, DAEMON_NAME, DAEMON_NAME, TOOL_NAME) })
        .map(({ at, target }) => ({ at, kind, target }));
    case 'set-mtime': {
      // The packet's mtime lands near the final result's (delta 0: equal), or result.toml's moves.
      const packet = fc.record({ at: tenths(exit), delta: fc.constantFrom(0, 0, -1_500, -500, 500, 1_500) }).map(({ at, delta }) => ({
        at: Math.min(at, Math.max(0, exit - 1)),
        kind,
        target: `${PATHS.packet}.tmp`,
        offsetMs: (last ? last.atMs : exit) - exit + delta,
      }));
      const result = fc
        .record({ at: tenths(last ? last.atMs : exit), offsetMs: fc.constantFrom(-2_000, -1_000, 1_000, 2_000) })
        .map(({ at, offsetMs }) => ({
          at,
          kind,
          target: `${PATHS.result}.tmp`,
          offsetMs,
        }));
      return fc.oneof({ weight: 3, arbitrary: packet }, { weight: 1, arbitrary: result });
    }
    case 'torn-read':
      return fc
        .record({ at: tenths(exit + 2_000), count: fc.integer({ min: 1, max: 2 }) })
        .map(({ at, count }) => ({ at, kind, target: PATHS.result, count }));
    case 'daemon-exit-code':
      return fc.record({ at: tenths(exit), code: fc.constantFrom(1, 2, 101) }).map(({ at, code }) => ({ at, kind, code }));
    case 'intermediate-result':
      return fc
        .record({
          at: tenths(last ? last.atMs - 1 : exit),
          status: fc.constantFrom(...RESULT_STATUSES),
          exitCode: fc.constantFrom(0, 1, 2),
        })
        .map(({ at, status, exitCode }) => ({ at, kind, status, exitCode }));
    case 'second-wait':
      return tenths(exit + 10_000).map((at) => ({ at: Math.max(1, at), kind }));
    case 'cap-length':
      return fc
        .record({ at: tenths(exit + 10_000), capSecs: fc.constantFrom(1, 2, 5, 30, 240) })
        .map(({ at, capSecs }) => ({ at, kind, capSecs }));
    default:
      throw new Error(
        `session-wait: unknown fault kind ${JSON.stringify(kind)} (known: ${[...KERNEL_KINDS, ...FAULT_SPECS.map((s) => s.kind)].join(', ')})`,
      );
  }
}
