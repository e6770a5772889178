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

const isControl = (c: number): boolean => c < 0x20 || c === 0x7f;
/** How a preview writes each control character: \n, \t, else \xNN. */
const CONTROL_ESCAPES: string[] = [];
for (let c = 0; c < 0x80; c++)
  if (isControl(c)) CONTROL_ESCAPES[c] = c === 0x0a ? '\\n' : c === 0x09 ? '\\t' : `\\x${c.toString(16).padStart(2, '0')}`;

/** A short, printable preview of frame or file content for traces. */
export function preview(data: string | Uint8Array, max = 48): string {
  if (typeof data !== 'string') return previewBytes(data, max);
  const clipped = data.length > max ? data.slice(0, max) + '…' : data;
  // escape only what would break a line: control characters (a scan, then a rebuild past the first)
  let i = 0;
  while (i < clipped.length && !isControl(clipped.charCodeAt(i))) i++;
  if (i === clipped.length) return clipped;
  let out = clipped.slice(0, i);
  for (; i < clipped.length; i++) {
    const c = clipped.charCodeAt(i);
    out += isControl(c) ? (CONTROL_ESCAPES[c] as string) : clipped[i];
  }
  return out;
}

/** A binary frame, read only as far as the preview needs, as latin1 (one char per byte). */
function previewBytes(data: Uint8Array, max: number): string {
  const n = Math.min(data.length, max);
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = data[i] as number;
    out += isControl(c) ? (CONTROL_ESCAPES[c] as string) : String.fromCharCode(c);
  }
  return data.length > max ? out + '…' : out;
}

