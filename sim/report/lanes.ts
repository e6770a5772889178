/**
 * Which lane of a timeline an event belongs to: one per actor. The kernel's actors get readable
 * names (network, file system, process); hosts keep theirs. Scheduler and world bookkeeping stay
 * out of the lanes; faults are drawn across every lane.
 */
import type { TraceEvent } from '../trace.ts';

export const KERNEL_LANES: Record<string, string> = { net: 'network', fs: 'file system', proc: 'process' };
const HIDDEN = new Set(['sched', 'world']);

export function laneOf(e: TraceEvent): string | undefined {
  if (HIDDEN.has(e.actor) || e.actor === 'faults') return undefined;
  return KERNEL_LANES[e.actor] ?? e.actor;
}

/** Lanes in reading order: process first, then hosts as they appear, then network and file system. */
export function lanesOf(events: readonly TraceEvent[]): string[] {
  const hosts: string[] = [];
  let proc = false;
  let net = false;
  let fs = false;
  for (const e of events) {
    const lane = laneOf(e);
    if (lane === undefined) continue;
    if (lane === 'process') proc = true;
    else if (lane === 'network') net = true;
    else if (lane === 'file system') fs = true;
    else if (!hosts.includes(lane)) hosts.push(lane);
  }
  return [...(proc ? ['process'] : []), ...hosts, ...(net ? ['network'] : []), ...(fs ? ['file system'] : [])];
}

/**
 * Numbers for people: at most 6 decimals (ns mtimes are 1e-6 ms steps), so float noise such as
 * 0.0000049999999999999996 prints as 0.000005. The canonical trace keeps the exact value.
 */
function fixed(x: number): number {
  return Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toFixed(6));
}

/** `kind k=v k=v`, short enough for one line. */
export function describeEvent(e: TraceEvent, max = 140): string {
  const parts: string[] = [e.kind];
  for (const [k, v] of Object.entries(e.data ?? {})) {
    if (v === undefined) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? fixed(x) : x));
    parts.push(`${k}=${text}`);
  }
  const s = parts.join(' ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
