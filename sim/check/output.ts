/**
 * Output accounting, per stream, modelled on Jepsen's `set-full`: every byte the process produced
 * is classified delivered, lost, duplicated or out of order, with the virtual time it was
 * produced and delivered. Linear in the bytes produced plus delivered.
 *
 * A byte counts as lost when it was never delivered and the caller either claimed completion
 * after it was produced (a terminal exit result) or delivered a later byte (skipped it). Lost
 * bytes are excused when the caller was told explicitly: a gap or error notice for the stream,
 * a failure result, or an exit result carrying an error. Deliveries after the caller's terminal
 * result do not count (the user had its answer).
 */
import { align, type Segment } from './align.ts';
import type { DeliveredChunk, Observed, ProducedChunk, Truth } from './history.ts';
import { fail, pass, type Checker, type CheckResult, type Evidence } from './result.ts';

export interface ByteRange {
  /** Produced offsets [start, end). */
  start: number;
  end: number;
  /** When the first byte of the range was produced. */
  producedAt: number;
  /** When it was (first, or for duplicates again) delivered. */
  deliveredAt?: number;
}

export interface StreamAccount {
  stream: string;
  producedBytes: number;
  deliveredBytes: number;
  /** Produced bytes delivered exactly once, in order. */
  okBytes: number;
  lost: ByteRange[];
  duplicated: ByteRange[];
  outOfOrder: ByteRange[];
  /** Delivered bytes that match nothing produced (corrupt or invented). */
  unknownBytes: number;
  /** Deliveries after the terminal result, ignored. */
  lateBytes: number;
  /** Lost bytes the caller was told about. */
  announced: boolean;
}

export interface OutputInput {
  truth: Pick<Truth, 'streams'>;
  observed: Observed;
}

/** The first terminal result (an exit or a failure; a `running` answer is not terminal). */
export function terminalResult(observed: Observed) {
  return observed.results.find((r) => r.outcome.kind !== 'running');
}

export function accountStream(
  stream: string,
  produced: readonly ProducedChunk[],
  delivered: readonly DeliveredChunk[],
  opts: { resultAt?: number; claimsCompletion?: boolean; announced?: boolean } = {},
): StreamAccount {
  const cutoff = opts.resultAt ?? Infinity;
  let late = false;
  for (const d of delivered) if (!(d.t <= cutoff)) late = true;
  const inTime = late ? delivered.filter((d) => d.t <= cutoff) : delivered;
  const lateBytes = late ? delivered.filter((d) => d.t > cutoff).reduce((n, d) => n + d.data.length, 0) : 0;
  const P = joined(produced);
  const producedAt = timeIndex(produced);
  const segments = align(P, inTime);
  const counted = inOrder(segments, P.length) ?? overlapping(segments, inTime, P.length, producedAt);
  const lost: ByteRange[] = [];
  const { highest } = counted;
  // every byte delivered at least once, then the never-delivered ones one by one
  let okBytes = P.length;
  counted.forEachMissing((o) => {
    okBytes--;
    const pAt = producedAt(o);
    const claimed = opts.claimsCompletion === true && pAt <= cutoff;
    if (o < highest || claimed) addByte(lost, o, pAt, undefined);
  });
  okBytes -= sumRanges(counted.ooo);
  let deliveredBytes = 0;
  for (const d of inTime) deliveredBytes += d.data.length;
  return {
    stream,
    producedBytes: P.length,
    deliveredBytes,
    okBytes,
    lost,
    duplicated: counted.dup,
    outOfOrder: counted.ooo,
    unknownBytes: counted.unknownBytes,
    lateBytes,
    announced: opts.announced ?? false,
  };
}

/**
 * The produced stream as one array, only ever read: one chunk is its own stream, several are
 * copied into pooled memory (a run's few hundred bytes need no buffer of their own).
 */
function joined(chunks: readonly ProducedChunk[]): Uint8Array {
  if (chunks.length === 1) return (chunks[0] as ProducedChunk).data;
  let n = 0;
  for (const c of chunks) n += c.data.length;
  const out = Buffer.allocUnsafe(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c.data, at);
    at += c.data.length;
  }
  return out;
}

/** How a stream's delivered segments fall on its produced bytes. */
interface Counted {
  dup: ByteRange[];
  ooo: ByteRange[];
  unknownBytes: number;
  /** The highest produced offset delivered in order (-1: none). */
  highest: number;
  /** Calls `fn` with every produced offset never delivered, ascending. */
  forEachMissing(fn: (o: number) => void): void;
}

/**
 * The usual case: every matched segment lies past all before it (nothing delivered twice or out
 * of order), so the delivered bytes are the segments themselves; undefined otherwise.
 */
function inOrder(segments: readonly Segment[], length: number): Counted | undefined {
  let unknownBytes = 0;
  let highest = -1;
  for (const s of segments) {
    if (s.p < 0) unknownBytes += s.len;
    else if (s.p > highest) highest = s.p + s.len - 1;
    else return undefined;
  }
  return {
    dup: [],
    ooo: [],
    unknownBytes,
    highest,
    forEachMissing(fn) {
      let o = 0;
      for (const s of segments) {
        if (s.p < 0) continue;
        for (const end = Math.min(s.p, length); o < end; o++) fn(o);
        o = Math.max(o, s.p + s.len);
      }
      for (; o < length; o++) fn(o);
    },
  };
}

/** Any segments: byte by byte over what was seen. */
function overlapping(
  segments: readonly Segment[],
  inTime: readonly DeliveredChunk[],
  length: number,
  producedAt: (offset: number) => number,
): Counted {
  const seen = new Uint8Array(length);
  const dup: ByteRange[] = [];
  const ooo: ByteRange[] = [];
  let unknownBytes = 0;
  let highest = -1;
  for (const s of segments) {
    const t = (inTime[s.delivery] as DeliveredChunk).t;
    if (s.p < 0) {
      unknownBytes += s.len;
      continue;
    }
    const end = s.p + s.len;
    // bytes past the highest delivered and none delivered before: all in order
    if (s.p > highest && seen.subarray(s.p, end).indexOf(1) < 0) {
      seen.fill(1, s.p, end);
      highest = end - 1;
      continue;
    }
    for (let o = s.p; o < end; o++) {
      if (seen[o] === 1) addByte(dup, o, producedAt(o), t);
      else {
        seen[o] = 1;
        if (o < highest) addByte(ooo, o, producedAt(o), t);
        else highest = o;
      }
    }
  }
  return {
    dup,
    ooo,
    unknownBytes,
    highest,
    // native scans between the never-delivered bytes
    forEachMissing(fn) {
      for (let o = seen.indexOf(0); o >= 0; o = seen.indexOf(0, o + 1)) fn(o);
    },
  };
}

/**
 * Every output checker of a run accounts the same bytes, one after the other: keep the last
 * result, for its (observed, truth) pair. Histories are not changed once a run is over, so
 * identity is a safe key; one slot (not a map by run) keeps nothing of earlier runs alive.
 */
let last: { observed: Observed; streams: object; accounts: StreamAccount[] } | undefined;

export function accountOutput(input: OutputInput): StreamAccount[] {
  const streams = input.truth.streams;
  if (last !== undefined && last.observed === input.observed && last.streams === streams) return last.accounts;
  const accounts = computeAccounts(input);
  last = { observed: input.observed, streams, accounts };
  return accounts;
}

function computeAccounts(input: OutputInput): StreamAccount[] {
  const { truth, observed } = input;
  const result = terminalResult(observed);
  const resultAt = result?.t;
  const claimsCompletion = result?.outcome.kind === 'exit';
  const explicitFailure =
    result !== undefined && (result.outcome.kind === 'failure' || (result.outcome.kind === 'exit' && result.outcome.error !== undefined));
  const names = [...new Set([...Object.keys(truth.streams), ...Object.keys(observed.streams)])].sort();
  const out: StreamAccount[] = [];
  for (const stream of names) {
    const announced = explicitFailure || observed.notices.some((n) => n.stream === undefined || n.stream === stream);
    const opts = resultAt !== undefined ? { resultAt, claimsCompletion, announced } : { claimsCompletion, announced };
    out.push(accountStream(stream, truth.streams[stream] ?? [], observed.streams[stream] ?? [], opts));
  }
  return out;
}

const MAX_EVIDENCE = 24;

function evidence(kind: string, accounts: StreamAccount[], pick: (a: StreamAccount) => ByteRange[]): Evidence[] {
  const out: Evidence[] = [];
  for (const a of accounts) {
    for (const r of pick(a)) {
      if (out.length >= MAX_EVIDENCE) return out;
      out.push({
        t: r.producedAt,
        ...(r.deliveredAt !== undefined ? { tEnd: r.deliveredAt } : {}),
        stream: a.stream,
        bytes: [r.start, r.end],
        note: `${bytes(r.end - r.start)} of ${a.stream} ${kind} (${formatRanges([r])})`,
      });
    }
  }
  return out;
}

function counts(accounts: StreamAccount[]): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (const a of accounts) {
    d[a.stream] = {
      produced: a.producedBytes,
      delivered: a.deliveredBytes,
      ok: a.okBytes,
      lost: sumRanges(a.lost),
      duplicated: sumRanges(a.duplicated),
      outOfOrder: sumRanges(a.outOfOrder),
      unknown: a.unknownBytes,
      late: a.lateBytes,
    };
  }
  return d;
}

function phrase(accounts: StreamAccount[], pick: (a: StreamAccount) => ByteRange[]): string {
  return accounts
    .filter((a) => pick(a).length > 0)
    .map((a) => `${bytes(sumRanges(pick(a)))} of ${a.stream} (${formatRanges(pick(a))})`)
    .join(', ');
}

/** `no-lost-output`: nothing produced is missing unless the caller was told. */
export const noLostOutput: Checker<OutputInput> = (input) => {
  const accounts = accountOutput(input);
  const silent = accounts.filter((a) => a.lost.length > 0 && !a.announced);
  if (silent.length === 0) {
    const announced = accounts.filter((a) => a.lost.length > 0);
    return pass(
      announced.length > 0
        ? `output lost but announced to the caller: ${phrase(announced, (a) => a.lost)}`
        : 'every produced byte was delivered',
      counts(accounts),
    );
  }
  return fail(
    `lost silently: ${phrase(silent, (a) => a.lost)}`,
    evidence('lost', silent, (a) => a.lost),
    counts(accounts),
  );
};

/** `no-duplicate-output`: no produced byte is delivered twice. */
export const noDuplicateOutput: Checker<OutputInput> = (input) => {
  const accounts = accountOutput(input);
  const bad = accounts.filter((a) => a.duplicated.length > 0);
  if (bad.length === 0) return pass('no byte was delivered twice', counts(accounts));
  return fail(
    `delivered twice: ${phrase(bad, (a) => a.duplicated)}`,
    evidence('duplicated', bad, (a) => a.duplicated),
    counts(accounts),
  );
};

/** `ordered-output`: bytes of a stream are first delivered in the order they were produced. */
export const orderedOutput: Checker<OutputInput> = (input) => {
  const accounts = accountOutput(input);
  const bad = accounts.filter((a) => a.outOfOrder.length > 0);
  const corrupt = accounts.filter((a) => a.unknownBytes > 0);
  if (bad.length === 0 && corrupt.length === 0) return pass('every stream was delivered in order', counts(accounts));
  const parts: string[] = [];
  if (bad.length > 0) parts.push(`out of order: ${phrase(bad, (a) => a.outOfOrder)}`);
  for (const a of corrupt) parts.push(`${bytes(a.unknownBytes)} delivered on ${a.stream} match nothing produced`);
  return fail(
    parts.join('; '),
    evidence('out of order', bad, (a) => a.outOfOrder),
    counts(accounts),
  );
};

/** Byte offset -> production time, by binary search over chunk starts. */
function timeIndex(chunks: readonly ProducedChunk[]): (offset: number) => number {
  const starts: number[] = [];
  let at = 0;
  for (const c of chunks) {
    starts.push(at);
    at += c.data.length;
  }
  return (o) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return (chunks[lo] as ProducedChunk).t;
  };
}

function addByte(list: ByteRange[], o: number, producedAt: number, deliveredAt: number | undefined): void {
  const last = list[list.length - 1];
  if (last && last.end === o && last.deliveredAt === deliveredAt) {
    last.end = o + 1;
    return;
  }
  list.push(deliveredAt === undefined ? { start: o, end: o + 1, producedAt } : { start: o, end: o + 1, producedAt, deliveredAt });
}

/** `1 byte`, `12 bytes`. */
export function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

export function sumRanges(rs: readonly ByteRange[]): number {
  let n = 0;
  for (const r of rs) n += r.end - r.start;
  return n;
}

/** `0-4, 9-12` (inclusive offsets), at most a few ranges then `…`. */
export function formatRanges(rs: readonly ByteRange[], max = 4): string {
  const shown = rs.slice(0, max).map((r) => (r.end - r.start === 1 ? `${r.start}` : `${r.start}-${r.end - 1}`));
  return `offsets ${shown.join(', ')}${rs.length > max ? `, … (${rs.length} ranges)` : ''}`;
}

export type { CheckResult };
