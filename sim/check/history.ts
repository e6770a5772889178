/**
 * What a checker sees of a run: the truth (what the process really wrote and how it really
 * ended, taken from the simulated world, never from the implementation under test) and what the
 * caller observed (the bytes it delivered, the notices it was given, the results it reported).
 * Byte data is kept as Uint8Array; times are virtual ms.
 */

/** A chunk the process wrote to one of its streams (truth). */
export interface ProducedChunk {
  t: number;
  data: Uint8Array;
}

/** Bytes the caller delivered to its user for one stream (observed), in delivery order. */
export interface DeliveredChunk {
  t: number;
  data: Uint8Array;
  /**
   * Byte offset in the produced stream of `data[0]`, when the protocol carries positions (codex
   * seq numbers, byte cursors). Without it, the checker aligns delivered bytes by content.
   */
  offset?: number;
}

/**
 * An explicit message to the caller's user that output may be missing or the run failed:
 * a gap marker, an error, a failure result. Lost output that was announced is not a silent loss.
 */
export interface Notice {
  t: number;
  kind: 'gap' | 'error';
  /** The stream concerned; undefined: all streams. */
  stream?: string;
  message: string;
}

/** How the process really ended (truth). */
export type TrueOutcome =
  | { kind: 'exit'; code: number | null; signal: string | null; denied: boolean; t: number }
  /** Still running when the run ended. */
  | { kind: 'running' };

/** What the caller reported as its terminal answer (observed). */
export type ReportedOutcome =
  /** An exit status; `error` set means the caller attached an explicit error to it (#804). */
  | { kind: 'exit'; code: number | null; signal?: string | null; denied?: boolean; error?: string }
  /** An explicit failure: the caller says it could not learn the outcome. */
  | { kind: 'failure'; message: string }
  /** A healthy non-terminal answer: still running, ask again (a KV-warm exit). */
  | { kind: 'running'; message?: string };

export interface ReportedResult {
  t: number;
  outcome: ReportedOutcome;
}

export interface Observed {
  streams: Record<string, DeliveredChunk[]>;
  notices: Notice[];
  results: ReportedResult[];
}

export interface Truth {
  streams: Record<string, ProducedChunk[]>;
  outcome: TrueOutcome;
  /**
   * True when no fault exceeded what the protocol promises to survive. Unrecoverable runs may
   * end in an explicit failure; they must still never splice output silently or lie.
   */
  recoverable: boolean;
  /** Why the run is not recoverable (one line each), for reports. */
  unrecoverableBecause: string[];
  /** Liveness mode: when faults healed. */
  healedAt?: number;
  /** Virtual ms when the run ended (a result cannot be expected after it). */
  runEndedAt: number;
}
