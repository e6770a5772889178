/**
 * Every constant of the boxlite attach path, with its source. Times in virtual ms, sizes in bytes
 * or chunks. Production values only: virtual time is free, so tests never need the `cfg(test)`
 * values (300 ms watchdog, 1 s budget); a workload may scale the two buffer sizes down (see
 * `RunnerSizes`) to reach overflow with small outputs.
 */

/** The Go runner (apps/runner, G4614/boxlite at 5da30b52). */
export const RUNNER = {
  /** `streamBusBacklogCap` (exec_manager.go): per-stream backlog, oldest bytes dropped. */
  backlogBytesMax: 256 * 1024,
  /** `attachSubscriberBuffer` (boxlite_exec_attach.go): chunks per subscriber channel. */
  subscriberChunksMax: 256,
  /** `wsKeepaliveInterval`: a Ping every 15 s. */
  keepaliveMs: 15_000,
  /** `pongWait = 3 × keepalive`: the read deadline, refreshed by a Pong or any read. */
  pongWaitMs: 45_000,
  /** `wsWriteDeadline`: every write (data, ping, close) fails after 20 s blocked. */
  writeDeadlineMs: 20_000,
  /** The Done branch waits at most 2 s for the pumps before the exit frame. */
  drainMs: 2_000,
  /** `defaultCleanupTick`: the reaper's tick. */
  cleanupTickMs: 30_000,
  /** `defaultReconnectGrace` (BOXLITE_RECONNECT_GRACE): not connected this long → SIGHUP. */
  reconnectGraceMs: 5 * 60_000,
  /** `defaultShutdownGrace` (BOXLITE_SHUTDOWN_GRACE): SIGHUP → SIGTERM → SIGKILL steps. */
  shutdownGraceMs: 30_000,
  /** `defaultMaxSessionLifetime` (BOXLITE_MAX_SESSION_LIFETIME). */
  maxSessionLifetimeMs: 24 * 3_600_000,
  /** `evaluateExec`: a Done exec is evicted 5 min after the first tick that saw it Done. */
  retentionMs: 5 * 60_000,
  /** HTTP port of the runner (any: the client learns it from its base URL). */
  port: 8080,
} as const;

/** The REST client pump (src/boxlite/src/rest/litebox.rs, client.rs). */
export const CLIENT = {
  /** `WS_FIRST_FRAME_TIMEOUT`: read timeout until the first server frame (sticky). */
  firstFrameTimeoutMs: 10_000,
  /** `WS_WATCHDOG`: idle read timeout once a frame has been seen. */
  watchdogMs: 45_000,
  /** `probe_execution_status` and `emit_or_fallback` wrap the GET in a 5 s timeout. */
  probeTimeoutMs: 5_000,
  /** `WS_RECONNECT_BUDGET`: sleep time shared by every reconnect, never reset. */
  reconnectBudgetMs: 270_000,
  /** `WS_RECONNECT_BACKOFF_INITIAL` / `_MAX`: doubled after each failed connect. */
  backoffInitialMs: 15_000,
  backoffMaxMs: 30_000,
  /** `WS_HANDSHAKE_TIMEOUT` (client.rs): bound on the upgrade. */
  handshakeTimeoutMs: 30_000,
  /** reqwest client timeout (client.rs `ApiClient::new`), for the exec POST. */
  httpTimeoutMs: 300_000,
} as const;

/** The box every scenario execs in (any id: the runner checks the pairing). */
export const BOX_ID = 'box1';
