/**
 * What one `csa session wait` process works with: its host's ports, the session's paths, the
 * variant's policy, the machine's flock table, and its own stdout and stderr.
 */
import type { Ports } from '../../sim/ports/index.ts';
import type { FlockTable } from './flock.ts';
import type { WaitPolicy } from './policy.ts';
import type { SessionPaths } from './sessionFiles.ts';

/** One RSS sample of the session's process tree (the upstream sampler hook). */
export type RssSample = { rssMb: number } | { error: 'unsupported' | 'io' };

export interface WaitContext {
  readonly ports: Ports;
  readonly paths: SessionPaths;
  readonly policy: WaitPolicy;
  readonly flocks: FlockTable;
  /** This wait's own process (the `.wait.lock` pid). */
  readonly self: { pid: number; startTimeTicks: number };
  /** `--cd` as given, for the re-wait command in markers. */
  readonly cd: string | undefined;
  /** Resolved cap (`wait_timeout_secs`). */
  readonly capSecs: number;
  /** `--memory-warn-mb`; undefined or 0: no sampling. */
  readonly memoryWarnMb: number | undefined;
  readonly sampleRssMb: () => RssSample;
  /**
   * Reads of files only the daemon writes (daemon.pid, locks/*), and the liveness answers made
   * from them and the process table (`find_session_pid`, `session_has_terminal_process`), kept
   * for one iteration. An iteration runs atomically in the simulation (blocking calls, no
   * yield), so upstream's repeated reads and probes could not see anything new: taking them once
   * changes no outcome, only the cost. The loop clears it.
   */
  readonly memo: Map<string, unknown>;
  /** `LOCK_FILE_STALE_SECS` in ms when a test double retunes it (issue 12); else 60 s. */
  readonly lockFileStaleMs?: number;
  /** True once this wait's process is gone (killed): it runs no more code. */
  stopped(): boolean;
  out(line: string): void;
  err(line: string): void;
  /** Raw bytes to stdout (the stdout.log copy). */
  outRaw(text: string): void;
}
