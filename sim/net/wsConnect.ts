/**
 * Dialing a simulated WebSocket: refusals, the upgrade at the server (which may answer with a
 * status), the connect timeout, and the open frame that settles it.
 */
import type { Task } from '../scheduler.ts';
import { NetError, OPEN, type ConnectOptions, type UpgradeRequest, type WsSocket } from '../ports/net.ts';
import { parseUrl, type Endpoints, type ParsedUrl } from './address.ts';
import { connectRefusal, refusedError, unexpectedResponse } from './rules.ts';
import type { SimNetEnv } from './simNetwork.ts';
import { SimSocket } from './socket.ts';
import { Connection, type WsTransport } from './wsTransport.ts';

export function connectWs(
  env: SimNetEnv,
  ws: WsTransport,
  from: string,
  url: string,
  options: ConnectOptions | undefined,
): Promise<WsSocket> {
  return new Promise<WsSocket>((resolve, reject) => new Dial(env, ws, from, url, options, resolve, reject).start());
}

/**
 * One connection attempt, settled once: by the open frame, or by a failure (refusal, upgrade
 * answered with a status, the connect timeout). A class, not closures: a client retrying a
 * refused connect every 100 ms makes one per attempt (issue 17).
 */
class Dial {
  private readonly u: Readonly<ParsedUrl>;
  private readonly id: string;
  private readonly ep: Endpoints;
  private settled = false;
  private conn: Connection | undefined;
  private timer: Task | undefined;

  constructor(
    private readonly env: SimNetEnv,
    private readonly ws: WsTransport,
    private readonly from: string,
    private readonly url: string,
    private readonly options: ConnectOptions | undefined,
    private readonly resolve: (s: WsSocket) => void,
    private readonly reject: (e: NetError) => void,
  ) {
    this.u = parseUrl(url, 'ws');
    const { id, ep } = ws.table.number(from, this.u.host);
    this.id = id;
    this.ep = ep;
  }

  start(): void {
    const { env, ep, id, from, url, u } = this;
    const k = env.kernel;
    k.record(from, 'net.connect', { id, url });
    const timeoutMs = this.options?.timeoutMs ?? env.options.connectTimeoutMs;
    this.timer = k.at(timeoutMs, from, 'connect-timeout', () => {
      this.fail(new NetError('ETIMEDOUT', `connect to ${url} timed out after ${timeoutMs} ms`));
      if (this.conn) this.ws.lose(this.conn, 'net.abort');
    });

    const rule = env.rules.takeRefusal(ep, 'ws', k.now());
    if (rule) {
      k.record('net', 'net.refused', { id, status: rule.status ?? null, timeout: rule.timeout ?? false });
      k.faultEffect(rule.fault, id);
      const err = connectRefusal(rule, url, u.host, u.port);
      if (!err) return;
      const delay = err.status !== undefined ? env.delay(ep) + env.delay(ep) : env.delay(ep);
      k.at(delay, from, 'connect-refused', () => this.fail(err));
      return;
    }
    k.at(env.delay(ep), `net:${id}:c2s`, 'upgrade', () => this.upgrade());
  }

  private fail(err: NetError): void {
    if (this.settled) return;
    this.settled = true;
    const k = this.env.kernel;
    k.sched.cancel(this.timer as Task);
    k.record(this.from, 'net.connect-failed', { id: this.id, code: err.code, status: err.status ?? null });
    this.reject(err);
  }

  /** The open frame arrived. */
  private opened(client: SimSocket): void {
    if (this.settled) return;
    this.settled = true;
    this.env.kernel.sched.cancel(this.timer as Task);
    this.resolve(client);
  }

  /** The upgrade request reached the server's host. */
  private upgrade(): void {
    if (this.settled) return;
    const { env, ep, id, from, u } = this;
    const k = env.kernel;
    const server = env.servers.at(u.host, u.port);
    if (!server) {
      k.at(env.delay(ep), from, 'connect-refused', () => this.fail(refusedError(u.host, u.port)));
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
      k.at(env.delay(ep), from, 'upgrade-response', () => this.fail(unexpectedResponse(this.url, s)));
      return;
    }
    const client = new SimSocket(k, this.ws, id, from, 'client');
    const srv = new SimSocket(k, this.ws, id, u.host, 'server');
    srv.readyState = OPEN;
    const c = new Connection(
      id,
      ep,
      client,
      srv,
      () => this.opened(client),
      (err) => this.fail(err),
    );
    this.conn = c;
    k.record(u.host, 'net.accept', { id, path: u.path });
    this.ws.open(c);
    if (server.handler.connection) {
      const onConnection = server.handler.connection.bind(server.handler);
      k.guard(u.host, () => onConnection(srv, req));
    }
  }
}
