/**
 * The runner's HTTP surface (boxlite_exec.go, boxlite_exec_attach.go `BoxliteExecAttach`):
 * - `POST /boxes/{box}/exec` → 201 `{execution_id}`; the process is already running.
 * - `GET /boxes/{box}/executions/{id}` → 200 `{execution_id, status, exit_code?}`, status only
 *   `running` or `completed` (the runner never emits killed/timed_out); 404 once evicted.
 * - `DELETE /boxes/{box}/executions/{id}` → kill + evict, 204.
 * - WS `GET /boxes/{box}/executions/{id}/attach`: 404 unknown exec, 409 when the slot is taken
 *   (both before the upgrade), else an attach loop.
 */
import type {
  HttpResponse,
  IncomingRequest,
  Ports,
  Proc,
  ProcessScript,
  Server,
  ServerHandler,
  UpgradeRequest,
  WsSocket,
} from '../../../sim/ports/index.ts';
import { RUNNER } from '../constants.ts';
import { parseAttachPath, parseExecPath, parseStatusPath } from '../wire.ts';
import { AttachLoop, HEALTHY, type RunnerHooks } from './attachLoop.ts';
import { ExecManager, type RunnerSizes } from './execManager.ts';

export interface RunnerOptions {
  sizes: RunnerSizes;
  /** What a command does inside the box (the box image, in a simulation a process script). */
  commands(command: string): ProcessScript | undefined;
  hooks?: RunnerHooks;
}

export class Runner {
  readonly manager: ExecManager;
  private readonly hooks: RunnerHooks;
  private server: Server | undefined;

  constructor(
    private readonly ports: Ports,
    boxProc: Proc,
    private readonly options: RunnerOptions,
  ) {
    this.manager = new ExecManager(ports, boxProc, options.sizes);
    this.hooks = options.hooks ?? HEALTHY;
  }

  async listen(): Promise<Server> {
    this.server = await this.ports.net.listen(RUNNER.port, new Endpoints(this));
    this.manager.startReaper();
    return this.server;
  }

  /** @internal the handler of its listening server (`Endpoints`) */
  upgrade(req: UpgradeRequest): number | undefined {
    const a = parseAttachPath(req.path);
    const e = a && this.manager.getForBox(a.id, a.box);
    if (!a || !e) {
      this.ports.log('runner.attach-refused', { path: req.path, status: 404 });
      return 404;
    }
    if (a.cursor && (a.cursor.stdout > e.stdout.total || a.cursor.stderr > e.stderr.total)) return 416;
    if (!e.markConnected()) {
      this.ports.log('runner.attach-refused', { exec: e.id, status: 409 });
      return 409;
    }
    return undefined;
  }

  /** @internal the handler of its listening server (`Endpoints`) */
  connection(socket: WsSocket, req: UpgradeRequest): void {
    const a = parseAttachPath(req.path);
    const e = a && this.manager.getForBox(a.id, a.box);
    if (!a || !e) return; // upgrade() accepted it in this same step
    this.ports.log('runner.attach', { exec: e.id, socket: socket.id, cursor: a.cursor ?? null });
    new AttachLoop(this.ports, this.hooks, e, socket, this.options.sizes.subscriberChunksMax, a.cursor).start();
  }

  /** @internal the handler of its listening server (`Endpoints`) */
  request(req: IncomingRequest): HttpResponse {
    if (req.method === 'POST') {
      const p = parseExecPath(req.path);
      const command = (req.body as { command?: unknown } | undefined)?.command;
      const script = typeof command === 'string' ? this.options.commands(command) : undefined;
      if (!p || !script) return { status: p ? 400 : 404, body: { error: 'bad exec request' } };
      const e = this.manager.start(p.box, command as string, script);
      return { status: 201, body: { execution_id: e.id } };
    }
    const s = parseStatusPath(req.path);
    const e = s && this.manager.getForBox(s.id, s.box);
    if (!s || !e) return { status: 404, body: { error: `execution ${s?.id ?? '?'} not found` } };
    if (req.method === 'DELETE') {
      this.manager.kill(e.id);
      return { status: 204 };
    }
    if (req.method !== 'GET') return { status: 405 };
    const t = e.totals();
    const body: Record<string, unknown> = {
      execution_id: e.id,
      status: e.done ? 'completed' : 'running',
      stdout_bytes: t.stdout,
      stderr_bytes: t.stderr,
    };
    if (e.done) body.exit_code = e.exitCode;
    return { status: 200, body };
  }
}

/** The runner's listening handler (a class: its methods are made once, not per listen). */
class Endpoints implements ServerHandler {
  constructor(private readonly runner: Runner) {}

  upgrade(req: UpgradeRequest): number | undefined {
    return this.runner.upgrade(req);
  }
  connection(socket: WsSocket, req: UpgradeRequest): void {
    this.runner.connection(socket, req);
  }
  request(req: IncomingRequest): HttpResponse {
    return this.runner.request(req);
  }
}
