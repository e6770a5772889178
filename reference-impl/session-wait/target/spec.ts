/**
 * session-wait's oracle constants, each written once with its source. Checkers and truth take
 * every bound from here and never from the implementation (issue 12): a lock-file rule ten times
 * too lenient in the code then shows as a false "alive" instead of moving the oracle with it.
 * Sections refer to /shared/specs/csa-session-wait.md.
 */

/** `LOCK_FILE_STALE_SECS`: §2, a lock file at most 60 s old counts as a live session process. */
export const SPEC_LOCK_FILE_STALE_MS = 60_000;

/** `poll_interval`: §3, the loop sleeps 1 s at the bottom of each iteration. */
export const SPEC_POLL_INTERVAL_MS = 1_000;

/** Longest a fixed wait may honestly see life after the last session process: the lock-file rule, plus a poll. */
export const SPEC_LIFE_AFTER_DEATH_MS = SPEC_LOCK_FILE_STALE_MS + SPEC_POLL_INTERVAL_MS;

/** `terminates`: a terminal answer within this long after the session ended (or the wait started), plus the caller's think time; one more poll to see the end. */
export const SPEC_TERMINATES_BOUND_MS = SPEC_LIFE_AFTER_DEATH_MS + SPEC_POLL_INTERVAL_MS;

/** The session daemon's process name in the world's process table (the harness's name for `csa`'s daemon, §2). */
export const SPEC_DAEMON_PROCESS_NAME = 'csa-daemon';

export const SPEC_CONSTANTS = {
  SPEC_LOCK_FILE_STALE_MS,
  SPEC_POLL_INTERVAL_MS,
  SPEC_LIFE_AFTER_DEATH_MS,
  SPEC_TERMINATES_BOUND_MS,
} as const;
