/**
 * Coverage from the trace, for the guided explorer: a run's features are the kinds of events each
 * actor recorded and each actor's consecutive pairs of kinds, each with its count rounded to a
 * power of two (AFL's hit-count buckets). A run with a feature no earlier run had is kept in the
 * corpus, and its instants (when each kind of event happened) become the times a mutation aims
 * its faults at. Nothing here knows a protocol: the names are the target's own event kinds.
 */
import type { TraceEvent } from '../trace.ts';

/** Scheduler picks carry no protocol state, and their number follows the run's length. */
const IGNORED = new Set(['sched', 'world']);

/** Up to 64: beyond it a count says how long the run was, not what it did (and rewarding it grows runs without end). */
const bucket = (n: number): number => (n <= 3 ? n : Math.min(64, 1 << (31 - Math.clz32(n))));

export function featuresOf(events: readonly TraceEvent[]): string[] {
  const counts = new Map<string, number>();
  const prev = new Map<string, string>();
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const e of events) {
    if (IGNORED.has(e.actor)) continue;
    bump(`${e.actor}:${e.kind}`);
    const p = prev.get(e.actor);
    bump(`${e.actor}:${p ?? '^'}>${e.kind}`);
    prev.set(e.actor, e.kind);
  }
  const out: string[] = [];
  for (const [k, n] of counts) out.push(`${k}#${bucket(n)}`);
  return out;
}

/** When each kind of event happened (distinct times, at most `cap` per kind, first ones first). */
export function instantsOf(events: readonly TraceEvent[], cap = 32): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (IGNORED.has(e.actor)) continue;
    const k = `${e.actor}:${e.kind}`;
    let ts = out.get(k);
    if (!ts) out.set(k, (ts = []));
    if (ts.length < cap && ts[ts.length - 1] !== e.t) ts.push(e.t);
  }
  return out;
}
