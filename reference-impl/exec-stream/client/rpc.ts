/**
 * The client's JSON-RPC connection over one WebSocket: requests by id, notifications handed to
 * a callback in arrival order, and every pending request rejected with a transport-closed error
 * (code -32000, "JSON-RPC transport closed") when the socket goes (client.rs, #18027: fail fast).
 */
import { StacklessError } from '../../../sim/ports/index.ts';
import type { WsSocket } from '../../../sim/ports/index.ts';
import { DecodeError, decodeFrame, encodeNotification, encodeRequest } from '../protocol/codec.ts';
import { TRANSPORT_CLOSED, TRANSPORT_CLOSED_MESSAGE, type RequestId } from '../protocol/wire.ts';

/** An error response from the server, or the transport going away. */
export class RpcCallError extends StacklessError {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }

  get transportClosed(): boolean {
    return this.code === TRANSPORT_CLOSED && this.message === TRANSPORT_CLOSED_MESSAGE;
  }
}

export function transportClosed(): RpcCallError {
  return new RpcCallError(TRANSPORT_CLOSED, TRANSPORT_CLOSED_MESSAGE);
}

export class RpcConnection {
  private nextId = 1;
  private readonly pending = new Map<RequestId, { resolve: (v: unknown) => void; reject: (e: RpcCallError) => void }>();
  private closed = false;

  constructor(
    private readonly socket: WsSocket,
    private readonly onNotification: (method: string, params: unknown) => void,
    private readonly onClose: () => void,
  ) {
    socket.on('message', (data) => this.receive(data));
    socket.on('close', () => this.lost());
  }

  get open(): boolean {
    return !this.closed;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    if (this.closed) return Promise.reject(transportClosed());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (!this.socket.send(encodeRequest(id, method, params))) {
        // A refused send means the socket is no longer open: the transport is gone now, even if
        // its close event is still to come. Say so at once (client.rs: the writer task has
        // ended), or a caller that retries on transport loss spins without ever yielding.
        this.pending.delete(id);
        this.lost();
        reject(transportClosed());
      }
    });
  }

  notify(method: string, params: unknown): void {
    if (!this.closed) this.socket.send(encodeNotification(method, params));
  }

  close(): void {
    this.socket.close(1000, 'client closing');
    this.lost();
  }

  private receive(data: string | Uint8Array): void {
    let messages;
    try {
      messages = decodeFrame(data);
    } catch (e) {
      if (e instanceof DecodeError) return; // a malformed frame is dropped
      throw e;
    }
    for (const m of messages) {
      if (m.kind === 'notification') this.onNotification(m.method, m.params);
      else if (m.kind === 'response' || m.kind === 'error') {
        if (m.id === null) continue;
        const p = this.pending.get(m.id);
        if (!p) continue;
        this.pending.delete(m.id);
        if (m.kind === 'response') p.resolve(m.result);
        else p.reject(new RpcCallError(m.error.code, m.error.message));
      }
    }
  }

  private lost(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(transportClosed());
    this.onClose();
  }
}
