/**
 * One process on the server (`RunningProcess` in local_process.rs): its seq counter, retained
 * output and terminal state, and the two pure rules built on them: retention (spec §1.6: evict
 * the oldest chunk while over the byte or chunk cap, silently) and the read snapshot (chunks
 * after `afterSeq` up to `maxBytes`, and both `nextSeq` rules).
 */
import type { ProcessHandle } from '../../../sim/ports/index.ts';
import { toBase64, type ExecOutputStream, type ReadResult, type SandboxType, type WireChunk } from '../protocol/wire.ts';

export interface RetainedChunk {
  seq: number;
  stream: ExecOutputStream;
  chunk: Uint8Array;
}

/** How many accepted writeIds a process remembers (spec §1.3). */
export const WRITE_ID_MEMORY = 4096;

export class RunningProcess {
  output: RetainedChunk[] = [];
  retainedBytes = 0;
  /** One counter shared by output, exit and close; starts at 1 (spec §1.5). */
  nextSeq = 1;
  exitCode: number | null = null;
  closed = false;
  /** Both pipes (counted down by each pump's end of stream). */
  openStreams = 2;
  sandboxDenied = false;
  readonly writeIds: string[] = [];
  readonly writeIdSet = new Set<string>();
  /** Long-poll readers waiting for output, exit or close (`output_notify`). */
  waiters: Array<() => void> = [];
  /** Bytes already assigned per stream: the stream offset of the next chunk. */
  readonly streamBytes: Record<string, number> = {};

  constructor(
    readonly processId: string,
    readonly handle: ProcessHandle,
    readonly tty: boolean,
    readonly pipeStdin: boolean,
    readonly sandboxType: SandboxType,
  ) {}

  takeSeq(): number {
    return this.nextSeq++;
  }

  /** Retains a chunk; returns the seqs evicted to stay under both caps. */
  retain(chunk: RetainedChunk, bytesMax: number, chunksMax: number): number[] {
    this.output.push(chunk);
    this.retainedBytes += chunk.chunk.length;
    const evicted: number[] = [];
    let drop = 0;
    while (drop < this.output.length && (this.retainedBytes > bytesMax || this.output.length - drop > chunksMax)) {
      const gone = this.output[drop] as RetainedChunk;
      this.retainedBytes -= gone.chunk.length;
      evicted.push(gone.seq);
      drop++;
    }
    if (drop > 0) this.output = this.output.slice(drop);
    return evicted;
  }

  /** The retained text, for the denial classifier. */
  retainedText(): string {
    let s = '';
    for (const c of this.output) s += Buffer.from(c.chunk).toString('utf8');
    return s;
  }

  /**
   * The read snapshot. Chunks with seq > afterSeq, oldest first, stopping before a chunk that
   * would pass maxBytes (the first is always included) or once the total reaches it. No gap
   * indication when afterSeq is older than the oldest retained chunk. `onOldRule` is told when
   * the old nextSeq rule gives another answer than the new one.
   */
  snapshot(afterSeq: number, maxBytes: number | null, oldNextSeq: boolean, onOldRule?: () => void): ReadResult {
    const limit = maxBytes ?? Number.MAX_SAFE_INTEGER;
    const chunks: WireChunk[] = [];
    let total = 0;
    let lastSeq = 0;
    for (const c of this.output) {
      if (c.seq <= afterSeq) continue;
      if (chunks.length > 0 && total + c.chunk.length > limit) break;
      total += c.chunk.length;
      chunks.push({ seq: c.seq, stream: c.stream, chunk: toBase64(c.chunk) });
      lastSeq = c.seq;
      if (total >= limit) break;
    }
    // New rule: last returned + 1 only when maxBytes was given; the old rule whenever chunks came back.
    const lastPlusOne = chunks.length > 0 && (maxBytes !== null || oldNextSeq);
    if (oldNextSeq && maxBytes === null && lastPlusOne && lastSeq + 1 !== this.nextSeq) onOldRule?.();
    return {
      chunks,
      nextSeq: lastPlusOne ? lastSeq + 1 : this.nextSeq,
      exited: this.exitCode !== null,
      exitCode: this.exitCode,
      closed: this.closed,
      failure: null,
      sandboxDenied: this.sandboxDenied,
    };
  }

  /** Remembers an accepted writeId; false when it was seen before (a retried write). */
  rememberWrite(writeId: string): boolean {
    if (this.writeIdSet.has(writeId)) return false;
    this.writeIds.push(writeId);
    this.writeIdSet.add(writeId);
    if (this.writeIds.length > WRITE_ID_MEMORY) this.writeIdSet.delete(this.writeIds.shift() as string);
    return true;
  }

  wakeReaders(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
