/**
 * A real WebSocket fault proxy on loopback, between a client and an executor. It forwards frames
 * both ways and applies the kernel's network fault kinds, with their names and parameters
 * (sim/faults/kernelKinds.ts): `cut` (with `afterFrames`: after the n-th frame in `dir`),
 * `half-open`, `lag`, `refuse` and `close`. Faults are `{ at, kind, target, ...params }`, `at` in
 * ms after the proxy started; connections are numbered and matched as the simulator's are
 * (`client->executor#n`, `*`), by the same table (sim/net/connections.ts) and rules
 * (sim/net/rules.ts). Real runs are best-effort replays (real timing is not ours to fix), so
 * the proxy records the timeline it actually produced.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { ExecsimError } from '../errors.ts';
import type { TimerHandle } from '../ports/clock.ts';
import type { Fault, FaultKind } from '../faults/fault.ts';
import { networkFaultKinds } from '../faults/kernelKinds.ts';
import { validateFaults } from '../faults/validate.ts';
import type { Endpoints } from '../net/address.ts';
import { ConnectionTable, type Dir } from '../net/connections.ts';
import type { NetworkFaults } from '../net/network.ts';
import { FaultRules, type RefuseRule } from '../net/rules.ts';
import { preview } from '../trace.ts';
import { assertLoopback } from './net.ts';
import type { RealTimeline } from './ports.ts';

export type { Dir };

/** The proxy's two ends, as fault targets name them: `client->executor#n` is the n-th connection. */
export const PROXY_FROM = 'client';
export const PROXY_TO = 'executor';

interface Link {
  id: string;
  ep: Endpoints;
  client: WebSocket;
  upstream: WebSocket | undefined;
  dead: boolean;
  /** Closed by a `close` fault: takes no more frames; those it holds still go out, then the close. */
  sealed: boolean;
  queue: Record<Dir, Promise<void>>;
}

export class FaultProxy implements NetworkFaults {
  private http: HttpServer | undefined;
  // pings and pongs travel end to end (a dead link swallows them): no proxy-side answer hides a hang
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, autoPong: false });
  private readonly links = new ConnectionTable<Link>((l) => !l.dead);
  private readonly rules = new FaultRules();
  private readonly kinds = new Map<string, FaultKind>(networkFaultKinds(this).map((k) => [k.kind, k]));
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<TimerHandle>();
  private origin = 0;
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

  /** Ms since the proxy started: the time base of `at`. */
  now(): number {
    return this.timeline.clock.now() - this.origin;
  }

  async start(): Promise<void> {
    this.http = createServer((req, res) => this.passHttp(req, res));
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.http.on('upgrade', (req, socket, head) => {
      // after 'upgrade' the socket's errors are ours: a client that resets a refused upgrade
      // (a reconnect loop at a high time factor does) must not crash the run
      socket.on('error', () => undefined);
      const { id, ep } = this.links.number(PROXY_FROM, PROXY_TO);
      const refusal = this.rules.takeRefusal(ep, 'ws', this.now());
      if (refusal) {
        this.timeline.record('proxy', 'proxy.refused', { id, status: refusal.status ?? null, timeout: refusal.timeout ?? false });
        if (refusal.timeout) return; // never answered: the client's own timeout decides
        if (refusal.status !== undefined)
          socket.end(`HTTP/1.1 ${refusal.status} Injected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        else socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.link(id, ep, ws, req.url ?? '/'));
    });
    await new Promise<void>((resolve) => this.http?.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    this.origin = this.timeline.clock.now();
  }

  /** Checks the faults as a scenario's are checked (a problem names its JSON path), then schedules them. */
  inject(faults: readonly Fault[], path = 'faults'): void {
    const problems = validateFaults(faults, [...this.kinds.values()], path);
    if (problems.length > 0) {
      throw new ExecsimError('EXECSIM_FAULT_INVALID', `invalid proxy faults:\n  - ${problems.join('\n  - ')}`, problems);
    }
    for (const f of faults) {
      const apply = () => {
        this.timeline.record('faults', 'fault', { ...f });
        this.kinds.get(f.kind)?.apply(f);
      };
      // a fault already due applies at once, before any frame that is on its way
      if (f.at <= this.now()) apply();
      else this.later(f.at - this.now(), apply);
    }
  }

  // ---- the kernel's network fault kinds ----------------------------------------------------

  cut(target: string): void {
    for (const l of this.links.matching(target)) this.drop(l);
  }

  cutAfterFrames(target: string, frames: number, dir: Dir): void {
    this.links.cutAfterFrames(target, frames, dir);
  }

  halfOpen(target: string, closeAfterMs: number | undefined): void {
    for (const l of this.links.matching(target)) {
      l.dead = true;
      if (closeAfterMs !== undefined) this.later(closeAfterMs, () => this.drop(l));
    }
  }

  lag(target: string, durationMs: number, extraMs: number): void {
    this.rules.lag(target, this.now() + durationMs, extraMs);
  }

  refuse(rule: RefuseRule): void {
    this.rules.refuse(rule);
  }

  proxyClose(target: string, code: number, reason: string): void {
    for (const l of this.links.matching(target)) {
      if (l.sealed) continue;
      // as the simulated network's close frames do, each goes out after the frames a lag still
      // holds in its direction; frames sent after it vanish
      l.sealed = true;
      const closeEnd = (dir: Dir, end: WebSocket | undefined) =>
        (l.queue[dir] = l.queue[dir].then(() => {
          if (!l.dead) end?.close(code, reason);
        }));
      void Promise.all([closeEnd('s2c', l.client), closeEnd('c2s', l.upstream)]).then(() => (l.dead = true));
    }
  }

  heal(): void {
    this.rules.heal();
    this.links.heal();
  }

  openConnections(): string[] {
    return this.links.matching('*').map((l) => l.id);
  }

  // ---- forwarding --------------------------------------------------------------------------

  /** On the timeline's clock: a dilated clock runs the faults at the same rate as the runner. */
  private later(ms: number, fn: () => void): void {
    const t = this.timeline.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  /** Plain HTTP (REST calls, status probes) passes through; `refuse` with scope http applies. */
  private passHttp(req: IncomingMessage, res: ServerResponse): void {
    const ep: Endpoints = { from: PROXY_FROM, to: PROXY_TO };
    const refusal = this.rules.takeRefusal(ep, 'http', this.now());
    if (refusal) {
      this.timeline.record('proxy', 'proxy.refused', { http: `${req.method} ${req.url}`, status: refusal.status ?? null, timeout: refusal.timeout ?? false });
      if (refusal.timeout) return;
      if (refusal.status !== undefined) {
        res.writeHead(refusal.status, { 'content-type': 'text/plain' });
        res.end('injected');
      } else req.socket.destroy();
      return;
    }
    const u = new URL(this.upstreamUrl.replace(/^ws/, 'http'));
    const up = httpRequest(
      { hostname: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        this.timeline.record('proxy', 'proxy.http', { request: `${req.method} ${req.url}`, status: r.statusCode ?? 0 });
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  }

  private drop(l: Link): void {
    l.dead = true;
    l.client.terminate();
    l.upstream?.terminate();
  }

  private link(id: string, ep: Endpoints, client: WebSocket, path: string): void {
    const link: Link = { id, ep, client, upstream: undefined, dead: false, sealed: false, queue: { c2s: Promise.resolve(), s2c: Promise.resolve() } };
    this.links.add(link);
    this.timeline.record('proxy', 'proxy.connect', { id, connection: ep.ordinal, path });
    const held: Array<[RawData, boolean]> = [];
    const upstream = new WebSocket(this.upstreamUrl.replace(/\/$/, '') + path, { perMessageDeflate: false, autoPong: false });
    link.upstream = upstream;
    upstream.on('open', () => {
      for (const [d, b] of held.splice(0)) this.forward(link, 'c2s', d, b);
    });
    upstream.on('message', (d: RawData, b: boolean) => this.forward(link, 's2c', d, b));
    upstream.on('ping', (d: Buffer) => this.control(link, client, 'ping', d));
    upstream.on('pong', (d: Buffer) => this.control(link, client, 'pong', d));
    client.on('ping', (d: Buffer) => this.control(link, upstream, 'ping', d));
    client.on('pong', (d: Buffer) => this.control(link, upstream, 'pong', d));
    client.on('message', (d: RawData, b: boolean) => {
      if (upstream.readyState === WebSocket.CONNECTING) held.push([d, b]);
      else this.forward(link, 'c2s', d, b);
    });
    const closeOther = (from: 'client' | 'upstream', code: number, reason: Buffer) => {
      this.timeline.record('proxy', 'proxy.closed', { id, by: from, code, reason: reason.toString() });
      if (link.dead || link.sealed) return;
      const other = from === 'client' ? upstream : client;
      // passed on as the wire carried it, as the network between them would: no close frame
      // (1006: the TCP connection just ended) gives none, an empty one (1005) an empty one; and
      // after the frames sent before it that a lag still holds, which a network delivers first
      const dir: Dir = from === 'client' ? 'c2s' : 's2c';
      link.queue[dir] = link.queue[dir].then(() => {
        if (link.dead) return;
        if (other.readyState !== WebSocket.OPEN || code === 1006) other.terminate();
        else if (code === 1005) other.close();
        else other.close(code, reason.toString());
      });
    };
    client.on('close', (c: number, r: Buffer) => closeOther('client', c, r));
    upstream.on('close', (c: number, r: Buffer) => closeOther('upstream', c, r));
    upstream.on('error', () => client.terminate());
    client.on('error', () => upstream.terminate());
  }

  /** A Ping or Pong, passed on unless the link is dead (not counted as a data frame). */
  private control(link: Link, dest: WebSocket, kind: 'ping' | 'pong', data: Buffer): void {
    if (dest.readyState === WebSocket.CONNECTING) {
      dest.once('open', () => this.control(link, dest, kind, data));
      return;
    }
    if (link.dead || link.sealed || dest.readyState !== WebSocket.OPEN) return;
    if (kind === 'ping') dest.ping(data);
    else dest.pong(data);
  }

  private forward(link: Link, dir: Dir, data: RawData, isBinary: boolean): void {
    if (link.dead || link.sealed) {
      this.timeline.record('proxy', 'proxy.vanish', { id: link.id, dir });
      return;
    }
    const dest = dir === 'c2s' ? link.upstream : link.client;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const send = () => {
      if (!link.dead && dest && dest.readyState === WebSocket.OPEN) dest.send(bytes, { binary: isBinary });
    };
    const cut = this.links.carry(link, dir);
    const extra = this.rules.extraMs(link.ep, this.now());
    link.queue[dir] =
      extra > 0 ? link.queue[dir].then(() => new Promise<void>((r) => this.later(extra, () => (send(), r())))) : link.queue[dir].then(send);
    this.timeline.record('proxy', 'proxy.frame', {
      id: link.id,
      dir,
      n: this.links.count(link.id)[dir],
      bytes: bytes.length,
      text: isBinary ? `<${bytes.length} bytes>` : preview(bytes.toString()),
    });
    if (cut) void link.queue[dir].then(() => this.drop(link));
  }

  /** Stops listening and drops every connection; nothing is left behind. */
  async stop(): Promise<void> {
    for (const t of this.timers) this.timeline.clock.clearTimeout(t);
    this.timers.clear();
    for (const l of this.links.all()) this.drop(l);
    this.wss.close();
    for (const s of this.sockets) s.destroy();
    if (this.http) await new Promise<void>((r) => this.http?.close(() => r()));
  }
}
