/**
 * The attach-pump reference runner (reference-impl/attach-pump/runner/) served for real on
 * loopback: the same Runner, AttachLoop and ExecManager as in the simulator, behind the REST
 * routes the boxlite client speaks (base `{url}/v1`): POST /boxes, GET and DELETE /boxes/{id},
 * POST /boxes/{id}/exec, WS /boxes/{id}/executions/{eid}/attach, GET and DELETE
 * /boxes/{id}/executions/{eid}. Each exec runs the case's script (its output and ending known in
 * advance: the truth) on a dilated clock. The model carries WebSocket pings as reserved text
 * frames (wire.ts); here they become real Ping control frames and real Pongs come back as PONG.
 */
import { Runner } from '../../reference-impl/attach-pump/runner/server.ts';
import { PING, PONG } from '../../reference-impl/attach-pump/wire.ts';
import type { RunnerSizes } from '../../reference-impl/attach-pump/runner/execManager.ts';
import type { HttpResponse, IncomingRequest, Net, ServerHandler, WsData, WsSocket, WsSocketEvents } from '../ports/net.ts';
import type { Ports } from '../ports/index.ts';
import type { ProcessScript } from '../ports/proc.ts';
import { Rng } from '../rng.ts';
import { RealNet, rawWebSocket } from './net.ts';
import type { RealTimeline } from './ports.ts';
import { realFs } from './ports.ts';
import { ScriptedProc } from './scriptedProc.ts';

export interface BoxliteRunnerOptions {
  /** Loopback port (0: any free one). */
  port?: number;
  /** Its clock (real or dilated) is the runner's. */
  timeline: RealTimeline;
  script: ProcessScript;
  sizes: RunnerSizes;
  /** Called as each exec starts. */
  onExec?(): void;
  /** Called as each attach is accepted, before the runner's loop sends anything on it. */
  onAttach?(): void;
}

export interface RunningBoxliteRunner {
  /** `http://127.0.0.1:PORT`: what the client gets as its REST url. */
  url: string;
  proc: ScriptedProc;
  runner: Runner;
  stop(): Promise<void>;
}

const BOX_ID = 'box-1';

function boxInfo(now: string): Record<string, unknown> {
  return { box_id: BOX_ID, name: null, status: 'running', created_at: now, updated_at: now, image: 'alpine:latest', cpus: 1, memory_mib: 512 };
}

/** boxlite's error body `{"error":{message,type,code}}`, from the runner's plain `{error}`. */
function restError(out: HttpResponse): HttpResponse {
  if (out.status < 400) return out;
  const b = out.body as { error?: unknown } | undefined;
  const message = typeof b?.error === 'string' ? b.error : `HTTP ${out.status}`;
  const type = out.status === 404 ? 'NotFoundError' : out.status === 409 ? 'ConflictError' : 'InvalidArgumentError';
  return { status: out.status, body: { error: { message, type, code: out.status } } };
}

/** Maps the model's PING text frames to real pings, and real pongs back to PONG messages. */
class PingMappedSocket implements WsSocket {
  constructor(private readonly inner: WsSocket) {}
  get id(): string {
    return this.inner.id;
  }
  get readyState() {
    return this.inner.readyState;
  }
  send(data: WsData): boolean {
    const ws = rawWebSocket(this.inner);
    if (data === PING && ws) {
      if (ws.readyState !== ws.OPEN) return false;
      ws.ping();
      return true;
    }
    return this.inner.send(data);
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    this.inner.on(event, listener);
    if (event === 'message') rawWebSocket(this.inner)?.on('pong', () => (listener as WsSocketEvents['message'])(PONG, false));
    return this;
  }
  off(): this {
    throw new Error('boxlite runner sockets: off() is not supported');
  }
}

/** The `/v1` REST surface in front of the Runner's own routes. */
function front(handler: ServerHandler, onExec: () => void, onAttach: () => void): ServerHandler {
  const strip = (path: string): string | undefined => (path.startsWith('/v1/') ? path.slice(3) : undefined);
  const created = new Date().toISOString();
  let boxAlive = false;
  return {
    upgrade: (req) => {
      const path = strip(req.path);
      return path === undefined ? 404 : handler.upgrade?.({ ...req, path });
    },
    connection: (socket, req) => {
      onAttach();
      handler.connection?.(new PingMappedSocket(socket), { ...req, path: strip(req.path) ?? req.path });
    },
    request: async (req: IncomingRequest): Promise<HttpResponse> => {
      const full = strip(req.path);
      if (full === undefined) return restError({ status: 404, body: { error: `no route ${req.path}` } });
      const path = full.split('?')[0] as string;
      if (path === '/boxes' && req.method === 'POST') {
        boxAlive = true;
        return { status: 201, body: boxInfo(created) };
      }
      if (path === `/boxes/${BOX_ID}` && req.method === 'GET')
        return boxAlive ? { status: 200, body: boxInfo(created) } : restError({ status: 404, body: { error: 'box not found' } });
      if (path === `/boxes/${BOX_ID}` && req.method === 'DELETE') {
        boxAlive = false;
        return { status: 204 };
      }
      if (path === `/boxes/${BOX_ID}/stop` && req.method === 'POST') return { status: 200, body: boxInfo(created) };
      const out = (await handler.request?.({ ...req, path })) ?? { status: 404 };
      if (req.method === 'POST' && out.status === 201) onExec();
      return restError(out);
    },
  };
}

export async function serveBoxliteRunner(opts: BoxliteRunnerOptions): Promise<RunningBoxliteRunner> {
  const clock = opts.timeline.clock;
  const inner = new RealNet();
  const net: Net = {
    connect: (url, o) => inner.connect(url, o),
    request: (r) => inner.request(r),
    // the Runner asks for its simulated port; a real run takes a free loopback one
    listen: (_port, handler) => inner.listen(opts.port ?? 0, front(handler, opts.onExec ?? (() => undefined), opts.onAttach ?? (() => undefined))),
  };
  const proc = new ScriptedProc(clock);
  const ports: Ports = {
    host: 'runner',
    clock,
    net,
    fs: realFs,
    proc,
    random: new Rng(1),
    log: (kind, data) => opts.timeline.record('runner', kind, data),
  };
  const runner = new Runner(ports, proc, { sizes: opts.sizes, commands: () => opts.script });
  const server = await runner.listen();
  return {
    url: `http://127.0.0.1:${server.port}`,
    proc,
    runner,
    stop: async () => {
      runner.manager.stop();
      proc.dispose();
      await server.close();
      inner.closeAll();
    },
  };
}
