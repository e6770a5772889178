/**
 * The `attach-cut` fault: a proxy in the client's path (an API proxy or load balancer, as in the
 * PR #627 E2E test) forwards a given number of server frames of an attach connection, then drops
 * both halves. It wraps the client's Net port, so the client code is unchanged; the drop itself is
 * the kernel's `cut` on that one connection, and frames arriving meanwhile are swallowed, so the
 * client sees exactly `afterFrames` frames, then 1006. Targets match as the kernel's do.
 *
 * It is not the kernel's `cut` with `afterFrames`: it counts the frames the client was handed
 * since the connection opened (so 0 means right after the 101), swallows the rest, and drops
 * the connection through a scheduled `cut`; the kernel counts frames from the moment the fault
 * fires and cuts at delivery. Rebinding attach-cut to the kernel's moves 10 of the corpus's trace
 * hashes and changes the verdicts of the #627 field-bug scenarios, so it stays a target kind.
 *
 * It also records every attach connection's URL and the head of each server frame that reached
 * it (before any cut swallows it), for the wire-level checks (`cursor-frames`): what the runner
 * sent, whatever the client then does with it.
 */
import type {
  ConnectOptions,
  HttpRequest,
  HttpResponse,
  Net,
  Server,
  ServerHandler,
  WsSocket,
  WsSocketEvents,
} from '../../../sim/ports/index.ts';
import type { FaultEffectHandle, World } from '../../../sim/index.ts';
import { endpointsOf, matchesTarget } from '../../../sim/net/address.ts';

/** One server frame as it reached the proxy: text whole, binary as its first 9 bytes and length. */
export type WireFrame = { t: number; text: string } | { t: number; head: Uint8Array; length: number };

export interface WireConnection {
  id: string;
  url: string;
  frames: WireFrame[];
}

interface Arm {
  target: string;
  afterFrames: number;
  /** The attach-cut fault: its effect is the connection its cut drops. */
  fault: FaultEffectHandle | undefined;
}

export class AttachProxy {
  private arms: Arm[] = [];
  readonly wire: WireConnection[] = [];

  constructor(private readonly world: World) {}

  /** Arms a one-shot cut for the next matching connection past `afterFrames` frames. */
  arm(target: string, afterFrames: number, fault?: FaultEffectHandle): void {
    this.arms.push({ target, afterFrames, fault });
  }

  now(): number {
    return this.world.now();
  }

  heal(): void {
    this.arms = [];
  }

  wrap(inner: Net): Net {
    return new ProxiedNet(inner, this);
  }

  /** A connection the client opened: recorded, and its server frames passed through `forward`. */
  opened(socket: WsSocket, url: string): WsSocket {
    const conn: WireConnection = { id: socket.id, url, frames: [] };
    this.wire.push(conn);
    return new ProxiedSocket(socket, this, conn);
  }

  /** Called for each server frame: true lets it through, false swallows it (the cut is on). */
  forward(socket: ProxiedSocket): boolean {
    if (socket.cutting) return false;
    const i = this.arms.length === 0 ? -1 : this.armFor(socket);
    if (i < 0) {
      socket.frames++;
      return true;
    }
    const [arm] = this.arms.splice(i, 1) as [Arm];
    socket.cutting = true;
    this.world.record('faults', 'attach-cut.fire', { socket: socket.id, afterFrames: arm.afterFrames, forwarded: socket.frames });
    // the cut is the attach-cut's: its effect (the connection dropped) is the fault's only one
    const cut = () => this.world.schedule([{ at: this.world.now(), kind: 'cut', target: socket.id }]);
    if (arm.fault) arm.fault.within(cut);
    else cut();
    return false;
  }

  /** The first arm this socket's next frame trips, or -1. */
  private armFor(socket: ProxiedSocket): number {
    const ends = endpointsOf(socket.id);
    return this.arms.findIndex((a) => matchesTarget(a.target, ends) && socket.frames >= a.afterFrames);
  }
}

/** The client's Net port behind the proxy (a class: its methods are made once, not per run). */
class ProxiedNet implements Net {
  constructor(
    private readonly inner: Net,
    private readonly proxy: AttachProxy,
  ) {}

  async connect(url: string, options?: ConnectOptions): Promise<WsSocket> {
    return this.proxy.opened(await this.inner.connect(url, options), url);
  }
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.inner.request(req);
  }
  listen(port: number, handler: ServerHandler): Promise<Server> {
    return this.inner.listen(port, handler);
  }
}

class ProxiedSocket implements WsSocket {
  frames = 0;
  cutting = false;
  private readonly listeners: Array<WsSocketEvents['message']> = [];

  constructor(
    private readonly inner: WsSocket,
    proxy: AttachProxy,
    conn: WireConnection,
  ) {
    inner.on('message', (data, isBinary) => {
      const t = proxy.now();
      if (!isBinary || typeof data === 'string')
        conn.frames.push({ t, text: typeof data === 'string' ? data : Buffer.from(data).toString() });
      else conn.frames.push({ t, head: data.slice(0, 9), length: data.length });
      if (!proxy.forward(this)) return;
      const ls = this.listeners;
      // a copy, so a listener that comes or goes meanwhile does not change who gets this frame
      if (ls.length === 1) (ls[0] as WsSocketEvents['message'])(data, isBinary);
      else for (const fn of [...ls]) fn(data, isBinary);
    });
  }

  get id(): string {
    return this.inner.id;
  }
  get readyState() {
    return this.inner.readyState;
  }
  send(data: Parameters<WsSocket['send']>[0]): boolean {
    return this.inner.send(data);
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    if (event === 'message') this.listeners.push(listener as WsSocketEvents['message']);
    else this.inner.on(event, listener);
    return this;
  }
  off<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    if (event === 'message') {
      const i = this.listeners.indexOf(listener as WsSocketEvents['message']);
      if (i >= 0) this.listeners.splice(i, 1);
    } else this.inner.off(event, listener);
    return this;
  }
}
