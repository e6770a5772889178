/**
 * Frames to messages and back. One JSON message per WebSocket frame; text or binary frames are
 * both accepted (spec §1.1). Encoding writes keys in the order the real binary uses: `id` then
 * `result`/`error` for responses, `method` then `params` for notifications and requests.
 */
import { StacklessError } from '../../../sim/ports/index.ts';
import type { RequestId, RpcError, RpcMessage } from './wire.ts';

export class DecodeError extends StacklessError {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

function isId(v: unknown): v is RequestId {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string';
}

/**
 * A frame an observer of the same delivery has parsed already: the wire record of a simulated
 * run (target/wireTap.ts) sees each frame the client receives just before the client does, and
 * lends its parse, so the client's decode of that frame does not parse it a second time (issue
 * 17). One frame at a time, taken once; nothing reads or changes a parsed frame's values in place.
 */
let lentData: string | Uint8Array | undefined;
let lentValue: unknown;

export function lendParsed(data: string | Uint8Array, value: unknown): void {
  lentData = data;
  lentValue = value;
}

/** Parses one frame; a batch (JSON array) yields several messages. Throws DecodeError. */
export function decodeFrame(data: string | Uint8Array): RpcMessage[] {
  let value: unknown;
  if (data === lentData) {
    value = lentValue;
    lentData = lentValue = undefined;
  } else {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      throw new DecodeError(`frame is not JSON: ${text.slice(0, 60)}`);
    }
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map(decodeOne);
}

function decodeOne(v: unknown): RpcMessage {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DecodeError('message is not an object');
  const m = v as Record<string, unknown>;
  if (typeof m.method === 'string') {
    // A malformed `trace` is ignored, not fatal (rpc.rs).
    if ('id' in m && m.id !== undefined && m.id !== null) {
      if (!isId(m.id)) throw new DecodeError('request id must be an integer or a string');
      return { kind: 'request', id: m.id, method: m.method, params: m.params };
    }
    return { kind: 'notification', method: m.method, params: m.params };
  }
  if ('error' in m) {
    const e = m.error as Record<string, unknown> | null;
    if (!e || typeof e.code !== 'number' || typeof e.message !== 'string') throw new DecodeError('malformed error object');
    const error: RpcError = { code: e.code, message: e.message };
    if (e.data !== undefined) error.data = e.data;
    return { kind: 'error', id: isId(m.id) ? m.id : null, error };
  }
  if ('result' in m && isId(m.id)) return { kind: 'response', id: m.id, result: m.result };
  throw new DecodeError('message is neither a request, a notification nor a response');
}

export function encodeRequest(id: RequestId, method: string, params: unknown): string {
  return JSON.stringify({ id, method, params });
}

export function encodeNotification(method: string, params: unknown): string {
  return JSON.stringify({ method, params });
}

export function encodeResult(id: RequestId, result: unknown): string {
  return JSON.stringify({ id, result });
}

export function encodeError(id: RequestId | null, error: RpcError): string {
  return JSON.stringify({ id, error });
}
