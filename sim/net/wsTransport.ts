/**
 * Simulated WebSocket connections once upgraded: frames per direction (FIFO, latency from the
 * `net` stream), the close handshake, abnormal loss, and the faults that act on live connections
 * (cut, frame-triggered cut, half-open, proxy close).
 */
import { CLOSED, CLOSING, CONNECTING, NetError, OPEN, type WsData } from '../ports/net.ts';
import { preview } from '../trace.ts';
import type { Endpoints } from './address.ts';
import { ConnectionTable, type Dir } from './connections.ts';
import type { SimNetEnv } from './simNetwork.ts';
import type { SimSocket, SocketOwner } from './socket.ts';

type Frame =
  | { type: 'open'; n: number }
  | { type: 'data'; n: number; data: WsData; isBinary: boolean }
  | { type: 'close'; n: number; code: number; reason: string; proxy: boolean };

class Pipe {
  queue: Frame[] = [];
  lastAt = 0;
  count = 0;
  /** The scheduler lane of this direction's deliveries (`net:<id>:<dir>`). */
  constructor(readonly lane: string) {}
}

export class Connection {
  readonly c2s: Pipe;
  readonly s2c: Pipe;
  lost = false;
  /** Half-open: every frame vanishes, for good. */
  blackhole = false;
  /** A proxy closed it: nothing more gets through. */
  sealed = false;
  constructor(
    readonly id: string,
    readonly ep: Endpoints,
    readonly client: SimSocket,
    readonly server: SimSocket,
    /** The dialer's: the open frame arrived, or the connection was lost during the upgrade. */
    readonly onOpen: () => void,
    readonly onAbort: (err: NetError) => void,
  ) {
    this.c2s = new Pipe(`net:${id}:c2s`);
    this.s2c = new Pipe(`net:${id}:s2c`);
  }
}

export class WsTransport implements SocketOwner {
  readonly table = new ConnectionTable<Connection>((c) => !c.lost);

  constructor(private readonly env: SimNetEnv) {}

  /** Registers an upgraded connection and sends its `open` frame to the client. */
  open(c: Connection): void {
    this.table.add(c);
    this.transmit(c, 's2c', { type: 'open', n: ++c.s2c.count });
  }

  // ---- faults ------------------------------------------------------------------------------

  cut(target: string): void {
    const hit = this.table.matching(target);
    this.env.kernel.faultEffect(this.env.kernel.applying, hit.map((c) => c.id));
    for (const c of hit) this.lose(c, 'net.cut');
  }

  halfOpen(target: string, closeAfterMs: number | undefined): void {
    const k = this.env.kernel;
    for (const c of this.table.matching(target)) {
      if (c.blackhole) continue;
      k.faultEffect(k.applying, c.id);
      c.blackhole = true;
      const dropped = c.c2s.queue.length + c.s2c.queue.length;
      c.c2s.queue = [];
      c.s2c.queue = [];
      k.record('net', 'net.half-open', { id: c.id, closeAfterMs: closeAfterMs ?? null, dropped });
      if (closeAfterMs !== undefined) k.at(closeAfterMs, 'net', 'half-open-timeout', () => this.lose(c, 'net.half-open-timeout'));
    }
  }

  proxyClose(target: string, code: number, reason: string): void {
    for (const c of this.table.matching(target)) {
      if (c.sealed) continue;
      this.env.kernel.faultEffect(this.env.kernel.applying, c.id);
      this.env.kernel.record('net', 'net.proxy-close', { id: c.id, code, reason });
      this.transmit(c, 's2c', { type: 'close', n: ++c.s2c.count, code, reason, proxy: true });
      this.transmit(c, 'c2s', { type: 'close', n: ++c.c2s.count, code, reason, proxy: true });
      c.sealed = true;
    }
  }

  /** Live connections (for stall reports and tests). */
  openConnections(): string[] {
    return this.table
      .all()
      .filter((c) => !c.lost && (c.client.readyState !== CLOSED || c.server.readyState !== CLOSED))
      .map((c) => c.id);
  }

  // ---- sockets -----------------------------------------------------------------------------

  send(end: SimSocket, data: WsData): boolean {
    const k = this.env.kernel;
    const conn = this.table.get(end.id);
    if (!conn || end.readyState !== OPEN) {
      k.record(end.host, 'net.send-refused', { id: end.id, state: end.readyState });
      return false;
    }
    const dir: Dir = end.side === 'client' ? 'c2s' : 's2c';
    const isBinary = typeof data !== 'string';
    const copy: WsData = isBinary ? new Uint8Array(data) : data;
    const pipe = conn[dir];
    const n = ++pipe.count;
    k.record(end.host, 'net.send', { id: end.id, dir, n, bytes: byteLength(copy), text: preview(copy) });
    this.transmit(conn, dir, { type: 'data', n, data: copy, isBinary });
    return true;
  }

  close(end: SimSocket, code: number | undefined, reason: string): void {
    const k = this.env.kernel;
    const conn = this.table.get(end.id);
    if (!conn || end.readyState === CLOSING || end.readyState === CLOSED) return;
    if (end.readyState === CONNECTING) {
      this.lose(conn, 'net.abort');
      return;
    }
    const status = code ?? 1005;
    end.readyState = CLOSING;
    k.record(end.host, 'net.close', { id: end.id, side: end.side, code: status, reason });
    const dir: Dir = end.side === 'client' ? 'c2s' : 's2c';
    this.transmit(conn, dir, { type: 'close', n: ++conn[dir].count, code: status, reason, proxy: false });
    end.closeTimer = k.at(
      this.env.options.closeTimeoutMs,
      end.host,
      'close-timeout',
      () => {
        if (end.readyState !== CLOSED) this.lose(conn, 'net.close-timeout');
      },
      false,
    );
  }

  /** Abnormal loss: both ends report 1006 now; everything in flight is dropped. */
  lose(conn: Connection, kind: string, why: Record<string, unknown> = {}): void {
    if (conn.lost) return;
    const k = this.env.kernel;
    const inFlight = conn.c2s.queue.length + conn.s2c.queue.length;
    conn.lost = true;
    conn.c2s.queue = [];
    conn.s2c.queue = [];
    k.record('net', kind, { id: conn.id, dropped: inFlight, ...why });
    if (conn.client.readyState === CONNECTING) {
      conn.client.readyState = CLOSED;
      conn.onAbort(new NetError('ECONNRESET', `connection ${conn.id} was lost during the upgrade`));
    }
    for (const end of [conn.client, conn.server]) {
      if (end.readyState === CLOSED) continue;
      end.readyState = CLOSED;
      if (end.closeTimer) k.sched.cancel(end.closeTimer);
      k.at(0, end.host, 'close-1006', () => end.events.emit('close', 1006, ''));
    }
  }

  // ---- frames ------------------------------------------------------------------------------

  private transmit(conn: Connection, dir: Dir, frame: Frame): void {
    if (conn.lost || conn.sealed) return;
    const k = this.env.kernel;
    const now = k.now();
    if (conn.blackhole) {
      k.record('net', 'net.vanish', { id: conn.id, dir, n: frame.n, frame: frame.type });
      return;
    }
    const pipe = conn[dir];
    const at = Math.max(now + this.env.delay(conn.ep), pipe.lastAt);
    pipe.lastAt = at;
    pipe.queue.push(frame);
    k.at(at - now, pipe.lane, 'deliver', () => this.deliver(conn, dir, frame));
  }

  private deliver(conn: Connection, dir: Dir, frame: Frame): void {
    const pipe = conn[dir];
    if (pipe.queue[0] !== frame) return; // dropped by a cut or a half-open
    pipe.queue.shift();
    const dest = dir === 'c2s' ? conn.server : conn.client;
    const k = this.env.kernel;
    switch (frame.type) {
      case 'open':
        dest.readyState = OPEN;
        k.record('net', 'net.open', { id: conn.id });
        conn.onOpen();
        return;
      case 'data': {
        if (dest.readyState !== OPEN && dest.readyState !== CLOSING) return;
        k.record('net', 'net.deliver', { id: conn.id, dir, n: frame.n });
        dest.events.emit('message', frame.data, frame.isBinary);
        const cut = this.table.carry(conn, dir);
        if (cut) {
          this.env.kernel.faultEffect(cut.fault, conn.id);
          this.lose(conn, 'net.cut', { afterFrames: cut.frames, dir });
        }
        return;
      }
      case 'close':
        this.receiveClose(conn, dest, dir, frame);
        return;
    }
  }

  private receiveClose(conn: Connection, dest: SimSocket, dir: Dir, frame: Frame & { type: 'close' }): void {
    const k = this.env.kernel;
    if (dest.readyState === CLOSED) return;
    if (dest.readyState === OPEN && !frame.proxy) {
      // Peer-initiated: echo the close frame, as ws does, then this end is closed.
      const back: Dir = dir === 'c2s' ? 's2c' : 'c2s';
      this.transmit(conn, back, { type: 'close', n: ++conn[back].count, code: frame.code, reason: frame.reason, proxy: false });
    }
    if (dest.closeTimer) k.sched.cancel(dest.closeTimer);
    dest.readyState = CLOSED;
    k.record('net', 'net.closed', { id: conn.id, side: dest.side, code: frame.code, reason: frame.reason });
    dest.events.emit('close', frame.code, frame.reason);
  }
}

function byteLength(d: WsData): number {
  return typeof d === 'string' ? Buffer.byteLength(d) : d.length;
}
