/**
 * What exec-stream's checkers see beyond the generic history: the seqs the consumer applied and
 * the gaps it announced (observed), and the server's own record of the process's seqs (truth:
 * the daemon's facts).
 */
import type { Observed, Truth } from '../../../sim/check/index.ts';
import type { CheckInput } from '../../../sim/target.ts';
import type { LedgerSeq } from '../server/ledger.ts';
import type { Frame } from './wireCheckers.ts';
import type { ExecWorkload } from './workload.ts';

export interface ExecObserved extends Observed {
  /** Every output the consumer delivered, by seq, in delivery order. */
  deliveries: Array<{ t: number; seq: number }>;
  /** Gaps the consumer announced: output after `afterSeq` through `throughSeq` is missing. */
  gaps: Array<{ t: number; afterSeq: number; throughSeq: number }>;
  /** Every frame the client sent and received, whole: kept by real runs (a simulated run keeps its `wire` record in the history). */
  frames?: readonly Frame[];
}

export interface ExecTruth extends Truth {
  processId: string;
  /** The server's seqs for the process, in assignment order. */
  seqs: LedgerSeq[];
}

export type ExecCheckInput = CheckInput<ExecWorkload, ExecObserved, ExecTruth>;
