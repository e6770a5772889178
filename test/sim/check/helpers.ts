import type { DeliveredChunk, Observed, ProducedChunk, ReportedOutcome, Truth } from '../../../sim/check/index.ts';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export function produced(...chunks: Array<[number, string]>): ProducedChunk[] {
  return chunks.map(([t, s]) => ({ t, data: enc(s) }));
}

export function delivered(...chunks: Array<[number, string] | [number, string, number]>): DeliveredChunk[] {
  return chunks.map(([t, s, offset]) => (offset === undefined ? { t, data: enc(s) } : { t, data: enc(s), offset }));
}

export function truth(streams: Record<string, ProducedChunk[]>, extra: Partial<Truth> = {}): Truth {
  return {
    streams,
    outcome: { kind: 'exit', code: 0, signal: null, denied: false, t: 10 },
    recoverable: true,
    unrecoverableBecause: [],
    runEndedAt: 1_000,
    ...extra,
  };
}

export function observed(
  streams: Record<string, DeliveredChunk[]>,
  result?: [number, ReportedOutcome],
  extra: Partial<Observed> = {},
): Observed {
  return { streams, notices: [], results: result ? [{ t: result[0], outcome: result[1] }] : [], ...extra };
}

export const EXIT0: ReportedOutcome = { kind: 'exit', code: 0 };
