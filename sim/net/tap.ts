/**
 * A tap on a Net port: every frame of the WebSockets it opens goes to a callback, received
 * frames (`in`) before the caller's own listeners see them, sent frames (`out`) once queued.
 * Nothing else changes: the caller's code runs on the tapped port unchanged. Wire-level checks
 * record what crossed the wire with it, in a simulated world (target glue) and a real one
 * (sim/real/validate/wire.ts) alike.
 */
import type {
  ConnectOptions,
  HttpRequest,
  HttpResponse,
  Net,
  Server,
  ServerHandler,
  WsData,
  WsSocket,
  WsSocketEvents,
} from '../ports/net.ts';

export type TapDirection = 'in' | 'out';
export type Tap = (dir: TapDirection, data: WsData, socket: WsSocket) => void;

export class TappedSocket implements WsSocket {
  constructor(
    private readonly inner: WsSocket,
    private readonly tap: Tap,
  ) {
    inner.on('message', (d) => tap('in', d, inner));
  }
  get id(): string {
    return this.inner.id;
  }
  get readyState() {
    return this.inner.readyState;
  }
  send(data: WsData): boolean {
    const ok = this.inner.send(data);
    if (ok) this.tap('out', data, this.inner);
    return ok;
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    this.inner.on(event, listener);
    return this;
  }
  off<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    this.inner.off(event, listener);
    return this;
  }
}

/** A Net whose WebSockets are tapped; requests and listeners pass through untouched. */
export class TappedNet implements Net {
  constructor(
    private readonly inner: Net,
    private readonly tap: Tap,
  ) {}
  connect(url: string, options?: ConnectOptions): Promise<WsSocket> {
    // a plain `then`, not an async function: the same microtask turns, without an async frame
    // that every refused connect rethrows through
    return this.inner.connect(url, options).then((socket) => new TappedSocket(socket, this.tap));
  }
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.inner.request(req);
  }
  listen(port: number, handler: ServerHandler): Promise<Server> {
    return this.inner.listen(port, handler);
  }
}
