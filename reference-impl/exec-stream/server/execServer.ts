/**
 * The exec-server's protocol logic, independent of any socket: a `ServerConnection` takes the
 * text of each incoming frame and hands back frames through the `send` it was given, so the same
 * code serves the simulated network here and real WebSockets later. Handshake (spec §1.2):
 * `initialize` (optionally resuming a session), then the `initialized` notification, then
 * process RPCs. Requests are handled concurrently (a long-poll read must not block others).
 */
import type { Ports } from '../../../sim/ports/index.ts';
import { DecodeError, decodeFrame, encodeError, encodeNotification, encodeResult } from '../protocol/codec.ts';
import {
  INTERNAL_ERROR,
  INVALID_REQUEST,
  METHOD,
  type InitializeParams,
  type InitializeResult,
  type ReadParams,
  type RequestId,
  type StartParams,
  type WriteParams,
} from '../protocol/wire.ts';
import { defaultKnobs, type ServerKnobs } from './knobs.ts';
import type { ProcessLauncher } from './launcher.ts';
import { ServerLedger } from './ledger.ts';
import { ProcessTable } from './processTable.ts';
import { RpcFailure, invalidParams, invalidRequest } from './rpcFailure.ts';
import { SessionRegistry, type ServerSession } from './sessions.ts';

export const EXECUTOR_VERSION = '0.169.0';

export interface ExecServerOptions {
  launcher: ProcessLauncher;
  knobs?: ServerKnobs;
  ledger?: ServerLedger;
  detachedTtlMs?: number;
  /** More of `initialize`'s environmentInfo (a real server's shell, cwd, home...): codex 0.169's client refuses a server without `shell`. */
  environmentInfo?: Record<string, unknown>;
}

export class ExecServer {
  readonly knobs: ServerKnobs;
  readonly ledger: ServerLedger;
  readonly sessions: SessionRegistry;

  constructor(
    readonly ports: Ports,
    readonly options: ExecServerOptions,
  ) {
    this.knobs = options.knobs ?? defaultKnobs();
    this.ledger = options.ledger ?? new ServerLedger();
    this.sessions = new SessionRegistry(ports, this.ledger, options.detachedTtlMs);
  }

  /** A transport connection opened: `send` writes one frame to it. */
  connect(send: (frame: string) => void): ServerConnection {
    return new ServerConnection(this, send);
  }

  /** The `exit-watcher-lost` fault, server-wide. */
  /** The `exit-watcher-lost` fault: the ids of the processes it hit. */
  dropExitWatchers(): string[] {
    return this.sessions.all().flatMap((s) => s.processes.dropExitWatchers());
  }

  newSession(): ServerSession {
    const session: ServerSession = {
      id: this.sessions.newId(),
      processes: undefined as unknown as ProcessTable,
      sender: undefined,
      holder: undefined,
      ttlTimer: undefined,
    };
    session.processes = new ProcessTable({
      ports: this.ports,
      knobs: this.knobs,
      launcher: this.options.launcher,
      ledger: this.ledger,
      notify: (method, params) => {
        const send = session.sender;
        if (!send) return false; // detached: dropped; retained output keeps it for process/read
        send(encodeNotification(method, params));
        return true;
      },
    });
    this.sessions.add(session);
    return session;
  }
}

export class ServerConnection {
  private session: ServerSession | undefined;
  private ready = false;
  private open = true;

  constructor(
    private readonly server: ExecServer,
    private readonly send: (frame: string) => void,
  ) {}

  receive(data: string | Uint8Array): void {
    let messages;
    try {
      messages = decodeFrame(data);
    } catch (e) {
      this.reply(null, new RpcFailure(INVALID_REQUEST, e instanceof DecodeError ? e.message : String(e)));
      return;
    }
    for (const m of messages) {
      if (m.kind === 'request') void this.handle(m.id, m.method, m.params);
      else if (m.kind === 'notification') this.notification(m.method);
      // responses from the client: none are expected
    }
  }

  /** The transport is gone: the session is detached, not killed. */
  closed(): void {
    this.open = false;
    if (this.session) this.server.sessions.detach(this.session, this);
  }

  private notification(method: string): void {
    if (method === METHOD.initialized && this.session) {
      this.ready = true;
      return;
    }
    // Any other notification gets an error reply with id -1 (exec-server README).
    this.reply(-1, invalidRequest(`unexpected notification ${method}`));
  }

  private async handle(id: RequestId, method: string, params: unknown): Promise<void> {
    try {
      const result = await this.dispatch(method, (params ?? {}) as Record<string, unknown>);
      this.reply(id, undefined, result);
    } catch (e) {
      this.reply(id, e instanceof RpcFailure ? e : new RpcFailure(INTERNAL_ERROR, e instanceof Error ? e.message : String(e)));
    }
  }

  private async dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (method === METHOD.initialize) return this.initialize(params as unknown as InitializeParams);
    if (!this.session) throw invalidRequest('client must call initialize first');
    if (!this.ready) throw invalidRequest('client must send initialized first');
    const processes = this.session.processes;
    const processId = params.processId;
    if (typeof processId !== 'string' || processId.length === 0) throw invalidParams('processId must be a non-empty string');
    switch (method) {
      case METHOD.start:
        return processes.start(params as unknown as StartParams);
      case METHOD.read:
        return processes.read(params as unknown as ReadParams);
      case METHOD.write: {
        const w = params as unknown as WriteParams;
        if (typeof w.writeId !== 'string' || w.writeId.length === 0) throw invalidParams('writeId must be a non-empty string');
        return { status: processes.write(w) };
      }
      case METHOD.signal:
        processes.signal(processId);
        return {};
      case METHOD.terminate:
        return processes.terminate(processId);
      default:
        throw invalidRequest(`unknown method ${method}`);
    }
  }

  private initialize(params: InitializeParams): InitializeResult {
    if (this.session) throw invalidRequest('initialize was already called on this connection');
    if (typeof params.clientName !== 'string') throw invalidParams('clientName must be a string');
    const resume = params.resumeSessionId;
    const sessions = this.server.sessions;
    // Attach before answering: live notifications may reach the client before this response.
    this.session = resume ? sessions.resume(resume, this, this.send) : this.attachNew();
    this.server.ports.log('exec-server.initialize', { sessionId: this.session.id, resumed: Boolean(resume) });
    return { sessionId: this.session.id, environmentInfo: { executorVersion: EXECUTOR_VERSION, ...this.server.options.environmentInfo } };
  }

  private attachNew(): ServerSession {
    const s = this.server.newSession();
    s.holder = this;
    s.sender = this.send;
    return s;
  }

  private reply(id: RequestId | null, error?: RpcFailure, result?: unknown): void {
    if (!this.open) return;
    this.send(error ? encodeError(id, { code: error.code, message: error.message }) : encodeResult(id as RequestId, result));
  }
}
