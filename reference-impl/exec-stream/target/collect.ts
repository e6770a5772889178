/**
 * Builds one run's history: the consumer's report becomes the observed history (output placed
 * at its stream offset through the server's seq ledger), and the truth comes from the world's
 * process record and the server's ledger.
 */
import type { DeliveredChunk, Notice, ProducedChunk, ReportedOutcome, ReportedResult, TrueOutcome } from '../../../sim/check/index.ts';
import type { Fault } from '../../../sim/index.ts';
import type { Clock, Log } from '../../../sim/ports/index.ts';
import type { World } from '../../../sim/world.ts';
import type { ConsumerOutcome, ConsumerReport } from '../consumer/report.ts';
import type { LedgerSeq, ServerLedger } from '../server/ledger.ts';
import type { ExecObserved, ExecTruth } from './history.ts';
import { PROCESS_NAME } from './processSource.ts';
import { unrecoverableBecause } from './recoverable.ts';
import { lostNotifications } from './wireFate.ts';
import { DENIAL_LINE } from './workload.ts';

export class RecordingReport implements ConsumerReport {
  readonly raw: Array<{ t: number; seq: number; stream: string; chunk: Uint8Array }> = [];
  readonly notices: Notice[] = [];
  readonly gaps: ExecObserved['gaps'] = [];
  readonly results: ReportedResult[] = [];
  onResult: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  output(seq: number, stream: string, chunk: Uint8Array): void {
    this.raw.push({ t: this.clock.now(), seq, stream, chunk });
  }

  gap(afterSeq: number, throughSeq: number, message: string): void {
    const t = this.clock.now();
    this.gaps.push({ t, afterSeq, throughSeq });
    this.notices.push({ t, kind: 'gap', message });
    this.log('consumer.gap', { afterSeq, throughSeq });
  }

  result(outcome: ConsumerOutcome): void {
    const reported: ReportedOutcome =
      outcome.kind === 'failure'
        ? { kind: 'failure', message: outcome.message }
        : { kind: 'exit', code: outcome.code, denied: outcome.denied, ...(outcome.error !== undefined ? { error: outcome.error } : {}) };
    this.results.push({ t: this.clock.now(), outcome: reported });
    this.log('consumer.result', { outcome: reported });
    this.onResult?.();
  }
}

export function observedOf(report: RecordingReport, ledger: ServerLedger, processId: string): ExecObserved {
  const streams: Record<string, DeliveredChunk[]> = {};
  // the ledger's entries of the process by seq (the first of a seq, as ledger.entry finds it)
  const bySeq = new Map<number, LedgerSeq>();
  for (const s of ledger.seqs) if (s.processId === processId && !bySeq.has(s.seq)) bySeq.set(s.seq, s);
  for (const d of report.raw) {
    const e = bySeq.get(d.seq);
    const chunk: DeliveredChunk = e?.type === 'output' ? { t: d.t, data: d.chunk, offset: e.offset } : { t: d.t, data: d.chunk };
    (streams[d.stream] ??= []).push(chunk);
  }
  return {
    streams,
    notices: report.notices,
    results: report.results,
    deliveries: report.raw.map((d) => ({ t: d.t, seq: d.seq })),
    gaps: report.gaps,
  };
}

export interface TruthInput {
  world: World;
  ledger: ServerLedger;
  processId: string;
  faults: readonly Fault[];
  eventCapacity: number;
  resultAt: number | undefined;
  runEndedAt: number;
  healedAt?: number;
  /** The server's host name in the world (whose sends the trace records). */
  serverHost: string;
}

/** The denial line's length in bytes (it is ASCII): a chunk of another length is not it, no decode needed. */
const DENIAL_BYTES = Buffer.byteLength(DENIAL_LINE);

export function truthOf(i: TruthInput): ExecTruth {
  const rec = i.world.proc.records.find((r) => r.name === PROCESS_NAME);
  const streams: Record<string, ProducedChunk[]> = {};
  for (const o of rec?.output ?? []) (streams[o.stream] ??= []).push({ t: o.t, data: o.data });
  let outcome: TrueOutcome = { kind: 'running' };
  if (rec?.exit) {
    const { code, signal } = rec.exit.status;
    // Denied: it really wrote the denial line and failed (what the process did, not what the server said).
    const wroteDenial = (rec.output ?? []).some(
      (o) => o.stream === 'stderr' && o.data.length === DENIAL_BYTES && Buffer.from(o.data).toString() === DENIAL_LINE,
    );
    outcome = { kind: 'exit', code, signal, denied: wroteDenial && code !== null && code !== 0, t: rec.exit.t };
  }
  const output = rec?.output ?? [];
  const sent = i.ledger.notifications.filter((n) => n.processId === i.processId);
  const why = unrecoverableBecause({
    faults: i.faults,
    ledger: i.ledger,
    process: {
      exitAt: rec?.exit?.t,
      closedAt: rec?.closedAt,
      outputBytes: output.reduce((n, o) => n + o.data.length, 0),
      outputWrites: output.length,
    },
    runEndedAt: i.runEndedAt,
    lost: lostNotifications(i.world.trace.events, sent, i.serverHost),
    processId: i.processId,
    resultAt: i.resultAt,
    eventCapacity: i.eventCapacity,
    latencyMsMax: i.world.options.net.latencyMsMax,
    connectTimeoutMs: i.world.options.net.connectTimeoutMs,
  });
  return {
    streams,
    outcome,
    recoverable: why.length === 0,
    unrecoverableBecause: why,
    runEndedAt: i.runEndedAt,
    ...(i.healedAt !== undefined ? { healedAt: i.healedAt } : {}),
    processId: i.processId,
    seqs: i.ledger.seqs.filter((s) => s.processId === i.processId),
  };
}
