/**
 * Aligns what a caller delivered with what the process produced, byte by byte, in linear time.
 *
 * Deliveries that carry their produced offset (codex seq numbers, byte cursors) are placed
 * directly, after checking their content. The rest are aligned by content: a delivered run is
 * followed along the produced stream for as long as it matches; on a mismatch the aligner
 * resynchronizes on the longest match among the places where the next 8 delivered bytes occur
 * (a lazily built index), preferring never-delivered bytes, then the nearest place. That
 * follows the ways output really goes wrong: a replay from the backlog head (a jump back), a
 * gap (a jump forward), chunks swapped. With unique content (the tape workloads) the alignment
 * is exact; with very repetitive content it may attribute a duplicate to a different but equal
 * byte, which changes which offsets are named, not how many.
 */
import type { DeliveredChunk } from './history.ts';

/** A delivered run mapped onto produced offsets; `p` is -1 for bytes that match nothing. */
export interface Segment {
  /** Index of the delivery (chunk) it came from. */
  delivery: number;
  /** Produced offset, or -1. */
  p: number;
  len: number;
}

const K = 8;
const MAX_CANDIDATES = 32;

export function align(produced: Uint8Array, deliveries: readonly DeliveredChunk[]): Segment[] {
  const segments: Segment[] = [];
  const P = produced;
  /** Produced bytes matched so far, for the tie-break in `better`. */
  const seen = new Uint8Array(P.length);
  let index: Map<number, number[]> | undefined;
  let cur = 0;

  const push = (delivery: number, p: number, len: number): void => {
    segments.push({ delivery, p, len });
    if (p >= 0) seen.fill(1, p, p + len);
  };

  const buildIndex = (): Map<number, number[]> => {
    const m = new Map<number, number[]>();
    for (let i = 0; i + K <= P.length; i++) {
      const h = hash(P, i, K);
      const list = m.get(h);
      if (list) list.push(i);
      else m.set(h, [i]);
    }
    return m;
  };

  const matchLen = (D: Uint8Array, j: number, p: number): number => {
    let n = 0;
    while (j + n < D.length && p + n < P.length && D[j + n] === P[p + n]) n++;
    return n;
  };

  const candidates = (D: Uint8Array, j: number): number[] => {
    const k = Math.min(K, D.length - j, P.length);
    if (k === K) {
      index ??= buildIndex();
      const list = index.get(hash(D, j, K)) ?? [];
      if (list.length <= MAX_CANDIDATES) return list;
      // the nearest to the cursor, on both sides
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as number) < cur) lo = mid + 1;
        else hi = mid;
      }
      const half = MAX_CANDIDATES / 2;
      return list.slice(Math.max(0, lo - half), lo + half);
    }
    // a short tail: scan for it (happens at most once per delivery tail)
    const out: number[] = [];
    for (let p = 0; p + k <= P.length && out.length < MAX_CANDIDATES * 4; p++) if (matchLen(D, j, p) >= k) out.push(p);
    return out;
  };

  deliveries.forEach((chunk, di) => {
    const D = chunk.data;
    if (chunk.offset !== undefined) {
      // Positioned: place it, but only where the content agrees.
      let j = 0;
      while (j < D.length) {
        const p = chunk.offset + j;
        const n = p < P.length ? matchLen(D, j, p) : 0;
        if (n > 0) {
          push(di, p, n);
          j += n;
        } else {
          push(di, -1, 1);
          j++;
        }
      }
      cur = Math.min(P.length, chunk.offset + D.length);
      return;
    }
    let j = 0;
    while (j < D.length) {
      // Continue where the last run ended when that matches for a full window (the usual case);
      // a shorter coincidental match there must not beat a longer one elsewhere.
      const cont = cur < P.length ? matchLen(D, j, cur) : 0;
      if (cont > 0 && cont >= Math.min(K, D.length - j)) {
        push(di, cur, cont);
        j += cont;
        cur += cont;
        continue;
      }
      let best = cont > 0 ? cur : -1;
      let bestLen = cont;
      for (const p of candidates(D, j)) {
        const n = matchLen(D, j, p);
        if (n > bestLen || (n === bestLen && n > 0 && better(p, best, cur, seen))) {
          best = p;
          bestLen = n;
        }
      }
      if (best < 0) {
        push(di, -1, 1);
        j++;
        continue;
      }
      push(di, best, bestLen);
      j += bestLen;
      cur = best + bestLen;
    }
  });
  return segments;
}

/** Tie-break between two equally long matches: never-delivered first, then nearest the cursor. */
function better(p: number, best: number, cur: number, seen: Uint8Array): boolean {
  if (best < 0) return true;
  const fresh = seen[p] === 0;
  const bestFresh = seen[best] === 0;
  if (fresh !== bestFresh) return fresh;
  return Math.abs(p - cur) < Math.abs(best - cur);
}

function hash(a: Uint8Array, at: number, k: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + k; i++) {
    h ^= a[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function concat(chunks: readonly { data: Uint8Array }[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.data.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c.data, at);
    at += c.data.length;
  }
  return out;
}
