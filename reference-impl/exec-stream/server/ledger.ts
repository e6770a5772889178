/**
 * What the server really did, for checkers: every seq it assigned (with the stream offset of
 * each output chunk), every retained chunk it evicted, when it forgot a process or expired a
 * session. The server is the daemon of this world, so this is truth about the environment the
 * consumer ran in, never a judgement of the consumer.
 */
import type { ExecOutputStream } from '../protocol/wire.ts';

export type LedgerSeq =
  | { t: number; processId: string; seq: number; type: 'output'; stream: ExecOutputStream; offset: number; bytes: number }
  | { t: number; processId: string; seq: number; type: 'exited'; exitCode: number; sandboxDenied: boolean; watcherLost: boolean }
  | { t: number; processId: string; seq: number; type: 'closed' };

export class ServerLedger {
  readonly seqs: LedgerSeq[] = [];
  /** When the server answered process/start. */
  readonly starts: Array<{ t: number; processId: string }> = [];
  readonly evicted: Array<{ t: number; processId: string; seq: number }> = [];
  readonly forgotten: Array<{ t: number; processId: string }> = [];
  readonly expiredSessions: Array<{ t: number; sessionId: string }> = [];
  readonly notifications: Array<{ t: number; processId: string; seq: number; dropped: boolean }> = [];
  /** process/read requests failed on purpose (the `read-error` fault). */
  readonly readErrors: Array<{ t: number; processId: string }> = [];

  /** The ledger entry of one seq. */
  entry(processId: string, seq: number): LedgerSeq | undefined {
    return this.seqs.find((s) => s.processId === processId && s.seq === seq);
  }
}
