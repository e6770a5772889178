/**
 * Real mode's network: simulated host names mapped onto loopback ports, with the kernel's
 * network faults applied to real sockets. Connections are numbered, matched and cut after frames
 * by the same table as the simulated network's (sim/net/connections.ts), and refusals read the
 * same rules (sim/net/rules.ts).
 */
import type { Kernel } from '../kernel.ts';
import { parseUrl, type Endpoints } from '../net/address.ts';
import { ConnectionTable, type Dir } from '../net/connections.ts';
import type { NetOptions, Network } from '../net/network.ts';
import { connectRefusal, FaultRules, refusedError, requestRefusal, type RefuseRule } from '../net/rules.ts';
import {
  NetError,
  type ConnectOptions,
  type HttpRequest,
  type HttpResponse,
  type Net,
  type Server,
  type ServerHandler,
  type WsSocket,
} from '../ports/net.ts';
import { connOf, fromOf, stripNames, withNames } from './loopbackNames.ts';
import { RealNet, terminate } from './net.ts';
import type { RealTimeScheduler } from './realTimeScheduler.ts';
import { WorldSocket, type SocketNet, type WorldConn } from './worldSocket.ts';

export class RealWorldNet implements Network, SocketNet {
  readonly real = new RealNet();
  /** host:port -> the real port; a promise while the real listen is under way (a connect waits for it, as a simulated listen is immediate). */
  private readonly addresses = new Map<string, Promise<number>>();
  private readonly table = new ConnectionTable<WorldConn>(() => true);
  private readonly rules = new FaultRules();
  private nextPort = 40_000;

  constructor(
    readonly kernel: Kernel,
    private readonly sched: RealTimeScheduler,
    private readonly options: NetOptions,
  ) {}

  get scale(): number {
    return this.sched.scale;
  }

  port(host: string): Net {
    return {
      connect: (url, options) => this.connect(host, url, options),
      request: (req) => this.request(host, req),
      listen: (port, handler) => this.listen(host, port, handler),
    };
  }

  // ---- what sockets need -------------------------------------------------------------------

  record(kind: string, data: Record<string, unknown>): void {
    this.kernel.record('net', kind, data);
  }

  task(host: string, label: string, fn: () => void): void {
    this.kernel.at(0, host, label, fn);
  }

  lagFor(ep: Endpoints): number {
    return this.rules.extraMs(ep, this.kernel.now());
  }

  carried(conn: WorldConn, dir: Dir): void {
    const cut = this.table.carry(conn, dir);
    if (cut) this.drop(conn, { afterFrames: cut.frames, dir });
  }

  // ---- faults ------------------------------------------------------------------------------

  cut(target: string): void {
    for (const c of this.table.matching(target)) this.drop(c);
  }

  cutAfterFrames(target: string, frames: number, dir: Dir): void {
    this.table.cutAfterFrames(target, frames, dir);
  }

  halfOpen(target: string, closeAfterMs: number | undefined): void {
    for (const c of this.table.matching(target)) {
      c.blackhole = true;
      this.kernel.record('net', 'net.half-open', { id: c.id });
      if (closeAfterMs !== undefined) this.kernel.at(closeAfterMs, 'net', 'half-open-timeout', () => this.drop(c));
    }
  }

  lag(target: string, durationMs: number, extraMs: number): void {
    this.rules.lag(target, this.kernel.now() + durationMs, extraMs);
  }

  refuse(rule: RefuseRule): void {
    this.rules.refuse(rule);
  }

  proxyClose(target: string, code: number, reason: string): void {
    for (const c of this.table.matching(target)) for (const e of c.ends) e.close(code, reason);
  }

  heal(): void {
    this.rules.heal();
    this.table.heal();
  }

  openConnections(): string[] {
    return this.table
      .all()
      .filter((c) => c.ends.some((e) => e.readyState === 1))
      .map((c) => c.id);
  }

  closeAll(): void {
    this.real.closeAll();
  }

  private drop(c: WorldConn, why: Record<string, unknown> = {}): void {
    this.kernel.record('net', 'net.cut', { id: c.id, ...why });
    c.blackhole = true;
    for (const e of c.ends) terminate(e.inner);
  }

  // ---- the Net port ------------------------------------------------------------------------

  private async listen(host: string, port: number, handler: ServerHandler): Promise<Server> {
    const k = this.kernel;
    const virtualPort = port === 0 ? this.nextPort++ : port;
    let bound: (p: number) => void = () => undefined;
    this.addresses.set(`${host}:${virtualPort}`, new Promise<number>((r) => (bound = r)));
    const server = await this.real.listen(0, {
      upgrade: handler.upgrade ? (req) => handler.upgrade?.({ path: stripNames(req.path), from: fromOf(req.path) }) : undefined,
      connection: (socket, req) => {
        const conn = this.table.get(connOf(req.path));
        if (!conn) return socket.close(1011, 'unknown connection');
        const end = new WorldSocket(socket, conn, host, 'server', this);
        conn.ends.push(end);
        k.record(host, 'net.accept', { id: conn.id, path: stripNames(req.path) });
        if (handler.connection) {
          const onConnection = handler.connection.bind(handler);
          k.at(0, host, 'accept', () => onConnection(end, { path: stripNames(req.path), from: conn.ep.from }));
        }
      },
      request: handler.request
        ? (req) =>
            new Promise<HttpResponse>((resolve) => {
              k.at(0, host, 'http-request', () => {
                Promise.resolve(
                  handler.request?.({ ...req, path: stripNames(req.path), from: fromOf(req.path) }) as Promise<HttpResponse>,
                ).then(resolve, (e: unknown) => resolve({ status: 500, body: { error: String(e) } }));
              });
            })
        : undefined,
    } as ServerHandler);
    bound(server.port);
    k.record(host, 'net.listen', { port: virtualPort });
    return {
      url: `ws://${host}:${virtualPort}`,
      port: virtualPort,
      close: async () => {
        this.addresses.delete(`${host}:${virtualPort}`);
        await server.close();
      },
    };
  }

  private connect(from: string, url: string, options: ConnectOptions | undefined): Promise<WsSocket> {
    const k = this.kernel;
    return new Promise<WsSocket>((resolve, reject) => {
      const u = parseUrl(url, 'ws');
      const { id, ep } = this.table.number(from, u.host);
      k.record(from, 'net.connect', { id, url });
      const rule = this.rules.takeRefusal(ep, 'ws', k.now());
      if (rule) {
        const err = connectRefusal(rule, url, u.host, u.port);
        if (err) k.at(this.options.latencyMsMax, from, 'connect-refused', () => reject(err));
        return; // no answer: the caller's own timeout decides
      }
      const key = `${u.host}:${u.port}`;
      const dial = (address: Promise<number>) => this.dial({ from, path: u.path, id, ep, options }, address, resolve, reject);
      const address = this.addresses.get(key);
      if (address !== undefined) return dial(address);
      // As in the simulated network, the server is looked up when the connect reaches its host
      // (one latency later), not when it is dialled: a server that listens meanwhile accepts it.
      k.at(this.options.latencyMsMax, `net:${id}:c2s`, 'upgrade', () => {
        const later = this.addresses.get(key);
        if (later !== undefined) dial(later);
        else k.at(this.options.latencyMsMax, from, 'connect-refused', () => reject(refusedError(u.host, u.port)));
      });
    });
  }

  /** The real connect to a listening host's loopback port; its result settles as a world task. */
  private dial(
    c: { from: string; path: string; id: string; ep: Endpoints; options: ConnectOptions | undefined },
    address: Promise<number>,
    resolve: (s: WsSocket) => void,
    reject: (e: unknown) => void,
  ): void {
    const settle = (fn: () => void) => this.kernel.at(0, c.from, 'connect-result', fn);
    const conn: WorldConn = { id: c.id, ep: c.ep, ends: [], blackhole: false };
    this.table.add(conn);
    const release = this.sched.hold();
    const timeoutMs = (c.options?.timeoutMs ?? this.options.connectTimeoutMs) / this.scale;
    address
      .then((actual) =>
        this.real.connect(`ws://127.0.0.1:${actual}${withNames(c.path, { conn: c.id, from: c.from })}`, { timeoutMs: Math.max(1, timeoutMs) }),
      )
      .then(
        (socket) => {
          socket.on('close', () => release());
          // the world's end is made in the task that hands it over, so that frames the server
          // sent at once (held by the real socket meanwhile) are delivered after it, as tasks
          // the caller has had the chance to listen for
          settle(() => {
            const end = new WorldSocket(socket, conn, c.from, 'client', this);
            conn.ends.unshift(end);
            resolve(end);
          });
        },
        (e: unknown) => {
          release();
          settle(() => reject(e));
        },
      );
  }

  private request(from: string, req: HttpRequest): Promise<HttpResponse> {
    const k = this.kernel;
    return new Promise<HttpResponse>((resolve, reject) => {
      const u = parseUrl(req.url, 'http');
      const ep: Endpoints = { from, to: u.host };
      const rule = this.rules.takeRefusal(ep, 'http', k.now());
      const address = this.addresses.get(`${u.host}:${u.port}`);
      const settle = (fn: () => void) => k.at(0, from, 'http-result', fn);
      if (rule || address === undefined) {
        const answer = rule ? requestRefusal(rule, u.host, u.port) : refusedError(u.host, u.port);
        if (answer === undefined) {
          k.at(req.timeoutMs ?? this.options.requestTimeoutMs, from, 'request-timeout', () =>
            reject(new NetError('ETIMEDOUT', `${req.method} ${req.url} timed out`)),
          );
        } else k.at(this.options.latencyMsMax, from, 'http-refused', () => (answer instanceof NetError ? reject(answer) : resolve(answer)));
        return;
      }
      const release = this.sched.hold();
      const extra = this.lagFor(ep);
      setTimeout(() => {
        address
          .then((actual) =>
            this.real.request({
              ...req,
              url: `http://127.0.0.1:${actual}${withNames(u.path, { from })}`,
              timeoutMs: Math.max(1, (req.timeoutMs ?? this.options.requestTimeoutMs) / this.scale),
            }),
          )
          .then(
            (r) => settle(() => resolve(r)),
            (e: unknown) => settle(() => reject(e)),
          )
          .finally(release);
      }, extra / this.scale);
    });
  }
}
