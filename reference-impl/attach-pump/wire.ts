/**
 * The attach wire format (one bidirectional WebSocket; spec §2, litebox.rs `parse_control_frame`,
 * boxlite_exec_attach.go), plus the cursor extension that is our answer to boxlite #1046.
 *
 * Server → client: binary `[0x01] ++ bytes` (stdout) or `[0x02] ++ bytes` (stderr); text JSON
 * `{"type":"exit","exit_code":N}` (terminal; a missing or non-integer code reads as -1) and
 * `{"type":"error","message":"…"}` (informational). No sequence numbers, no offsets.
 *
 * Cursor extension (only on an attach that asked for it with `?stdout=N&stderr=M`): binary
 * `[0x11|0x12] ++ u64be offset ++ bytes`, and `{"type":"gap","stream","from","to"}` when a
 * cursor points at bytes the backlog no longer holds. The runner always adds `stdout_bytes` /
 * `stderr_bytes` (bytes written so far) to the exit frame and the status; clients that do not
 * know them ignore them, as serde does.
 *
 * WebSocket Ping/Pong are control frames the Net port does not model; they travel as reserved
 * text frames (a leading NUL never starts JSON), and a real adapter maps them back.
 */
import type { WsData } from '../../sim/ports/index.ts';

export type StreamName = 'stdout' | 'stderr';
export const STREAMS: readonly StreamName[] = ['stdout', 'stderr'];

/** Bytes written per stream (absolute stream lengths). */
export interface Totals {
  stdout: number;
  stderr: number;
}

const CHANNEL: Record<StreamName, number> = { stdout: 0x01, stderr: 0x02 };
const POSITIONED: Record<StreamName, number> = { stdout: 0x11, stderr: 0x12 };
const OFFSET_BYTES = 8;

export const PING = '\u0000ws:ping';
export const PONG = '\u0000ws:pong';
export const STDIN_EOF = '{"type":"stdin_eof"}';

export function outputFrame(stream: StreamName, data: Uint8Array, offset?: number): Uint8Array {
  if (offset === undefined) {
    const f = new Uint8Array(data.length + 1);
    f[0] = CHANNEL[stream];
    f.set(data, 1);
    return f;
  }
  const f = new Uint8Array(data.length + 1 + OFFSET_BYTES);
  f[0] = POSITIONED[stream];
  // u64 big-endian, as two u32 halves (a store into a Uint8Array keeps the low 8 bits)
  const hi = Math.floor(offset / 0x1_0000_0000);
  const lo = offset >>> 0;
  f[1] = hi >>> 24;
  f[2] = hi >>> 16;
  f[3] = hi >>> 8;
  f[4] = hi;
  f[5] = lo >>> 24;
  f[6] = lo >>> 16;
  f[7] = lo >>> 8;
  f[8] = lo;
  f.set(data, 1 + OFFSET_BYTES);
  return f;
}

/** The big-endian u32 of `b` at `i`. */
const u32 = (b: Uint8Array, i: number): number =>
  (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;

export function exitFrame(exitCode: number, totals: Totals): string {
  return JSON.stringify({ type: 'exit', exit_code: exitCode, stdout_bytes: totals.stdout, stderr_bytes: totals.stderr });
}

export function gapFrame(stream: StreamName, from: number, to: number): string {
  return JSON.stringify({ type: 'gap', stream, from, to });
}

export function errorFrame(message: string): string {
  return JSON.stringify({ type: 'error', message });
}

export type ServerFrame =
  | { type: 'output'; stream: StreamName; data: Uint8Array; offset?: number }
  | { type: 'exit'; exitCode: number; totals?: Totals }
  | { type: 'error'; message: string }
  | { type: 'gap'; stream: StreamName; from: number; to: number }
  | { type: 'ping' }
  /** An empty binary frame (ignored), an unknown channel prefix or text (warned, ignored). */
  | { type: 'ignored'; why: string };

export function parseServerFrame(data: WsData, isBinary: boolean): ServerFrame {
  if (!isBinary || typeof data === 'string') return parseText(typeof data === 'string' ? data : Buffer.from(data).toString());
  if (data.length === 0) return { type: 'ignored', why: 'empty frame' };
  const ch = data[0] as number;
  if (ch === CHANNEL.stdout || ch === CHANNEL.stderr)
    return { type: 'output', stream: ch === CHANNEL.stdout ? 'stdout' : 'stderr', data: data.subarray(1) };
  if ((ch === POSITIONED.stdout || ch === POSITIONED.stderr) && data.length >= 1 + OFFSET_BYTES) {
    const offset = u32(data, 1) * 0x1_0000_0000 + u32(data, 5);
    return { type: 'output', stream: ch === POSITIONED.stdout ? 'stdout' : 'stderr', data: data.subarray(1 + OFFSET_BYTES), offset };
  }
  return { type: 'ignored', why: `unknown channel prefix ${ch}` };
}

function parseText(text: string): ServerFrame {
  if (text === PING) return { type: 'ping' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { type: 'ignored', why: 'unrecognized text frame' };
  }
  const o = (v !== null && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  switch (o.type) {
    case 'exit': {
      const exitCode = Number.isInteger(o.exit_code) ? (o.exit_code as number) : -1;
      const totals = readTotals(o);
      return totals ? { type: 'exit', exitCode, totals } : { type: 'exit', exitCode };
    }
    case 'error':
      return { type: 'error', message: typeof o.message === 'string' ? o.message : 'server reported error without message' };
    case 'gap':
      if ((o.stream === 'stdout' || o.stream === 'stderr') && Number.isInteger(o.from) && Number.isInteger(o.to))
        return { type: 'gap', stream: o.stream, from: o.from as number, to: o.to as number };
      return { type: 'ignored', why: 'malformed gap frame' };
    default:
      return { type: 'ignored', why: 'unrecognized text frame' };
  }
}

/** `stdout_bytes` / `stderr_bytes` of an exit frame or a status body, when both are there. */
export function readTotals(o: Record<string, unknown>): Totals | undefined {
  if (!Number.isInteger(o.stdout_bytes) || !Number.isInteger(o.stderr_bytes)) return undefined;
  return { stdout: o.stdout_bytes as number, stderr: o.stderr_bytes as number };
}

// ---- paths ---------------------------------------------------------------------------------

export const execPath = (box: string): string => `/boxes/${box}/exec`;
export const statusPath = (box: string, id: string): string => `/boxes/${box}/executions/${id}`;

export function attachPath(box: string, id: string, cursor?: Totals): string {
  const base = `/boxes/${box}/executions/${id}/attach`;
  return cursor ? `${base}?stdout=${cursor.stdout}&stderr=${cursor.stderr}` : base;
}

export interface ParsedAttach {
  box: string;
  id: string;
  cursor?: Totals;
}

/** Parses `/boxes/{box}/executions/{id}/attach[?stdout=N&stderr=M]`; undefined if it is not one. */
export function parseAttachPath(path: string): ParsedAttach | undefined {
  const m = /^\/boxes\/([^/?]+)\/executions\/([^/?]+)\/attach(?:\?stdout=(\d+)&stderr=(\d+))?$/.exec(path);
  if (!m) return undefined;
  const out: ParsedAttach = { box: m[1] as string, id: m[2] as string };
  if (m[3] !== undefined) out.cursor = { stdout: Number(m[3]), stderr: Number(m[4]) };
  return out;
}

/** Parses `/boxes/{box}/executions/{id}`. */
export function parseStatusPath(path: string): { box: string; id: string } | undefined {
  const m = /^\/boxes\/([^/?]+)\/executions\/([^/?]+)$/.exec(path);
  return m ? { box: m[1] as string, id: m[2] as string } : undefined;
}

export function parseExecPath(path: string): { box: string } | undefined {
  const m = /^\/boxes\/([^/?]+)\/exec$/.exec(path);
  return m ? { box: m[1] as string } : undefined;
}
