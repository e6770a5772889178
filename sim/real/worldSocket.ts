/**
 * One end of a real-mode connection: a real loopback socket whose events become world tasks in
 * its host's lane, with the kernel's faults that act per frame (half-open, lag, frame-triggered
 * cuts) applied on the way.
 */
import type { Endpoints } from '../net/address.ts';
import type { Dir } from '../net/connections.ts';
import type { WsData, WsSocket, WsSocketEvents } from '../ports/net.ts';

export interface WorldConn {
  id: string;
  ep: Endpoints;
  ends: WorldSocket[];
  /** Half-open or cut: nothing more is delivered. */
  blackhole: boolean;
}

/** What a socket needs from its network. */
export interface SocketNet {
  /** Virtual ms per real ms. */
  readonly scale: number;
  record(kind: string, data: Record<string, unknown>): void;
  /** Runs `fn` as a world task now, in `host`'s lane. */
  task(host: string, label: string, fn: () => void): void;
  lagFor(ep: Endpoints): number;
  /** A data frame reached this end (after its listeners ran). */
  carried(conn: WorldConn, dir: Dir): void;
}

export class WorldSocket implements WsSocket {
  private queue: Promise<void> = Promise.resolve();
  private closing = false;
  private readonly listeners: Array<WsSocketEvents['message']> = [];

  constructor(
    readonly inner: WsSocket,
    readonly conn: WorldConn,
    readonly host: string,
    /** Which end: frames reaching the client travel s2c. */
    readonly side: 'client' | 'server',
    private readonly net: SocketNet,
  ) {
    inner.on('message', (d, b) => {
      if (conn.blackhole) return;
      net.task(host, 'deliver', () => {
        if (conn.blackhole) return; // cut or half-open meanwhile
        for (const fn of [...this.listeners]) fn(d, b);
        net.carried(conn, side === 'client' ? 's2c' : 'c2s');
      });
    });
  }

  get id(): string {
    return this.conn.id;
  }

  get readyState() {
    return this.closing && this.inner.readyState === 1 ? 2 : this.inner.readyState;
  }

  send(data: WsData): boolean {
    if (this.readyState !== 1) return false;
    if (this.conn.blackhole) {
      this.net.record('net.vanish', { id: this.conn.id });
      return true;
    }
    const extra = this.net.lagFor(this.conn.ep);
    if (extra > 0) this.queue = this.queue.then(() => new Promise<void>((r) => setTimeout(r, extra / this.net.scale)));
    this.queue = this.queue.then(() => void this.inner.send(data));
    return true;
  }

  /** After the frames sent before it (a lagged send is still queued): a close never overtakes them. */
  close(code?: number, reason?: string): void {
    this.closing = true;
    this.queue = this.queue.then(() => this.inner.close(code, reason));
  }

  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    if (event === 'message') this.listeners.push(listener as WsSocketEvents['message']);
    else {
      const fn = listener as WsSocketEvents['close'];
      this.inner.on('close', (c, r) => this.net.task(this.host, 'close', () => fn(c, r)));
    }
    return this;
  }

  off(): this {
    throw new Error('real mode: off() is not supported');
  }
}
