/**
 * Real mode: the same targets, the same world API, driven by real time and real loopback
 * WebSockets instead of virtual time and the simulated network, for measuring how the simulator
 * compares with reality (npm run bench). Time is dilated: one real millisecond is `scale`
 * virtual ones, so every protocol constant (a 45 s watchdog, a 25 s recovery window) shrinks by
 * `scale` without touching the implementations. Files and processes stay simulated, on real
 * timers. Real runs are not deterministic: that is what the comparison measures.
 */
import { performance } from 'node:perf_hooks';
import type { Kernel } from '../kernel.ts';
import { matchesTarget, parseUrl, type Endpoints } from '../net/address.ts';
import type { Network, RefuseRule } from '../net/network.ts';
import { FaultRules } from '../net/rules.ts';
import type { NetOptions } from '../net/network.ts';
import {
  NetError,
  type ConnectOptions,
  type HttpRequest,
  type HttpResponse,
  type Net,
  type Server,
  type ServerHandler,
  type WsData,
  type WsSocket,
  type WsSocketEvents,
} from '../ports/net.ts';
import type { Rng } from '../rng.ts';
import { pickTask, type Pick, type Task, type TaskScheduler } from '../scheduler.ts';
import { World } from '../world.ts';
import type { WorldOptionsInput } from '../options.ts';
import { RealNet } from './net.ts';
import { compose, type Checker, type Composed } from '../check/result.ts';
import type { AnyTarget } from '../registry.ts';
import type { Scenario } from '../target.ts';

/** Virtual time over real timers: `scale` virtual ms per real ms. */
export class RealTimeScheduler implements TaskScheduler {
  private readonly origin = performance.now();
  private ready: Task[] = [];
  private pendingRef = 0;
  private io = 0;
  private nextId = 1;
  private wake: (() => void) | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly shuffle: boolean,
    readonly scale: number,
  ) {}

  now(): number {
    return Math.floor((performance.now() - this.origin) * this.scale);
  }

  schedule(delayMs: number, lane: string, label: string, fn: () => void, ref = true): Task {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? Math.ceil(delayMs) : 0;
    const task: Task = { id: this.nextId++, at: this.now() + delay, lane, label, fn, cancelled: false, ref, fakeId: undefined };
    if (delay === 0) this.push(task);
    else {
      if (ref) this.pendingRef++;
      task.fakeId = setTimeout(() => this.fire(task), delay / this.scale);
    }
    return task;
  }

  cancel(task: Task): void {
    if (task.cancelled) return;
    task.cancelled = true;
    if (task.fakeId !== undefined) {
      clearTimeout(task.fakeId as NodeJS.Timeout);
      task.fakeId = undefined;
      if (task.ref) this.pendingRef--;
    }
  }

  setRef(task: Task, ref: boolean): void {
    if (task.ref === ref) return;
    if (task.fakeId !== undefined && !task.cancelled) this.pendingRef += ref ? 1 : -1;
    task.ref = ref;
  }

  get refTimers(): number {
    return this.pendingRef + this.io;
  }

  take(): Pick | undefined {
    this.ready = this.ready.filter((t) => !t.cancelled);
    return pickTask(this.ready, this.rng, this.shuffle);
  }

  advance(): Promise<boolean> {
    if (this.ready.length > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.wake = () => resolve(true);
    });
  }

  /** Real I/O in progress (an open socket, a pending connect) keeps the world waiting. */
  hold(): () => void {
    this.io++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.io--;
      this.poke();
    };
  }

  private fire(task: Task): void {
    task.fakeId = undefined;
    if (task.ref) this.pendingRef--;
    if (!task.cancelled) this.push(task);
  }

  private push(task: Task): void {
    this.ready.push(task);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

interface Conn {
  id: string;
  ep: Endpoints;
  ends: RealWorldSocket[];
  blackhole: boolean;
}

/** One end of a real connection, its events delivered as world tasks in its host's lane. */
class RealWorldSocket implements WsSocket {
  private queue: Promise<void> = Promise.resolve();
  constructor(
    readonly inner: WsSocket,
    readonly conn: Conn,
    readonly host: string,
    private readonly net: RealWorldNet,
  ) {}
  get id(): string {
    return this.conn.id;
  }
  get readyState() {
    return this.inner.readyState;
  }
  send(data: WsData): boolean {
    if (this.inner.readyState !== 1) return false;
    if (this.conn.blackhole) {
      this.net.kernel.record('net', 'net.vanish', { id: this.conn.id });
      return true;
    }
    const extra = this.net.lagFor(this.conn.ep);
    if (extra > 0) this.queue = this.queue.then(() => new Promise<void>((r) => setTimeout(r, extra / this.net.scale)));
    this.queue = this.queue.then(() => void this.inner.send(data));
    return true;
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    const k = this.net.kernel;
    if (event === 'message') {
      const fn = listener as WsSocketEvents['message'];
      this.inner.on('message', (d, b) => {
        if (!this.conn.blackhole) k.at(0, this.host, 'deliver', () => fn(d, b));
      });
    } else {
      const fn = listener as WsSocketEvents['close'];
      this.inner.on('close', (c, r) => k.at(0, this.host, 'close', () => fn(c, r)));
    }
    return this;
  }
  off(): this {
    throw new Error('real mode: off() is not supported');
  }
}

/** Simulated host names mapped onto loopback ports, with the kernel's network faults on real sockets. */
export class RealWorldNet implements Network {
  readonly real = new RealNet();
  /** host:port -> the real port; a promise while the real listen is under way (a connect waits for it, as a simulated listen is immediate). */
  private readonly addresses = new Map<string, Promise<number>>();
  private readonly conns = new Map<string, Conn>();
  private readonly ordinals = new Map<string, number>();
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

  lagFor(ep: Endpoints): number {
    return this.rules.extraMs(ep, this.kernel.now());
  }

  cut(target: string): void {
    for (const c of this.matching(target)) {
      this.kernel.record('net', 'net.cut', { id: c.id });
      for (const e of c.ends) (e.inner as unknown as { ws?: { terminate(): void } }).ws?.terminate();
    }
  }
  halfOpen(target: string, closeAfterMs: number | undefined): void {
    for (const c of this.matching(target)) {
      c.blackhole = true;
      this.kernel.record('net', 'net.half-open', { id: c.id });
      if (closeAfterMs !== undefined) this.kernel.at(closeAfterMs, 'net', 'half-open-timeout', () => this.cut(c.id));
    }
  }
  lag(target: string, durationMs: number, extraMs: number): void {
    this.rules.lag(target, this.kernel.now() + durationMs, extraMs);
  }
  refuse(rule: RefuseRule): void {
    this.rules.refuse(rule);
  }
  proxyClose(target: string, code: number, reason: string): void {
    for (const c of this.matching(target)) for (const e of c.ends) e.close(code, reason);
  }
  heal(): void {
    this.rules.heal();
  }
  openConnections(): string[] {
    return [...this.conns.values()].filter((c) => c.ends.some((e) => e.readyState === 1)).map((c) => c.id);
  }
  closeAll(): void {
    this.real.closeAll();
  }

  private matching(target: string): Conn[] {
    return [...this.conns.values()].filter((c) => matchesTarget(target, c.ep));
  }

  private takeRefusal(ep: Endpoints, scope: 'ws' | 'http'): RefuseRule | undefined {
    return this.rules.takeRefusal(ep, scope, this.kernel.now());
  }

  private async listen(host: string, port: number, handler: ServerHandler): Promise<Server> {
    const k = this.kernel;
    const virtualPort = port === 0 ? this.nextPort++ : port;
    let bound: (p: number) => void = () => undefined;
    this.addresses.set(`${host}:${virtualPort}`, new Promise<number>((r) => (bound = r)));
    const server = await this.real.listen(0, {
      upgrade: handler.upgrade ? (req) => handler.upgrade?.({ path: stripConn(req.path), from: fromOf(req.path) }) : undefined,
      connection: (socket, req) => {
        const conn = this.conns.get(connOf(req.path));
        if (!conn) return socket.close(1011, 'unknown connection');
        const end = new RealWorldSocket(socket, conn, host, this);
        conn.ends.push(end);
        k.record(host, 'net.accept', { id: conn.id, path: stripConn(req.path) });
        if (handler.connection) {
          const onConnection = handler.connection.bind(handler);
          k.at(0, host, 'accept', () => onConnection(end, { path: stripConn(req.path), from: conn.ep.from }));
        }
      },
      request: handler.request
        ? (req) =>
            new Promise<HttpResponse>((resolve) => {
              k.at(0, host, 'http-request', () => {
                Promise.resolve(
                  handler.request?.({ ...req, path: stripConn(req.path), from: fromOf(req.path) }) as Promise<HttpResponse>,
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
      const pair = `${from}->${u.host}`;
      const ordinal = (this.ordinals.get(pair) ?? 0) + 1;
      this.ordinals.set(pair, ordinal);
      const id = `${pair}#${ordinal}`;
      const ep: Endpoints = { from, to: u.host, ordinal };
      k.record(from, 'net.connect', { id, url });
      const settle = (fn: () => void) => k.at(0, from, 'connect-result', fn);
      const rule = this.takeRefusal(ep, 'ws');
      const address = this.addresses.get(`${u.host}:${u.port}`);
      if (rule || address === undefined) {
        const status = rule?.status;
        if (rule?.timeout) return; // the caller's own timeout decides
        const err =
          status !== undefined
            ? new NetError('UNEXPECTED_RESPONSE', `Unexpected server response: ${status}`, status)
            : new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`);
        k.at(this.options.latencyMsMax, from, 'connect-refused', () => reject(err));
        return;
      }
      const conn: Conn = { id, ep, ends: [], blackhole: false };
      this.conns.set(id, conn);
      const release = this.sched.hold();
      const sep = u.path.includes('?') ? '&' : '?';
      const timeoutMs = (options?.timeoutMs ?? this.options.connectTimeoutMs) / this.scale;
      address
        .then((actual) =>
          this.real.connect(`ws://127.0.0.1:${actual}${u.path}${sep}__conn=${encodeURIComponent(id)}&__from=${encodeURIComponent(from)}`, {
            timeoutMs: Math.max(1, timeoutMs),
          }),
        )
        .then(
          (socket) => {
            const end = new RealWorldSocket(socket, conn, from, this);
            conn.ends.unshift(end);
            socket.on('close', () => release());
            settle(() => resolve(end));
          },
          (e: unknown) => {
            release();
            settle(() => reject(e));
          },
        );
    });
  }

  private request(from: string, req: HttpRequest): Promise<HttpResponse> {
    const k = this.kernel;
    return new Promise<HttpResponse>((resolve, reject) => {
      const u = parseUrl(req.url, 'http');
      const ep: Endpoints = { from, to: u.host };
      const rule = this.takeRefusal(ep, 'http');
      const address = this.addresses.get(`${u.host}:${u.port}`);
      const settle = (fn: () => void) => k.at(0, from, 'http-result', fn);
      if (rule || address === undefined) {
        if (rule?.timeout) {
          k.at(req.timeoutMs ?? this.options.requestTimeoutMs, from, 'request-timeout', () =>
            reject(new NetError('ETIMEDOUT', `${req.method} ${req.url} timed out`)),
          );
          return;
        }
        const status = rule?.status;
        k.at(this.options.latencyMsMax, from, 'http-refused', () =>
          status !== undefined
            ? resolve({ status, body: { error: `injected ${status}` } })
            : reject(new NetError('ECONNREFUSED', `connect ECONNREFUSED ${u.host}:${u.port}`)),
        );
        return;
      }
      const release = this.sched.hold();
      const sep = u.path.includes('?') ? '&' : '?';
      const extra = this.lagFor(ep);
      setTimeout(() => {
        address
          .then((actual) =>
            this.real.request({
              ...req,
              url: `http://127.0.0.1:${actual}${u.path}${sep}__from=${encodeURIComponent(from)}`,
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

function params(path: string): URLSearchParams {
  const i = path.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : path.slice(i + 1));
}
function connOf(path: string): string {
  return params(path).get('__conn') ?? '';
}
function fromOf(path: string): string {
  return params(path).get('__from') ?? 'remote';
}
/** The path the application asked for, without the real mode's bookkeeping parameters. */
function stripConn(path: string): string {
  const i = path.indexOf('?');
  if (i < 0) return path;
  const p = params(path);
  p.delete('__conn');
  p.delete('__from');
  const rest = p.toString();
  return path.slice(0, i) + (rest ? `?${rest}` : '');
}

export interface RealWorld {
  world: World;
  /** Closes every real server and socket it opened. */
  dispose(): void;
}

/** A world on real time (dilated by `scale`) and real loopback sockets. */
export function createRealWorld(input: WorldOptionsInput, scale: number): RealWorld {
  let net: RealWorldNet | undefined;
  let sched: RealTimeScheduler | undefined;
  const world = new World(input, {
    scheduler: (rng, shuffle) => (sched = new RealTimeScheduler(rng, shuffle, scale)),
    network: (kernel, _rng, options) => (net = new RealWorldNet(kernel, sched as RealTimeScheduler, options)),
  });
  return { world, dispose: () => net?.closeAll() };
}

/** runScenario in real mode: the same target code and checkers, on real time and sockets. */
export async function runScenarioReal(
  target: AnyTarget,
  scenario: Scenario,
  scale: number,
): Promise<{ violated: string[]; checks: Composed; wallMs: number; virtualMs: number }> {
  const started = performance.now();
  const { world, dispose } = createRealWorld({ ...target.worldOptions?.(scenario), seed: scenario.seed }, scale);
  try {
    if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) world.healAt(scenario.healAtMs);
    const outcome = await target.run(world, scenario);
    const checks = compose(target.checkers as Record<string, Checker<unknown>>, { ...outcome, scenario });
    const violated = Object.entries(checks.results)
      .filter(([, r]) => r.valid === false)
      .map(([name]) => name);
    if (world.errors.length > 0) violated.push('no-crash');
    return { violated, checks, wallMs: performance.now() - started, virtualMs: world.now() };
  } finally {
    dispose();
  }
}
