/**
 * The Net port over real sockets: WebSockets with `ws`, HTTP with node:http, loopback only. The
 * same protocol code that runs in the simulator serves and dials real connections through it.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { ExecsimError } from '../errors.ts';
import {
  CLOSED,
  NetError,
  type ConnectOptions,
  type HttpRequest,
  type HttpResponse,
  type Net,
  type ReadyState,
  type Server,
  type ServerHandler,
  type WsData,
  type WsSocket,
  type WsSocketEvents,
} from '../ports/net.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Refuses anything but loopback: real-network mode never leaves the machine. */
export function assertLoopback(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ExecsimError('EXECSIM_USAGE', `not a URL: ${JSON.stringify(url)}`);
  }
  if (!LOOPBACK.has(u.hostname)) {
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `${url}: real-network mode talks to loopback only (127.0.0.1, localhost, ::1), not ${u.hostname}`,
    );
  }
  return u;
}

let nextId = 1;

class RealSocket implements WsSocket {
  readonly id: string;
  /**
   * Messages that came before anyone listened, and the close once it came. `ws` emits a frame
   * that arrives in the same read as the upgrade response before the `open` promise's
   * continuation can listen (a server that speaks first, as the attach runner does, lost its
   * first frames so); the first message listener gets them, and a close listener that comes
   * after the close hears of it at once.
   */
  private early: Array<{ data: WsData; isBinary: boolean }> | undefined = [];
  private closed: { code: number; reason: string } | undefined;
  private readonly messageListeners: Array<WsSocketEvents['message']> = [];
  private readonly closeListeners: Array<WsSocketEvents['close']> = [];
  constructor(
    readonly ws: WebSocket,
    label: string,
  ) {
    this.id = `${label}#${nextId++}`;
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      const data = isBinary ? toBytes(raw) : toBytes(raw).toString();
      if (this.early) this.early.push({ data, isBinary });
      else for (const fn of this.messageListeners) fn(data, isBinary);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
      for (const fn of this.closeListeners) fn(code, this.closed.reason);
    });
  }
  get readyState(): ReadyState {
    return this.ws.readyState as ReadyState;
  }
  send(data: WsData): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data, { binary: typeof data !== 'string' });
    return true;
  }
  close(code?: number, reason?: string): void {
    if (this.ws.readyState === CLOSED) return;
    this.ws.close(code, reason);
  }
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    if (event === 'message') {
      const fn = listener as WsSocketEvents['message'];
      this.messageListeners.push(fn);
      const early = this.early;
      this.early = undefined;
      for (const m of early ?? []) fn(m.data, m.isBinary);
    } else {
      const fn = listener as WsSocketEvents['close'];
      this.closeListeners.push(fn);
      if (this.closed) fn(this.closed.code, this.closed.reason);
    }
    return this;
  }
  off(): this {
    throw new Error('execsim real sockets: off() is not supported');
  }
}

/** Drops a real connection abruptly (no close frame): the peer sees 1006, as after a cut. */
export function terminate(socket: WsSocket): void {
  if (socket instanceof RealSocket) socket.ws.terminate();
}

/** The `ws` socket under a real WsSocket (control frames, such as pings, need it). */
export function rawWebSocket(socket: WsSocket): WebSocket | undefined {
  return socket instanceof RealSocket ? socket.ws : undefined;
}

function toBytes(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}

export class RealNet implements Net {
  private readonly servers = new Set<{ close(): void }>();

  connect(url: string, options?: ConnectOptions): Promise<WsSocket> {
    return new Promise((resolve, reject) => {
      assertLoopback(url);
      const ws = new WebSocket(url, { handshakeTimeout: options?.timeoutMs ?? 30_000, perMessageDeflate: false });
      ws.once('open', () => resolve(new RealSocket(ws, `client->${new URL(url).host}`)));
      ws.once('unexpected-response', (_req, res: IncomingMessage) => {
        reject(new NetError('UNEXPECTED_RESPONSE', `Unexpected server response: ${res.statusCode ?? 0} (${url})`, res.statusCode));
        ws.terminate();
      });
      ws.once('error', (e: Error & { code?: string }) => {
        const code = e.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : /timeout/i.test(e.message) ? 'ETIMEDOUT' : 'ECONNRESET';
        reject(new NetError(code, e.message));
      });
    });
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const u = assertLoopback(req.url);
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const r = httpRequest(
        {
          hostname: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: req.method,
          headers: body ? { 'content-type': 'application/json' } : {},
          timeout: req.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: unknown = undefined;
            try {
              parsed = text ? (JSON.parse(text) as unknown) : undefined;
            } catch {
              parsed = text;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      r.on('timeout', () => {
        r.destroy();
        reject(new NetError('ETIMEDOUT', `${req.method} ${req.url} timed out`));
      });
      r.on('error', (e: Error & { code?: string }) =>
        reject(new NetError(e.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : 'ECONNRESET', e.message)),
      );
      if (body) r.write(body);
      r.end();
    });
  }

  listen(port: number, handler: ServerHandler): Promise<Server> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
      const http = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          void (async () => {
            let out: HttpResponse = { status: 404 };
            if (handler.request) {
              const text = Buffer.concat(chunks).toString();
              try {
                out = await handler.request({
                  method: req.method ?? 'GET',
                  path: req.url ?? '/',
                  body: text ? (JSON.parse(text) as unknown) : undefined,
                  from: 'remote',
                });
              } catch (e) {
                out = { status: 500, body: { error: e instanceof Error ? e.message : String(e) } };
              }
            }
            res.writeHead(out.status, { 'content-type': 'application/json' });
            res.end(out.body === undefined ? '' : JSON.stringify(out.body));
          })();
        });
      });
      http.on('upgrade', (req, socket, head) => {
        socket.on('error', () => undefined); // after 'upgrade' its errors are ours (a reset refused upgrade)
        const status = handler.upgrade?.({ path: req.url ?? '/', from: 'remote' });
        if (status !== undefined) {
          socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) =>
          handler.connection?.(new RealSocket(ws, `server<-${req.socket.remotePort ?? '?'}`), { path: req.url ?? '/', from: 'remote' }),
        );
      });
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => {
        const p = (http.address() as AddressInfo).port;
        const entry = {
          close: () => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            http.close();
            http.closeAllConnections();
          },
        };
        this.servers.add(entry);
        resolve({
          url: `ws://127.0.0.1:${p}`,
          port: p,
          close: () => {
            entry.close();
            this.servers.delete(entry);
            return Promise.resolve();
          },
        });
      });
    });
  }

  /** Closes every server this adapter opened (on shutdown). */
  closeAll(): void {
    for (const s of this.servers) s.close();
    this.servers.clear();
  }
}
