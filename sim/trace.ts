/**
 * The world's history: every event with its virtual time, actor, kind and data, in the order it
 * happened. Serialization is canonical (sorted keys, one JSON object a line), so one seed gives
 * one byte-identical NDJSON and one sha256 in any process.
 */
import { createHash } from 'node:crypto';

export interface TraceEvent {
  /** Virtual ms since the world's start. */
  t: number;
  /** Who acted: a host name, or `net`, `fs`, `proc`, `faults`, `sched`, `world`. */
  actor: string;
  kind: string;
  data?: Record<string, unknown>;
}

export class Trace {
  readonly events: TraceEvent[] = [];

  record(t: number, actor: string, kind: string, data?: Record<string, unknown>): void {
    this.events.push(data === undefined ? { t, actor, kind } : { t, actor, kind, data });
  }

  toNdjson(): string {
    let out = '';
    for (const e of this.events) out += eventLine(e) + '\n';
    return out;
  }

  hash(): string {
    return traceHash(this.events);
  }
}

export function traceHash(events: readonly TraceEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(eventLine(e) + '\n');
  return h.digest('hex');
}

/** One trace line: `t`, `actor`, `kind` first (readable), then the canonical data. */
export function eventLine(e: TraceEvent): string {
  const head = `{"t":${e.t},"actor":${JSON.stringify(e.actor)},"kind":${JSON.stringify(e.kind)}`;
  return e.data === undefined ? head + '}' : `${head},"data":${canonicalJson(e.data)}}`;
}

/** JSON with object keys sorted at every level; undefined members are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) s += (i ? ',' : '') + canonicalJson(value[i]);
    return s + ']';
  }
  if (value instanceof Uint8Array) return JSON.stringify(`<${value.length} bytes>`);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function') continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
    first = false;
  }
  return s + '}';
}

/** `t=12.345s`, the way every trace and timeline prints virtual time. */
export function formatTime(ms: number): string {
  return `t=${(ms / 1000).toFixed(3)}s`;
}

/** A short, printable preview of frame or file content for traces. */
export function preview(data: string | Uint8Array, max = 48): string {
  // a binary frame is read only as far as the preview needs (latin1: one char per byte)
  const text =
    typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, max + 1)).toString('latin1');
  const clipped = text.length > max ? text.slice(0, max) + '…' : text;
  // escape only what would break a line: control characters
  // eslint-disable-next-line no-control-regex
  return clipped.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
