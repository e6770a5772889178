/**
 * Run-twice-and-compare: the built-in check that a world is deterministic. On a mismatch it
 * names the first event where the two traces part.
 */
import { eventLine, type TraceEvent } from './trace.ts';

export interface Divergence {
  /** Index of the first differing event. */
  index: number;
  first: string | undefined;
  second: string | undefined;
}

export function firstDivergence(a: readonly TraceEvent[], b: readonly TraceEvent[]): Divergence | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ? eventLine(a[i] as TraceEvent) : undefined;
    const y = b[i] ? eventLine(b[i] as TraceEvent) : undefined;
    if (x !== y) return { index: i, first: x, second: y };
  }
  return undefined;
}
