/**
 * The simulated network. Fault model:
 * - Per connection and direction, frames are FIFO; each frame's latency is drawn from the `net`
 *   stream and never lets it overtake the frame before it. Separate connections (and every HTTP
 *   request) are independent, so a status probe can overtake a WebSocket.
 * - cut: both ends see an abnormal close (1006) at once; frames in flight are dropped.
 * - half-open: the path dies silently: frames (and those in flight) vanish in both directions
 *   and nobody is told. It never resumes (a live TCP connection would retransmit, not lose
 *   frames; a temporary stall is `lag`). With `closeAfterMs`, both ends finally see 1006, as when
 *   TCP gives up; healing does not revive it, so only the protocol's own timeouts save it.
 * - lag: frames sent in a window get extra latency (still FIFO).
 * - refuse: the next connects or requests fail: connection refused, an HTTP status on the
 *   upgrade or request (404, 409, 502, 503...), or no answer until the caller's timeout.
 * - close: a proxy in the path closes both ends with a code (1001, 1011...); later frames drop.
 * Healing ends every lag window and refusal; cuts, closes and half-open connections stay dead.
 */
import { describeError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import {
  CLOSED,
  CLOSING,
  CONNECTING,
  NetError,
  OPEN,
  type ConnectOptions,
  type HttpRequest,
  type HttpResponse,
  type Net,
  type Server,
  type ServerHandler,
  type UpgradeRequest,
  type WsData,
  type WsSocket,
} from '../ports/net.ts';
import type { Rng } from '../rng.ts';
import { preview } from '../trace.ts';
import { matchesTarget, parseUrl, type Endpoints } from './address.ts';
import { FaultRules, type RefuseRule } from './rules.ts';
import { SimSocket, type SocketOwner } from './socket.ts';

export interface NetOptions {
  /** One-way latency of each frame or request leg, drawn uniformly (ms). */
  latencyMsMin: number;
  latencyMsMax: number;
  /** Default connect (upgrade) timeout (ms), like ws `handshakeTimeout`. */
  connectTimeoutMs: number;
  /** Default HTTP request timeout (ms). */
  requestTimeoutMs: number;
  /** How long a closing end waits for the peer's close frame before giving up with 1006 (ms). */
  closeTimeoutMs: number;
}

export const DEFAULT_NET_OPTIONS: NetOptions = {
  latencyMsMin: 1,
  latencyMsMax: 10,
  connectTimeoutMs: 30_000,
  requestTimeoutMs: 30_000,
  closeTimeoutMs: 30_000,
};

type Frame =
  | { type: 'open'; n: number }
  | { type: 'data'; n: number; data: WsData; isBinary: boolean }
  | { type: 'close'; n: number; code: number; reason: string; proxy: boolean };

type Dir = 'c2s' | 's2c';

class Pipe {
  queue: Frame[] = [];
  lastAt = 0;
  count = 0;
}

class Connection {
  readonly c2s = new Pipe();
  readonly s2c = new Pipe();
  lost = false;
  /** Half-open: every frame vanishes, for good. */
  blackhole = false;
  /** A proxy closed it: nothing more gets through. */
  sealed = false;
  onOpen: (() => void) | undefined;
  onAbort: ((err: NetError) => void) | undefined;
  constructor(
    readonly id: string,
    readonly ep: Endpoints,
    readonly client: SimSocket,
    readonly server: SimSocket,
  ) {}
}

interface Listening {
  host: string;
  port: number;
  handler: ServerHandler;
}

export type { RefuseRule };

/** What the world and the kernel's fault kinds need from a network (simulated or real). */
export interface Network {
  port(host: string): Net;
  cut(target: string): void;
  halfOpen(target: string, closeAfterMs: number | undefined): void;
  lag(target: string, durationMs: number, extraMs: number): void;
  refuse(rule: RefuseRule): void;
  proxyClose(target: string, code: number, reason: string): void;
  heal(): void;
  openConnections(): string[];
}

export class SimNetwork implements SocketOwner, Network {
  private readonly servers = new Map<string, Listening>();
  private readonly conns = new Map<string, Connection>();
  private readonly ordinals = new Map<string, number>();
  private readonly nextPort = new Map<string, number>();
  private readonly rules = new FaultRules();

  constructor(
    private readonly kernel: Kernel,
    private readonly rng: Rng,
    readonly options: NetOptions,
  ) {}

  /** The Net port of one host. */
  port(host: string): Net {
    return {
      connect: (url, options) => this.connect(host, url, options),
      request: (req) => this.request(host, req),
      listen: (port, handler) => this.listen(host, port, handler),
    };
  }

  // ---- faults ------------------------------------------------------------------------------

  cut(target: string): void {
    for (const c of this.matching(target)) this.lose(c, 'net.cut');
  }

  halfOpen(target: string, closeAfterMs: number | undefined): void {
    for (const c of this.matching(target)) {
      if (c.blackhole) continue;
      c.blackhole = true;
      const dropped = c.c2s.queue.length + c.s2c.queue.length;
      c.c2s.queue = [];
      c.s2c.queue = [];
      this.kernel.record('net', 'net.half-open', { id: c.id, closeAfterMs: closeAfterMs ?? null, dropped });
      if (closeAfterMs !== undefined) this.kernel.at(closeAfterMs, 'net', 'half-open-timeout', () => this.lose(c, 'net.half-open-timeout'));
    }
  }

  lag(target: string, durationMs: number, extraMs: number): void {
    this.rules.lag(target, this.kernel.now() + durationMs, extraMs);
  }

  refuse(rule: RefuseRule): void {
    this.rules.refuse(rule);
  }

  proxyClose(target: string, code: number, reason: string): void {
    for (const c of this.matching(target)) {
      if (c.sealed) continue;
      this.kernel.record('net', 'net.proxy-close', { id: c.id, code, reason });
      this.transmit(c, 's2c', { type: 'close', n: ++c.s2c.count, code, reason, proxy: true });
      this.transmit(c, 'c2s', { type: 'close', n: ++c.c2s.count, code, reason, proxy: true });
      c.sealed = true;
    }
  }

  heal(): void {
    this.rules.heal();
  }

  /** Live connections (for stall reports and tests). */
  openConnections(): string[] {
    const out: string[] = [];
    for (const c of this.conns.values()) if (!c.lost && (c.client.readyState !== CLOSED || c.server.readyState !== CLOSED)) out.push(c.id);
    return out;
  }

  // ---- WebSocket ---------------------------------------------------------------------------

  send(end: SimSocket, data: WsData): boolean {
    const conn = this.conns.get(end.id);
    if (!conn || end.readyState !== OPEN) {
      this.kernel.record(end.host, 'net.send-refused', { id: end.id, state: end.readyState });
      return false;
    }
    const dir: Dir = end.side === 'client' ? 'c2s' : 's2c';
    const isBinary = typeof data !== 'string';
    const copy: WsData = isBinary ? new Uint8Array(data) : data;
    const pipe = conn[dir];
    const n = ++pipe.count;
    this.kernel.record(end.host, 'net.send', { id: end.id, dir, n, bytes: byteLength(copy), text: preview(copy) });
    this.transmit(conn, dir, { type: 'data', n, data: copy, isBinary });
    return true;
  }

  close(end: SimSocket, code: number | undefined, reason: string): void {
    const conn = this.conns.get(end.id);
    if (!conn || end.readyState === CLOSING || end.readyState === CLOSED) return;
    if (end.readyState === CONNECTING) {
      this.lose(conn, 'net.abort');
      return;
    }
    const status = code ?? 1005;
    end.readyState = CLOSING;
    this.kernel.record(end.host, 'net.close', { id: end.id, side: end.side, code: status, reason });
    const dir: Dir = end.side === 'client' ? 'c2s' : 's2c';
    this.transmit(conn, dir, { type: 'close', n: ++conn[dir].count, code: status, reason, proxy: false });
    end.closeTimer = this.kernel.at(
      this.options.closeTimeoutMs,
      end.host,
      'close-timeout',
      () => {
        if (end.readyState !== CLOSED) this.lose(conn, 'net.close-timeout');
      },
      false,
    );
  }

  private connect(from: string, url: string, options: ConnectOptions | undefined): Promise<WsSocket> {
    return new Promise<WsSocket>((resolve, reject) => {
      const u = parseUrl(url, 'ws');
      const pairKey = `${from}->${u.host}`;
      const ordinal = (this.ordinals.get(pairKey) ?? 0) + 1;
      this.ordinals.set(pairKey, ordinal);
      const id = `${pairKey}#${ordinal}`;
      const ep: Endpoints = { from, to: u.host, ordinal };
      const k = this.kernel;
      k.record(from, 'net.connect', { id, url });

      let settled = false;
      let conn: Connection | undefined;
      const fail = (err: NetError): void => {
        if (settled) return;
        settled = true;
        k.sched.cancel(timer);
        k.record(from, 'net.connect-failed', { id, code: err.code, status: err.status ?? null });
        reject(err);
      };
      const timeoutMs = options?.timeoutMs ?? this.options.connectTimeoutMs;
      const timer = k.at(timeoutMs, from, 'connect-timeout', () => {
        fail(new NetError('ETIMEDOUT', `connect to ${url} timed out after ${timeoutMs} ms`));
        if (conn) this.lose(conn, 'net.abort');
      });

      const rule = this.takeRefusal(ep, 'ws');
      if (rule) {
        k.record('net', 'net.refused', { id, status: rule.status ?? null, timeout: rule.timeout ?? false });
        if (rule.timeout) return;
        const status = rule.status;
        const delay = status !== undefined ? this.delay(ep) + this.delay(ep) : this.delay(ep);
        k.at(delay, from, 'connect-refused', () =>
          fail(status !== undefined ? unexpected(url, status) : new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`)),
        );
        return;
      }

      k.at(this.delay(ep), `net:${id}:c2s`, 'upgrade', () => {
        if (settled) return;
        const server = this.servers.get(`${u.host}:${u.port}`);
        if (!server) {
          k.at(this.delay(ep), from, 'connect-refused', () =>
            fail(new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`)),
          );
          return;
        }
        const req: UpgradeRequest = { path: u.path, from };
        let status: number | undefined;
        try {
          status = server.handler.upgrade?.(req);
        } catch (e) {
          k.reportError(u.host, e);
          status = 500;
        }
        if (status !== undefined) {
          k.record(u.host, 'net.upgrade-refused', { id, status });
          const s = status;
          k.at(this.delay(ep), from, 'upgrade-response', () => fail(unexpected(url, s)));
          return;
        }
        const client = new SimSocket(k, this, id, from, 'client');
        const srv = new SimSocket(k, this, id, u.host, 'server');
        srv.readyState = OPEN;
        const c = new Connection(id, ep, client, srv);
        conn = c;
        c.onOpen = () => {
          if (settled) return;
          settled = true;
          k.sched.cancel(timer);
          resolve(client);
        };
        c.onAbort = fail;
        this.conns.set(id, c);
        k.record(u.host, 'net.accept', { id, path: u.path });
        this.transmit(c, 's2c', { type: 'open', n: ++c.s2c.count });
        if (server.handler.connection) {
          const onConnection = server.handler.connection.bind(server.handler);
          k.guard(u.host, () => onConnection(srv, req));
        }
      });
    });
  }

  private transmit(conn: Connection, dir: Dir, frame: Frame): void {
    if (conn.lost || conn.sealed) return;
    const k = this.kernel;
    const now = k.now();
    if (conn.blackhole) {
      k.record('net', 'net.vanish', { id: conn.id, dir, n: frame.n, frame: frame.type });
      return;
    }
    const pipe = conn[dir];
    const at = Math.max(now + this.delay(conn.ep), pipe.lastAt);
    pipe.lastAt = at;
    pipe.queue.push(frame);
    k.at(at - now, `net:${conn.id}:${dir}`, 'deliver', () => this.deliver(conn, dir, frame));
  }

  private deliver(conn: Connection, dir: Dir, frame: Frame): void {
    const pipe = conn[dir];
    if (pipe.queue[0] !== frame) return; // dropped by a cut or a half-open
    pipe.queue.shift();
    const dest = dir === 'c2s' ? conn.server : conn.client;
    const k = this.kernel;
    switch (frame.type) {
      case 'open':
        dest.readyState = OPEN;
        k.record('net', 'net.open', { id: conn.id });
        conn.onOpen?.();
        return;
      case 'data':
        if (dest.readyState !== OPEN && dest.readyState !== CLOSING) return;
        k.record('net', 'net.deliver', { id: conn.id, dir, n: frame.n });
        dest.events.emit('message', frame.data, frame.isBinary);
        return;
      case 'close':
        this.receiveClose(conn, dest, dir, frame);
        return;
    }
  }

  private receiveClose(conn: Connection, dest: SimSocket, dir: Dir, frame: Frame & { type: 'close' }): void {
    const k = this.kernel;
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

  /** Abnormal loss: both ends report 1006 now; everything in flight is dropped. */
  private lose(conn: Connection, kind: string): void {
    if (conn.lost) return;
    const k = this.kernel;
    const inFlight = conn.c2s.queue.length + conn.s2c.queue.length;
    conn.lost = true;
    conn.c2s.queue = [];
    conn.s2c.queue = [];
    k.record('net', kind, { id: conn.id, dropped: inFlight });
    if (conn.client.readyState === CONNECTING) {
      conn.client.readyState = CLOSED;
      conn.onAbort?.(new NetError('ECONNRESET', `connection ${conn.id} was lost during the upgrade`));
    }
    for (const end of [conn.client, conn.server]) {
      if (end.readyState === CLOSED) continue;
      end.readyState = CLOSED;
      if (end.closeTimer) k.sched.cancel(end.closeTimer);
      k.at(0, end.host, 'close-1006', () => end.events.emit('close', 1006, ''));
    }
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private request(from: string, req: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const u = parseUrl(req.url, 'http');
      const pairKey = `${from}->${u.host}:http`;
      const ordinal = (this.ordinals.get(pairKey) ?? 0) + 1;
      this.ordinals.set(pairKey, ordinal);
      const id = `${pairKey}#${ordinal}`;
      const ep: Endpoints = { from, to: u.host };
      const k = this.kernel;
      const method = req.method.toUpperCase();
      k.record(from, 'net.http.request', { id, method, path: u.path });

      let settled = false;
      const settle = (r: HttpResponse | NetError): void => {
        if (settled) return;
        settled = true;
        k.sched.cancel(timer);
        if (r instanceof NetError) {
          k.record(from, 'net.http.failed', { id, code: r.code });
          reject(r);
        } else {
          k.record(from, 'net.http.response', { id, status: r.status });
          resolve(r);
        }
      };
      const timeoutMs = req.timeoutMs ?? this.options.requestTimeoutMs;
      const timer = k.at(timeoutMs, from, 'request-timeout', () =>
        settle(new NetError('ETIMEDOUT', `${method} ${req.url} timed out after ${timeoutMs} ms`)),
      );

      const rule = this.takeRefusal(ep, 'http');
      if (rule) {
        k.record('net', 'net.refused', { id, status: rule.status ?? null, timeout: rule.timeout ?? false });
        if (rule.timeout) return;
        const status = rule.status;
        if (status !== undefined) {
          k.at(this.delay(ep) + this.delay(ep), from, 'http-response', () => settle({ status, body: { error: `injected ${status}` } }));
        } else {
          k.at(this.delay(ep), from, 'http-refused', () =>
            settle(new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`)),
          );
        }
        return;
      }

      const body = req.body === undefined ? undefined : clone(req.body);
      k.at(this.delay(ep), `net:${id}:c2s`, 'http-request', async () => {
        const server = this.servers.get(`${u.host}:${u.port}`);
        if (!server) {
          k.at(this.delay(ep), from, 'http-refused', () =>
            settle(new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`)),
          );
          return;
        }
        let res: HttpResponse;
        if (!server.handler.request) {
          res = { status: 404 };
        } else {
          try {
            res = await server.handler.request({ method, path: u.path, body, from });
          } catch (e) {
            k.reportError(u.host, e);
            res = { status: 500, body: { error: describeError(e) } };
          }
        }
        const copy: HttpResponse = { status: res.status, body: res.body === undefined ? undefined : clone(res.body) };
        k.at(this.delay(ep), `net:${id}:s2c`, 'http-response', () => settle(copy));
      });
    });
  }

  private listen(host: string, port: number, handler: ServerHandler): Promise<Server> {
    let p = port;
    if (p === 0) {
      p = this.nextPort.get(host) ?? 40_000;
      while (this.servers.has(`${host}:${p}`)) p++;
      this.nextPort.set(host, p + 1);
    }
    const key = `${host}:${p}`;
    if (this.servers.has(key)) {
      const err = Object.assign(new Error(`listen EADDRINUSE ${key}`), { code: 'EADDRINUSE' });
      return Promise.reject(err);
    }
    this.servers.set(key, { host, port: p, handler });
    this.kernel.record(host, 'net.listen', { port: p });
    const server: Server = {
      url: `ws://${host}:${p}`,
      port: p,
      close: () => {
        this.servers.delete(key);
        this.kernel.record(host, 'net.unlisten', { port: p });
        return Promise.resolve();
      },
    };
    return Promise.resolve(server);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private delay(ep: Endpoints): number {
    return this.rng.int(this.options.latencyMsMin, this.options.latencyMsMax) + this.rules.extraMs(ep, this.kernel.now());
  }

  private takeRefusal(ep: Endpoints, scope: 'ws' | 'http'): RefuseRule | undefined {
    return this.rules.takeRefusal(ep, scope, this.kernel.now());
  }

  private matching(target: string): Connection[] {
    const out: Connection[] = [];
    for (const c of this.conns.values()) if (!c.lost && matchesTarget(target, c.ep)) out.push(c);
    return out;
  }
}

function unexpected(url: string, status: number): NetError {
  return new NetError('UNEXPECTED_RESPONSE', `Unexpected server response: ${status} (${url})`, status);
}

function byteLength(d: WsData): number {
  return typeof d === 'string' ? Buffer.byteLength(d) : d.length;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
