/**
 * The exec-server wire format (spec §1): JSON-RPC shapes in the "Codex dialect" (no `jsonrpc`
 * field), camelCase keys, base64 byte chunks. These types are what goes on the wire; key order
 * in the builders below follows what the real 0.169 binary sends (codex-exec-server-observed.md),
 * so a frame from this server and one from the binary compare equal as text.
 */

export type RequestId = number | string;

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcMessage =
  | { kind: 'request'; id: RequestId; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'response'; id: RequestId; result: unknown }
  | { kind: 'error'; id: RequestId | null; error: RpcError };

/** Error codes (spec §1.1). */
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** Resume while another connection holds the session: retryable during resume. */
export const SESSION_ALREADY_ATTACHED = -32010;
/** What the client reports for a dropped transport (client.rs). */
export const TRANSPORT_CLOSED = -32000;
export const TRANSPORT_CLOSED_MESSAGE = 'JSON-RPC transport closed';

export const METHOD = {
  initialize: 'initialize',
  initialized: 'initialized',
  start: 'process/start',
  read: 'process/read',
  write: 'process/write',
  signal: 'process/signal',
  terminate: 'process/terminate',
  output: 'process/output',
  exited: 'process/exited',
  closed: 'process/closed',
} as const;

export type ExecOutputStream = 'stdout' | 'stderr' | 'pty';
/** `ProcessSandboxType`; observed spelling "none", the others in the same camelCase (UNCONFIRMED). */
export type SandboxType = 'none' | 'macosSeatbelt' | 'linuxSeccomp' | 'windowsRestrictedToken';

export interface InitializeParams {
  clientName: string;
  resumeSessionId?: string | null;
}
export interface InitializeResult {
  sessionId: string;
  environmentInfo?: Record<string, unknown>;
}

export interface StartParams {
  processId: string;
  argv: string[];
  /** A `file://` URI (the 0.169 binary refuses a bare path with -32602). */
  cwd: string;
  env: Record<string, string>;
  tty: boolean;
  pipeStdin?: boolean;
  arg0: string | null;
}
export interface StartResult {
  processId: string;
  sandboxType?: SandboxType;
}

export interface ReadParams {
  processId: string;
  afterSeq?: number | null;
  maxBytes?: number | null;
  waitMs?: number | null;
}

export interface WireChunk {
  seq: number;
  stream: ExecOutputStream;
  /** Standard base64 with padding. */
  chunk: string;
}

export interface ReadResult {
  chunks: WireChunk[];
  nextSeq: number;
  exited: boolean;
  exitCode: number | null;
  closed: boolean;
  failure: string | null;
  /** Added by #29424; absent from older servers (read as false). */
  sandboxDenied?: boolean;
}

export interface WriteParams {
  processId: string;
  chunk: string;
  writeId: string;
}
export type WriteStatus = 'accepted' | 'unknownProcess' | 'stdinClosed' | 'starting';

export interface OutputNotification {
  processId: string;
  seq: number;
  stream: ExecOutputStream;
  chunk: string;
}
export interface ExitedNotification {
  processId: string;
  seq: number;
  exitCode: number;
  /** #30273: true/false from new servers, null = unknown, absent from legacy servers. */
  sandboxDenied?: boolean | null;
}
export interface ClosedNotification {
  processId: string;
  seq: number;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
