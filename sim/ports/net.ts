import { StacklessError } from './errors.ts';

/**
 * Net port: WebSocket-like duplex connections and HTTP-like request/response, shaped after
 * `ws` and `fetch`. The simulated network and the real adapters (sim/real/) both implement it.
 */

/** A frame: text frames are strings, binary frames are byte arrays. */
export type WsData = string | Uint8Array;

/** `ws` readyState values. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;

export interface WsSocketEvents {
  message: (data: WsData, isBinary: boolean) => void;
  close: (code: number, reason: string) => void;
}

export interface WsSocket {
  /** Stable name for traces, e.g. `client->server#2`. */
  readonly id: string;
  readonly readyState: ReadyState;
  /** Queues a frame. Returns false (and sends nothing) unless the socket is OPEN. */
  send(data: WsData): boolean;
  /** Starts the closing handshake. 1006 is never sent; it is what an abnormal loss reports. */
  close(code?: number, reason?: string): void;
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this;
  off<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this;
}

/** Why a connect or request failed. `status` is set for an HTTP refusal (the upgrade got 502). */
export type NetErrorCode = 'ECONNREFUSED' | 'ETIMEDOUT' | 'UNEXPECTED_RESPONSE' | 'ECONNRESET';

export class NetError extends StacklessError {
  readonly code: NetErrorCode;
  readonly status: number | undefined;
  constructor(code: NetErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'NetError';
    this.code = code;
    this.status = status;
  }
}

export function isNetError(e: unknown): e is NetError {
  return e instanceof Error && (e as { name?: string }).name === 'NetError';
}

export interface ConnectOptions {
  /** Fails with ETIMEDOUT when the upgrade has not completed in time (default 30 000 ms). */
  timeoutMs?: number;
}

export interface HttpRequest {
  method: string;
  /** Absolute URL, e.g. `http://runner:8080/executions/abc`. */
  url: string;
  /** JSON body; it is serialized on the wire, so the server gets a copy. */
  body?: unknown;
  /** Fails with ETIMEDOUT when no response arrives in time (default 30 000 ms). */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
}

export interface UpgradeRequest {
  path: string;
  /** The connecting host's name, for logs. */
  from: string;
}

export interface IncomingRequest {
  method: string;
  path: string;
  body?: unknown;
  from: string;
}

export interface ServerHandler {
  /** Return an HTTP status to refuse the upgrade (409, 404...), or undefined to accept. */
  upgrade?(req: UpgradeRequest): number | undefined;
  connection?(socket: WsSocket, req: UpgradeRequest): void;
  request?(req: IncomingRequest): HttpResponse | Promise<HttpResponse>;
}

export interface Server {
  /** Base URL without scheme-specific path, e.g. `ws://server:4000`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Net {
  connect(url: string, options?: ConnectOptions): Promise<WsSocket>;
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Listens on this host. Port 0 picks a free port. */
  listen(port: number, handler: ServerHandler): Promise<Server>;
}
