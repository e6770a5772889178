/**
 * What the target's fault kinds can turn on the server, in one mutable object the server reads
 * at the moment each rule applies. Defaults are upstream's; every knob is off by default.
 */
export interface ServerKnobs {
  /** RETAINED_OUTPUT_BYTES_PER_PROCESS (1 MiB); the `retention-size` fault lowers it. */
  retainedBytesMax: number;
  /** RETAINED_OUTPUT_CHUNKS_PER_PROCESS (50,000, newer servers). */
  retainedChunksMax: number;
  /** Told of the seqs a process's retention evicts under a `retention-size` fault's caps (its effect). */
  retentionEvicted?: (processId: string, seqs: number[]) => void;
  /** A pre-#30273 server: `process/exited` carries no `sandboxDenied`. */
  legacyExited: boolean;
  /** A server with the old `nextSeq` rule: last returned chunk + 1 even without `maxBytes`. */
  oldNextSeq: boolean;
  /** Told when the legacy build answers differently (the `legacy-server` fault's effect). */
  legacyAnswered?: (what: string) => void;
  /**
   * The next `process/read` requests fail with -32603: one entry per `read-error` fault, with
   * how many reads it still fails and what to tell when one does (its effect).
   */
  readErrors: Array<{ left: number; failed(processId: string): void }>;
  /**
   * Notifications held back before sending, by seq: how long (a pump task descheduled), and what
   * to tell when the seq is held (the `notification-reorder` fault's effect).
   */
  holds: Map<number, { ms: number; held?(processId: string): void }>;
  /** Upper bound of the pipe-read delay per chunk (ms); 0: read at once. */
  pipeJitterMsMax: number;
  /** Upper bound of the delay between assigning a seq and sending its notification (ms). */
  sendJitterMsMax: number;
}

export const RETAINED_OUTPUT_BYTES_PER_PROCESS = 1024 * 1024;
export const RETAINED_OUTPUT_CHUNKS_PER_PROCESS = 50_000;

export function defaultKnobs(): ServerKnobs {
  return {
    retainedBytesMax: RETAINED_OUTPUT_BYTES_PER_PROCESS,
    retainedChunksMax: RETAINED_OUTPUT_CHUNKS_PER_PROCESS,
    legacyExited: false,
    oldNextSeq: false,
    readErrors: [],
    holds: new Map(),
    pipeJitterMsMax: 0,
    sendJitterMsMax: 0,
  };
}
