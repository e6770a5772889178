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

  /** Places where the next bytes (up to `limit`, the end of their delivery) occur in P. */
  const candidates = (D: Uint8Array, j: number, limit: number): number[] => {
    const k = Math.min(K, limit - j, P.length);
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
    // a short tail: scan for it (happens at most once per run of deliveries)
    const out: number[] = [];
    for (let p = 0; p + k <= P.length && out.length < MAX_CANDIDATES * 4; p++) if (matchLen(D, j, p) >= k) out.push(p);
    return out;
  };

  let i = 0;
  while (i < deliveries.length) {
    const chunk = deliveries[i] as DeliveredChunk;
    if (chunk.offset !== undefined) {
      // Positioned: place it, but only where the content agrees.
      const D = chunk.data;
      let j = 0;
      while (j < D.length) {
        const p = chunk.offset + j;
        const n = p < P.length ? matchLen(D, j, p) : 0;
        if (n > 0) {
          push(i, p, n);
          j += n;
        } else {
          push(i, -1, 1);
          j++;
        }
      }
      cur = Math.min(P.length, chunk.offset + D.length);
      i++;
      continue;
    }
    // A run of unpositioned deliveries is aligned as one stream: a match may continue across
    // delivery boundaries, so a short delivery is judged with what follows it (a one-byte replay
    // followed by the rest of the output is a duplicate, not a byte from far away).
    const first = i;
    while (i < deliveries.length && (deliveries[i] as DeliveredChunk).offset === undefined) i++;
    const group = deliveries.slice(first, i);
    const D = concat(group);
    const bounds: number[] = [];
    let acc = 0;
    for (const g of group) bounds.push((acc += g.data.length));
    let gi = 0;
    const pushRun = (j: number, p: number, len: number): void => {
      while (len > 0) {
        while ((bounds[gi] as number) <= j) gi++;
        const n = Math.min(len, (bounds[gi] as number) - j);
        push(first + gi, p, n);
        j += n;
        len -= n;
        if (p >= 0) p += n;
      }
    };
    let j = 0;
    while (j < D.length) {
      // Decide at most up to the end of the current delivery; judge each choice by how far it
      // matches the stream that follows (lookahead across deliveries).
      while ((bounds[gi] as number) <= j) gi++;
      const limit = bounds[gi] as number;
      // Continue where the last run ended when that matches for a full window (the usual case);
      // a shorter coincidental match there must not beat a longer one elsewhere.
      const cont = cur < P.length ? matchLen(D, j, cur) : 0;
      let best = cont > 0 ? cur : -1;
      let bestLen = cont;
      if (!(cont > 0 && cont >= Math.min(K, D.length - j))) {
        for (const p of candidates(D, j, limit)) {
          const n = matchLen(D, j, p);
          if (n > bestLen || (n === bestLen && n > 0 && better(p, best, cur, seen))) {
            best = p;
            bestLen = n;
          }
        }
      }
      if (best < 0) {
        pushRun(j, -1, 1);
        j++;
        continue;
      }
      const n = Math.min(bestLen, limit - j);
      pushRun(j, best, n);
      j += n;
      cur = best + n;
    }
  }
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
