/**
 * attach-pump's oracle constants, each written once with its source. Checkers, truth and the
 * recoverability estimate take every bound from here and never from the implementation
 * (issue 12): a client or runner timer ten times off then shows as a violation instead of
 * moving the 360 s bound with it. Sections refer to /shared/specs/boxlite-attach.md.
 */

/** `WS_FIRST_FRAME_TIMEOUT` (litebox.rs): §4, 10 s read timeout until the first server frame. */
export const SPEC_FIRST_FRAME_TIMEOUT_MS = 10_000;
/** `WS_WATCHDOG` (litebox.rs): §4, 45 s idle read timeout once a frame was seen. */
export const SPEC_WATCHDOG_MS = 45_000;
/** `probe_execution_status` / `emit_or_fallback`: §4, the status GET is wrapped in 5 s. */
export const SPEC_PROBE_TIMEOUT_MS = 5_000;
/** `WS_RECONNECT_BUDGET` (litebox.rs): §4, 270 s of backoff sleep shared by every reconnect. */
export const SPEC_RECONNECT_BUDGET_MS = 270_000;
/** `WS_RECONNECT_BACKOFF_INITIAL`: §4, 15 s, and back to it on each new disconnect episode. */
export const SPEC_BACKOFF_INITIAL_MS = 15_000;
/** `WS_RECONNECT_BACKOFF_MAX`: §4, doubling to 30 s on each failed connect. */
export const SPEC_BACKOFF_MAX_MS = 30_000;
/** `WS_HANDSHAKE_TIMEOUT` (client.rs): §4, bound on the upgrade. */
export const SPEC_HANDSHAKE_TIMEOUT_MS = 30_000;
/** The runner's Done branch waits at most 2 s for its pumps before the exit frame: §3. */
export const SPEC_RUNNER_DRAIN_MS = 2_000;
/**
 * The runner keeps an exited execution for 5 min: §3 Reaper ("a Done exec is evicted >5 min after
 * the first tick that saw it Done (probe → 404 about 5–5.5 min after exit)"). The earliest an
 * answer can become impossible to get: exit + 5 min.
 */
export const SPEC_EXITED_RETENTION_MS = 300_000;
/** Network latency slack in the termination bound (our modelling margin, issue 5). */
export const SPEC_LATENCY_SLACK_MS = 3_000;

/**
 * `terminates`: from the exit and the faults settling, the worst case is a dead socket noticed
 * by the watchdog (or the runner's Close after its drain), a probe, a handshake left to time
 * out, the whole reconnect budget, the final `emit_or_fallback` probe, plus latency:
 * 45 + 2 + 5 + 30 + 270 + 5 + 3 = 360 s.
 */
export const SPEC_TERMINATION_BOUND_MS =
  SPEC_WATCHDOG_MS +
  SPEC_RUNNER_DRAIN_MS +
  SPEC_PROBE_TIMEOUT_MS +
  SPEC_HANDSHAKE_TIMEOUT_MS +
  SPEC_RECONNECT_BUDGET_MS +
  SPEC_PROBE_TIMEOUT_MS +
  SPEC_LATENCY_SLACK_MS;

/** The output streams of a non-TTY exec: §2 (stdout and stderr frames). */
export const SPEC_STREAMS = ['stdout', 'stderr'] as const;

export const SPEC_CONSTANTS = {
  SPEC_FIRST_FRAME_TIMEOUT_MS,
  SPEC_WATCHDOG_MS,
  SPEC_PROBE_TIMEOUT_MS,
  SPEC_RECONNECT_BUDGET_MS,
  SPEC_BACKOFF_INITIAL_MS,
  SPEC_BACKOFF_MAX_MS,
  SPEC_HANDSHAKE_TIMEOUT_MS,
  SPEC_RUNNER_DRAIN_MS,
  SPEC_EXITED_RETENTION_MS,
  SPEC_LATENCY_SLACK_MS,
  SPEC_TERMINATION_BOUND_MS,
} as const;

/**
 * The cursor extension (our answer to boxlite-ai/boxlite#1046; wire.ts documents it): an attach
 * asks with `?stdout=N&stderr=M`; output then comes as `[0x11|0x12] ++ u64be offset ++ bytes`,
 * and `{"type":"gap","stream","from","to"}` names bytes the backlog no longer holds.
 */
export const SPEC_CURSOR = {
  query: /\?stdout=(\d+)&stderr=(\d+)$/,
  positioned: { 0x11: 'stdout', 0x12: 'stderr' } as Record<number, 'stdout' | 'stderr'>,
  plain: [0x01, 0x02],
  headerBytes: 9,
} as const;
