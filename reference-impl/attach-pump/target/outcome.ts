/**
 * What a run observed (the user's side of the `Execution` handle, recorded as the pump hands it
 * over) and what was true (the process table's own record of the command, never the pump's view).
 */
import type { DeliveredChunk, Notice, Observed, ProducedChunk, ReportedResult, Truth } from '../../../sim/check/index.ts';
import type { World } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import type { ExecResult, ExecSink } from '../client/pump.ts';
import type { StreamName } from '../wire.ts';
import { unrecoverableBecause } from './recoverability.ts';
import { SPEC_STREAMS } from './spec.ts';
import type { AttachWorkload } from './workload.ts';

export class ObservedLog implements ExecSink {
  readonly streams: Record<StreamName, DeliveredChunk[]> = { stdout: [], stderr: [] };
  readonly notices: Notice[] = [];
  readonly results: ReportedResult[] = [];

  constructor(private readonly now: () => number) {}

  output(stream: StreamName, data: Uint8Array, offset?: number): void {
    this.streams[stream].push(offset === undefined ? { t: this.now(), data } : { t: this.now(), data, offset });
  }

  notice(kind: 'gap' | 'error', stream: StreamName | undefined, message: string): void {
    this.notices.push(stream === undefined ? { t: this.now(), kind, message } : { t: this.now(), kind, stream, message });
  }

  result(r: ExecResult): void {
    const outcome =
      r.errorMessage === undefined
        ? { kind: 'exit' as const, code: r.exitCode }
        : { kind: 'exit' as const, code: r.exitCode, error: r.errorMessage };
    this.results.push({ t: this.now(), outcome });
  }

  observed(): Observed {
    return { streams: this.streams, notices: this.notices, results: this.results };
  }
}

/** The command's ground truth from the process table (the runner names it `cmd`); `answeredAt`: when the user got the result. */
export function truthOf(world: World, scenario: Scenario<AttachWorkload>, runEndedAt: number, answeredAt?: number): Truth {
  const rec = world.proc.records.find((p) => p.name === 'cmd');
  const streams: Record<string, ProducedChunk[]> = {};
  for (const s of SPEC_STREAMS) streams[s] = [];
  for (const o of rec?.output ?? []) (streams[o.stream] as ProducedChunk[]).push({ t: o.t, data: o.data });
  const why = unrecoverableBecause(scenario, rec !== undefined, rec?.exit?.t, answeredAt);
  const truth: Truth = {
    streams,
    outcome: rec?.exit
      ? { kind: 'exit', code: rec.exit.status.code, signal: rec.exit.status.signal, denied: false, t: rec.exit.t }
      : { kind: 'running' },
    recoverable: why.length === 0,
    unrecoverableBecause: why,
    runEndedAt,
  };
  if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) truth.healedAt = scenario.healAtMs;
  return truth;
}
