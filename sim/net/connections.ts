/**
 * Connections as fault targets name them, shared by the simulated network, real mode's loopback
 * network and the real fault proxy, so all three number, match and cut connections the same way:
 * - numbering: the n-th connection from a to b is `a->b#n` (see address.ts for targets);
 * - matching: a target picks the live connections it names;
 * - frame-triggered cuts (`cut` with `afterFrames`): from the moment the fault fires, the first
 *   matching connection to carry `afterFrames` more data frames in `dir` is cut right after the
 *   last of them; a connection opened later counts from its open. One-shot; healing disarms it.
 */
import type { FaultToken } from '../kernel.ts';
import { matchesTarget, type Endpoints } from './address.ts';

export type Dir = 'c2s' | 's2c';

/** What the table needs of a connection. */
export interface Carrier {
  readonly id: string;
  readonly ep: Endpoints;
}

/** Per pair, the next ordinal: 1, 2, 3... */
export class Ordinals {
  private readonly next = new Map<string, number>();
  take(pairKey: string): number {
    const n = (this.next.get(pairKey) ?? 0) + 1;
    this.next.set(pairKey, n);
    return n;
  }
}

export interface FrameCut {
  target: string;
  frames: number;
  dir: Dir;
  /** Frames each connection had carried in `dir` when the cut was armed. */
  baseline: Map<string, number>;
  /** The fault that armed it: the connection it cuts is its effect. */
  fault?: FaultToken | undefined;
}

export class ConnectionTable<C extends Carrier> {
  private readonly conns = new Map<string, C>();
  private readonly ordinals = new Ordinals();
  private readonly carried = new Map<string, Record<Dir, number>>();
  private cuts: FrameCut[] = [];

  /** `isLive`: whether a fault can still reach the connection. */
  constructor(private readonly isLive: (c: C) => boolean) {}

  /** The id and endpoints of the next WebSocket connection from `from` to `to`. */
  number(from: string, to: string): { id: string; ep: Endpoints } {
    const pair = `${from}->${to}`;
    const ordinal = this.ordinals.take(pair);
    return { id: `${pair}#${ordinal}`, ep: { from, to, ordinal } };
  }

  add(c: C): void {
    this.conns.set(c.id, c);
  }

  get(id: string): C | undefined {
    return this.conns.get(id);
  }

  all(): C[] {
    return [...this.conns.values()];
  }

  /** The live connections a fault target names, in open order. */
  matching(target: string): C[] {
    return this.all().filter((c) => this.isLive(c) && matchesTarget(target, c.ep));
  }

  /** Arms a frame-triggered cut (see the module comment). */
  cutAfterFrames(target: string, frames: number, dir: Dir, fault?: FaultToken): void {
    const baseline = new Map<string, number>();
    for (const c of this.matching(target)) baseline.set(c.id, this.count(c.id)[dir]);
    this.cuts.push({ target, frames, dir, baseline, fault });
  }

  /** Counts one data frame carried on `c` in `dir`; returns the armed cut it completes, now spent. */
  carry(c: C, dir: Dir): FrameCut | undefined {
    const count = this.count(c.id);
    const n = ++count[dir];
    const i = this.cuts.findIndex((k) => k.dir === dir && matchesTarget(k.target, c.ep) && n - (k.baseline.get(c.id) ?? 0) >= k.frames);
    if (i < 0) return undefined;
    return this.cuts.splice(i, 1)[0];
  }

  /** Healing ends every armed cut that has not fired. */
  heal(): void {
    this.cuts = [];
  }

  /** Data frames `id` has carried each way so far. */
  count(id: string): Record<Dir, number> {
    let c = this.carried.get(id);
    if (!c) this.carried.set(id, (c = { c2s: 0, s2c: 0 }));
    return c;
  }
}
