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
/**
 * How far past the current delivery a choice looks ahead. Matching to the end of the stream at
 * every delivery made the alignment quadratic (10,000 writes of 1.6 KiB took minutes); two
 * places that both match this far past the delivery are told apart by the tie-break instead.
 */
const LOOKAHEAD = 4096;

export function align(produced: Uint8Array, deliveries: readonly DeliveredChunk[]): Segment[] {
  return alignInOrder(produced, deliveries) ?? alignAny(produced, deliveries);
}

/**
 * The usual case, in one pass with no state but the cursor: positioned deliveries placed where
 * they say, and every unpositioned one exactly the bytes at the cursor. A positioned delivery
 * never depends on what came before, and an unpositioned one that matches at the cursor is
 * followed there by `alignAny` too (a full-window match is never searched past), so both give
 * the same segments; undefined as soon as an unpositioned delivery does not match there.
 */
function alignInOrder(P: Uint8Array, deliveries: readonly DeliveredChunk[]): Segment[] | undefined {
  const segments: Segment[] = [];
  let cur = 0;
  for (let i = 0; i < deliveries.length; i++) {
    const d = deliveries[i] as DeliveredChunk;
    const D = d.data;
    if (d.offset !== undefined) {
      placePositioned(P, d, i, segments);
      cur = Math.min(P.length, d.offset + D.length);
    } else if (D.length > 0) {
      // (a cursor a bad offset left off the stream matches nothing there)
      if (!(Number.isInteger(cur) && cur >= 0 && cur + D.length <= P.length)) return undefined;
      if (Buffer.compare(D, P.subarray(cur, cur + D.length)) !== 0) return undefined;
      segments.push({ delivery: i, p: cur, len: D.length });
      cur += D.length;
    }
  }
  return segments;
}

/** Any deliveries: unpositioned runs followed by content, resynchronising on a mismatch. */
function alignAny(produced: Uint8Array, deliveries: readonly DeliveredChunk[]): Segment[] {
  const segments: Segment[] = [];
  const P = produced;
  /** Produced bytes matched so far, for the tie-break in `better`. */
  const seen = new Uint8Array(P.length);
  let index: PlaceIndex | undefined;
  let cur = 0;

  const push = (delivery: number, p: number, len: number): void => {
    segments.push({ delivery, p, len });
    if (p >= 0) seen.fill(1, p, p + len);
  };

  /** How many bytes of D from j match P from p (at most `max`). */
  const matchLen = (D: Uint8Array, j: number, p: number, max = Infinity): number => matchAt(P, D, j, p, max);

  /** Places where the next bytes (up to `limit`, the end of their delivery) occur in P. */
  const candidates = (D: Uint8Array, j: number, limit: number): number[] => {
    const k = Math.min(K, limit - j, P.length);
    if (k === K) {
      index ??= buildIndex(P);
      const list = index.places(D, j, (p) => matchLen(D, j, p, K) === K, cur);
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
      const from = segments.length;
      placePositioned(P, chunk, i, segments);
      for (let x = from; x < segments.length; x++) {
        const s = segments[x] as Segment;
        if (s.p >= 0) seen.fill(1, s.p, s.p + s.len);
      }
      cur = Math.min(P.length, chunk.offset + chunk.data.length);
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
      const reach = Math.max(K, limit - j) + LOOKAHEAD;
      const cont = cur < P.length ? matchLen(D, j, cur, reach) : 0;
      let best = cont > 0 ? cur : -1;
      let bestLen = cont;
      if (!(cont > 0 && cont >= Math.min(K, D.length - j))) {
        for (const p of candidates(D, j, limit)) {
          const n = matchLen(D, j, p, reach);
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

/** How many bytes of D from j match P from p (at most `max`). */
function matchAt(P: Uint8Array, D: Uint8Array, j: number, p: number, max: number): number {
  let n = 0;
  while (n < max && j + n < D.length && p + n < P.length && D[j + n] === P[p + n]) n++;
  return n;
}

/** A delivery that carries its produced offset: placed there, but only where the content agrees. */
function placePositioned(P: Uint8Array, chunk: DeliveredChunk, i: number, segments: Segment[]): void {
  const D = chunk.data;
  const offset = chunk.offset as number;
  // the usual case: the whole chunk is what was produced there (one native comparison); only for
  // a whole offset, as subarray truncates one (the byte-by-byte loop places no byte at 0.5)
  if (
    D.length > 0 &&
    Number.isInteger(offset) &&
    offset >= 0 &&
    offset + D.length <= P.length &&
    Buffer.compare(D, P.subarray(offset, offset + D.length)) === 0
  ) {
    segments.push({ delivery: i, p: offset, len: D.length });
    return;
  }
  let j = 0;
  while (j < D.length) {
    const p = offset + j;
    const n = p < P.length ? matchAt(P, D, j, p, Infinity) : 0;
    if (n > 0) {
      segments.push({ delivery: i, p, len: n });
      j += n;
    } else {
      segments.push({ delivery: i, p: -1, len: 1 });
      j++;
    }
  }
}

/** Tie-break between two equally long matches: never-delivered first, then nearest the cursor. */
function better(p: number, best: number, cur: number, seen: Uint8Array): boolean {
  if (best < 0) return true;
  const fresh = seen[p] === 0;
  const bestFresh = seen[best] === 0;
  if (fresh !== bestFresh) return fresh;
  return Math.abs(p - cur) < Math.abs(best - cur);
}

/**
 * Every place of P by the hash of the K bytes there, in typed arrays (a Map of arrays took
 * seconds and hundreds of MB for a few MB of output): the places of one bucket lie in
 * `order[start[b]..start[b + 1])`, in ascending order.
 */
interface PlaceIndex {
  /** The places whose K bytes equal D's at j (`equal` checks), ascending; in a crowded bucket, those nearest `near`. */
  places(D: Uint8Array, j: number, equal: (p: number) => boolean, near: number): number[];
}

function buildIndex(P: Uint8Array): PlaceIndex {
  const m = Math.max(0, P.length - K + 1);
  let bits = 1;
  while (1 << bits < m && bits < 24) bits++;
  const mask = (1 << bits) - 1;
  const start = new Int32Array(mask + 2);
  for (let i = 0; i < m; i++) (start[(hash(P, i, K) & mask) + 1] as number)++;
  for (let b = 0; b <= mask; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const fill = start.slice(0, mask + 1);
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const b = hash(P, i, K) & mask;
    order[fill[b] as number] = i;
    fill[b] = (fill[b] as number) + 1;
  }
  return {
    places(D, j, equal, near) {
      const b = hash(D, j, K) & mask;
      const lo = start[b] as number;
      const hi = start[b + 1] as number;
      const out: number[] = [];
      if (hi - lo <= 4 * MAX_CANDIDATES) {
        for (let x = lo; x < hi; x++) if (equal(order[x] as number)) out.push(order[x] as number);
        return out;
      }
      // crowded (repetitive output): the nearest equal places on each side of `near`
      let a = lo;
      let z = hi;
      while (a < z) {
        const mid = (a + z) >> 1;
        if ((order[mid] as number) < near) a = mid + 1;
        else z = mid;
      }
      const half = MAX_CANDIDATES / 2;
      const before: number[] = [];
      for (let x = a - 1; x >= lo && before.length < half; x--) if (equal(order[x] as number)) before.push(order[x] as number);
      for (let x = a; x < hi && out.length < half; x++) if (equal(order[x] as number)) out.push(order[x] as number);
      return [...before.reverse(), ...out];
    },
  };
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
