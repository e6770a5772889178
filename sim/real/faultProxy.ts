/**
 * A real WebSocket fault proxy on loopback, between a client and an executor. It forwards frames
 * both ways and applies the simulator's fault vocabulary, frame-aware: a fault fires at a time
 * or after the n-th frame in one direction. Real runs are best-effort replays (real timing is
 * not ours to fix), so the proxy records the timeline it actually produced.
 *   cut        both sockets dropped abruptly (both ends see 1006)
 *   half-open  nothing is forwarded any more, nobody is told; closeAfterMs then drops both
 *   lag        frames in the window are held extraMs longer (order kept)
 *   refuse     the next `count` connects get an HTTP status (default 502) or a reset
 *   close      both ends get a close frame with `code`
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { preview } from '../trace.ts';
import { assertLoopback } from './net.ts';
import type { RealTimeline } from './ports.ts';

export type Dir = 'c2s' | 's2c';

export interface ProxyFault {
  kind: 'cut' | 'half-open' | 'lag' | 'refuse' | 'close';
  /** Which connection (1-based, in connect order); undefined: every live one (or the next ones for refuse). */
  connection?: number;
  /** Fire at this many ms after the proxy started... */
  at?: number;
  /** ...or once this many frames went through in `dir` on the connection. */
  afterFrames?: number;
  dir?: Dir;
  durationMs?: number;
  extraMs?: number;
  closeAfterMs?: number;
  count?: number;
  status?: number;
  code?: number;
}

interface Link {
  n: number;
  client: WebSocket;
  upstream: WebSocket | undefined;
  frames: Record<Dir, number>;
  dead: boolean;
  queue: Record<Dir, Promise<void>>;
}

export class FaultProxy {
  private http: HttpServer | undefined;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly links: Link[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly pending: ProxyFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private refusals: Array<{ remaining: number; status?: number }> = [];
  private lagUntil = 0;
  private lagMs = 0;
  private connections = 0;
  port = 0;

  constructor(
    private readonly upstreamUrl: string,
    private readonly timeline: RealTimeline,
  ) {
    assertLoopback(upstreamUrl);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.http = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.http.on('upgrade', (req, socket, head) => {
      const refusal = this.refusals.find((r) => r.remaining > 0);
      if (refusal) {
        refusal.remaining--;
        this.timeline.record('proxy', 'proxy.refused', { status: refusal.status ?? null });
        if (refusal.status) socket.end(`HTTP/1.1 ${refusal.status} Injected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        else socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.link(ws, req.url ?? '/'));
    });
    await new Promise<void>((resolve) => this.http?.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Schedules faults; time-triggered ones start counting now. */
  inject(faults: readonly ProxyFault[]): void {
    for (const f of faults) {
      if (f.kind === 'refuse') {
        const fire = () => {
          this.refusals.push({ remaining: f.count ?? 1, ...(f.status !== undefined ? { status: f.status } : {}) });
          this.timeline.record('faults', 'fault', { ...f });
        };
        if (f.at) this.later(f.at, fire);
        else fire();
      } else if (f.afterFrames !== undefined) this.pending.push(f);
      else this.later(f.at ?? 0, () => this.apply(f));
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private link(client: WebSocket, path: string): void {
    const link: Link = {
      n: ++this.connections,
      client,
      upstream: undefined,
      frames: { c2s: 0, s2c: 0 },
      dead: false,
      queue: { c2s: Promise.resolve(), s2c: Promise.resolve() },
    };
    this.links.push(link);
    this.timeline.record('proxy', 'proxy.connect', { connection: link.n, path });
    const held: Array<[RawData, boolean]> = [];
    const upstream = new WebSocket(this.upstreamUrl.replace(/\/$/, '') + path, { perMessageDeflate: false });
    link.upstream = upstream;
    upstream.on('open', () => {
      for (const [d, b] of held.splice(0)) this.forward(link, 'c2s', d, b);
    });
    upstream.on('message', (d: RawData, b: boolean) => this.forward(link, 's2c', d, b));
    client.on('message', (d: RawData, b: boolean) => {
      if (upstream.readyState === WebSocket.CONNECTING) held.push([d, b]);
      else this.forward(link, 'c2s', d, b);
    });
    const closeOther = (from: 'client' | 'upstream', code: number, reason: Buffer) => {
      this.timeline.record('proxy', 'proxy.closed', { connection: link.n, by: from, code, reason: reason.toString() });
      if (link.dead) return;
      const other = from === 'client' ? upstream : client;
      if (other.readyState === WebSocket.OPEN) other.close(code === 1005 || code === 1006 ? 1000 : code, reason.toString());
      else other.terminate();
    };
    client.on('close', (c: number, r: Buffer) => closeOther('client', c, r));
    upstream.on('close', (c: number, r: Buffer) => closeOther('upstream', c, r));
    upstream.on('error', () => client.terminate());
    client.on('error', () => upstream.terminate());
  }

  private forward(link: Link, dir: Dir, data: RawData, isBinary: boolean): void {
    if (link.dead) {
      this.timeline.record('proxy', 'proxy.vanish', { connection: link.n, dir });
      return;
    }
    const n = ++link.frames[dir];
    const dest = dir === 'c2s' ? link.upstream : link.client;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    this.timeline.record('proxy', 'proxy.frame', {
      connection: link.n,
      dir,
      n,
      bytes: bytes.length,
      text: isBinary ? `<${bytes.length} bytes>` : preview(bytes.toString()),
    });
    const extra = Date.now() < this.lagUntil ? this.lagMs : 0;
    const send = () => {
      if (!link.dead && dest && dest.readyState === WebSocket.OPEN) dest.send(bytes, { binary: isBinary });
    };
    link.queue[dir] =
      extra > 0 ? link.queue[dir].then(() => new Promise<void>((r) => this.later(extra, () => (send(), r())))) : link.queue[dir].then(send);
    for (const f of [...this.pending]) {
      if ((f.connection === undefined || f.connection === link.n) && (f.dir ?? 's2c') === dir && f.afterFrames === n) {
        this.pending.splice(this.pending.indexOf(f), 1);
        void link.queue[dir].then(() => this.apply({ ...f, connection: link.n }));
      }
    }
  }

  private apply(f: ProxyFault): void {
    this.timeline.record('faults', 'fault', { ...f });
    const live = this.links.filter((l) => !l.dead && (f.connection === undefined || l.n === f.connection));
    switch (f.kind) {
      case 'cut':
        for (const l of live) {
          l.dead = true;
          l.client.terminate();
          l.upstream?.terminate();
        }
        return;
      case 'half-open':
        for (const l of live) {
          l.dead = true;
          if (f.closeAfterMs !== undefined) {
            this.later(f.closeAfterMs, () => {
              l.client.terminate();
              l.upstream?.terminate();
            });
          }
        }
        return;
      case 'lag':
        this.lagUntil = Date.now() + (f.durationMs ?? 1_000);
        this.lagMs = f.extraMs ?? 500;
        return;
      case 'close':
        for (const l of live) {
          l.dead = true;
          l.client.close(f.code ?? 1001, 'proxy');
          l.upstream?.close(f.code ?? 1001, 'proxy');
        }
        return;
      case 'refuse':
        return;
    }
  }

  /** Stops listening and drops every connection; nothing is left behind. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const l of this.links) {
      l.client.terminate();
      l.upstream?.terminate();
    }
    this.wss.close();
    for (const s of this.sockets) s.destroy();
    if (this.http) await new Promise<void>((r) => this.http?.close(() => r()));
  }
}
