/**
 * Simulated HTTP-like requests: each one independent (it may overtake a WebSocket frame), with
 * refusals, a timeout, and JSON bodies copied both ways as a real wire would.
 */
import { describeError } from '../errors.ts';
import { NetError, type HttpRequest, type HttpResponse } from '../ports/net.ts';
import type { Endpoints } from './address.ts';
import { parseUrl } from './address.ts';
import { Ordinals } from './connections.ts';
import { refusedError, requestRefusal } from './rules.ts';
import type { SimNetEnv } from './simNetwork.ts';

export class SimHttp {
  private readonly ordinals = new Ordinals();

  constructor(private readonly env: SimNetEnv) {}

  request(from: string, req: HttpRequest): Promise<HttpResponse> {
    const env = this.env;
    return new Promise<HttpResponse>((resolve, reject) => {
      const u = parseUrl(req.url, 'http');
      const pairKey = `${from}->${u.host}:http`;
      const id = `${pairKey}#${this.ordinals.take(pairKey)}`;
      const ep: Endpoints = { from, to: u.host };
      const k = env.kernel;
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
      const timeoutMs = req.timeoutMs ?? env.options.requestTimeoutMs;
      const timer = k.at(timeoutMs, from, 'request-timeout', () =>
        settle(new NetError('ETIMEDOUT', `${method} ${req.url} timed out after ${timeoutMs} ms`)),
      );

      const rule = env.rules.takeRefusal(ep, 'http', k.now());
      if (rule) {
        k.record('net', 'net.refused', { id, status: rule.status ?? null, timeout: rule.timeout ?? false });
        k.faultEffect(rule.fault, `${ep.from}->${ep.to} (http)`);
        const answer = requestRefusal(rule, u.host, u.port);
        if (answer instanceof NetError) k.at(env.delay(ep), from, 'http-refused', () => settle(answer));
        else if (answer) k.at(env.delay(ep) + env.delay(ep), from, 'http-response', () => settle(answer));
        return;
      }

      const body = req.body === undefined ? undefined : clone(req.body);
      k.at(env.delay(ep), `net:${id}:c2s`, 'http-request', async () => {
        const server = env.servers.at(u.host, u.port);
        if (!server) {
          k.at(env.delay(ep), from, 'http-refused', () => settle(refusedError(u.host, u.port)));
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
        k.at(env.delay(ep), `net:${id}:s2c`, 'http-response', () => settle(copy));
      });
    });
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
