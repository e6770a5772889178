/**
 * The policy slots: where the variants differ, and nowhere else. The base (`variants/fixed.ts`)
 * is upstream as it is at #1445; each variant overrides only the slots its upstream change
 * touched (`defineVariant` in sim/ports/variant.ts), so `variants/<name>.ts` reads like that PR.
 */
import type { Variant } from '../../sim/ports/index.ts';
import type { WaitContext } from './context.ts';
import type { DaemonPidRecord } from './liveness.ts';
import type { CompletionPacket, SessionResult } from './sessionFiles.ts';

export interface WaitPolicy {
  /**
   * B1, after the refresh: whether the refreshed result.toml decides the outcome, or is dropped
   * so that the packet decides (the pre-#1445 mtime filter, #1442).
   */
  keepRefreshedResult(ctx: WaitContext, result: SessionResult, packet: CompletionPacket): boolean;
  /** B6: what the wait prints and returns when `elapsed >= cap` (#1439). */
  capExit(ctx: WaitContext, elapsedSecs: number): number;
  /** `daemon_pid_is_alive` for a daemon.pid record: start-time checked, or `kill(pid, 0)` alone. */
  daemonPidIsAlive(ctx: WaitContext, record: DaemonPidRecord): boolean;
  /** B2: a completed result is returned only once no session process remains (#2034 says why). */
  readonly completedResultNeedsDeadDaemon: boolean;
  /**
   * `find_session_pid` test 1: whether daemon.pid's start ticks must match `/proc/<pid>/stat`
   * too (upstream: the cmdline alone, so a wait that got the dead daemon's pid is the daemon).
   */
  readonly sessionPidChecksStartTime: boolean;
}

export type WaitVariant = Variant<WaitPolicy>;
