/**
 * Dialing a simulated WebSocket: refusals, the upgrade at the server (which may answer with a
 * status), the connect timeout, and the open frame that settles it.
 */
import { NetError, OPEN, type ConnectOptions, type UpgradeRequest, type WsSocket } from '../ports/net.ts';
import { parseUrl } from './address.ts';
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
  return new Promise<WsSocket>((resolve, reject) => {
    const u = parseUrl(url, 'ws');
    const { id, ep } = ws.table.number(from, u.host);
    const k = env.kernel;
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
    const timeoutMs = options?.timeoutMs ?? env.options.connectTimeoutMs;
    const timer = k.at(timeoutMs, from, 'connect-timeout', () => {
      fail(new NetError('ETIMEDOUT', `connect to ${url} timed out after ${timeoutMs} ms`));
      if (conn) ws.lose(conn, 'net.abort');
    });

    const rule = env.rules.takeRefusal(ep, 'ws', k.now());
    if (rule) {
      k.record('net', 'net.refused', { id, status: rule.status ?? null, timeout: rule.timeout ?? false });
      k.faultEffect(rule.fault, id);
      const err = connectRefusal(rule, url, u.host, u.port);
      if (!err) return;
      const delay = err.status !== undefined ? env.delay(ep) + env.delay(ep) : env.delay(ep);
      k.at(delay, from, 'connect-refused', () => fail(err));
      return;
    }

    k.at(env.delay(ep), `net:${id}:c2s`, 'upgrade', () => {
      if (settled) return;
      const server = env.servers.at(u.host, u.port);
      if (!server) {
        k.at(env.delay(ep), from, 'connect-refused', () => fail(refusedError(u.host, u.port)));
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
        k.at(env.delay(ep), from, 'upgrade-response', () => fail(unexpectedResponse(url, s)));
        return;
      }
      const client = new SimSocket(k, ws, id, from, 'client');
      const srv = new SimSocket(k, ws, id, u.host, 'server');
      srv.readyState = OPEN;
      const opened = (): void => {
        if (settled) return;
        settled = true;
        k.sched.cancel(timer);
        resolve(client);
      };
      const c = new Connection(id, ep, client, srv, opened, fail);
      conn = c;
      k.record(u.host, 'net.accept', { id, path: u.path });
      ws.open(c);
      if (server.handler.connection) {
        const onConnection = server.handler.connection.bind(server.handler);
        k.guard(u.host, () => onConnection(srv, req));
      }
    });
  });
}
