/**
 * The exec-server client: connection, handshake, per-process sessions and the recovery state
 * machine of #28512 (spec §2, "Transport loss and recovery"): Connected -> Recovering ->
 * Connected | Failed. On a disconnect it retries `initialize{resumeSessionId}` every 100 ms for
 * up to the recovery window (25 s in #28512, deliberately shorter than the server's 30 s TTL; no
 * window at all in codex 0.169, which retries until the server refuses the session), then reads
 * each live session from its last published seq and merges (recovery.ts); a merge error
 * terminates that process and fails its session. Past the window, or on a non-retryable error
 * (-32600 unknown session id: the server's detached TTL ran out), every session fails. Without a
 * reconnect strategy a disconnect fails every session at once.
 */
import { isNetError, type Ports } from '../../../sim/ports/index.ts';
import {
  fromBase64,
  METHOD,
  SESSION_ALREADY_ATTACHED,
  type InitializeResult,
  type ReadResult,
  type StartParams,
  type StartResult,
} from '../protocol/wire.ts';
import { PENDING_BYTES_MAX, PENDING_EVENTS_MAX } from './orderedEvents.ts';
import { recoverEvents } from './recovery.ts';
import { RpcCallError, RpcConnection, transportClosed } from './rpc.ts';
import { Session, type SessionOptions } from './session.ts';

export const RECOVERY_WINDOW_MS = 25_000;
export const RECOVERY_RETRY_MS = 100;

export interface ExecClientOptions {
  url: string;
  clientName: string;
  /** Resume after a disconnect (#28512); false: fail every session at once (stdio). */
  reconnect: boolean;
  /**
   * How long to retry the resume (the variant's policy slot, policy.ts); null: no client
   * deadline, each attempt bounded by the network's connect timeout, until the server answers
   * or refuses the session (codex 0.169).
   */
  recoveryWindowMs: number | null;
  session: SessionOptions;
}

export const DEFAULT_CLIENT_OPTIONS: Omit<ExecClientOptions, 'url'> = {
  clientName: 'codex',
  reconnect: true,
  recoveryWindowMs: RECOVERY_WINDOW_MS,
  session: {
    ordering: 'seq',
    pendingEventsMax: PENDING_EVENTS_MAX,
    pendingBytesMax: PENDING_BYTES_MAX,
    eventCapacity: 256,
    eventBytes: 1024 * 1024,
  },
};

type State = 'connected' | 'recovering' | 'failed';

export class ExecClient {
  state: State = 'connected';
  sessionId = '';
  private rpc!: RpcConnection;
  private readonly sessions = new Map<string, Session>();
  private recovered: Array<() => void> = [];

  private constructor(
    private readonly ports: Ports,
    readonly options: ExecClientOptions,
  ) {}

  static async connect(ports: Ports, options: ExecClientOptions): Promise<ExecClient> {
    const c = new ExecClient(ports, options);
    await c.open();
    return c;
  }

  /** Registers the session before `process/start`, so notifications that beat the response are kept. */
  async start(params: StartParams): Promise<Session> {
    const session = new Session(params.processId, this.host, this.options.session);
    this.sessions.set(params.processId, session);
    try {
      const r = await this.call<StartResult>(METHOD.start, params);
      session.sandboxType = r.sandboxType;
      return session;
    } catch (e) {
      this.sessions.delete(params.processId);
      throw e;
    }
  }

  /**
   * A request. `process/read` and `process/write` wait out a recovery and retry on transport loss
   * (client.rs); anything else (start, terminate) fails with the transport.
   */
  async call<T>(method: string, params: unknown): Promise<T> {
    const retries = method === METHOD.read || method === METHOD.write;
    for (;;) {
      if (this.state === 'failed') throw transportClosed();
      if (this.state === 'recovering') await new Promise<void>((r) => this.recovered.push(r));
      if ((this.state as State) === 'failed') throw transportClosed();
      try {
        return await this.rpc.request<T>(method, params);
      } catch (e) {
        if (!(e instanceof RpcCallError && e.transportClosed) || !this.options.reconnect || !retries) throw e;
        // The connection went while we thought it up: recover before retrying.
        if (this.state === 'connected' && !this.rpc.open) this.disconnected(this.rpc);
      }
    }
  }

  private readonly host = {
    call: <T>(method: string, params: unknown) => this.call<T>(method, params),
    detach: (processId: string) => void this.sessions.delete(processId),
    log: (kind: string, data: Record<string, unknown>) => this.ports.log(kind, data),
  };

  private async open(resumeSessionId?: string, timeoutMs?: number): Promise<void> {
    const socket = await this.ports.net.connect(this.options.url, timeoutMs !== undefined ? { timeoutMs } : {});
    // Only a connection that completed its handshake can be lost (and recovered).
    let live = false;
    const rpc = new RpcConnection(
      socket,
      (method, params) => this.route(method, params),
      () => {
        if (live) this.disconnected(rpc);
      },
    );
    this.rpc = rpc;
    let r: InitializeResult;
    try {
      r = await rpc.request<InitializeResult>(
        METHOD.initialize,
        resumeSessionId ? { clientName: this.options.clientName, resumeSessionId } : { clientName: this.options.clientName },
      );
    } catch (e) {
      rpc.close();
      throw e;
    }
    this.sessionId = r.sessionId;
    rpc.notify(METHOD.initialized, {});
    live = true;
    if (!rpc.open && this.state === 'connected') this.disconnected(rpc);
  }

  private route(method: string, params: unknown): void {
    const p = params as { processId?: string; seq?: number } | null;
    const session = p && typeof p.processId === 'string' ? this.sessions.get(p.processId) : undefined;
    if (!session || typeof p?.seq !== 'number') return; // unknown process ids are ignored
    const n = params as Record<string, unknown>;
    if (method === METHOD.output) {
      session.events.accept({ type: 'output', seq: p.seq, stream: n.stream as 'stdout', chunk: fromBase64(n.chunk as string) });
    } else if (method === METHOD.exited) {
      const denied = n.sandboxDenied;
      session.events.accept({
        type: 'exited',
        seq: p.seq,
        exitCode: n.exitCode as number,
        sandboxDenied: typeof denied === 'boolean' ? denied : null,
      });
    } else if (method === METHOD.closed) {
      session.events.accept({ type: 'closed', seq: p.seq });
    }
  }

  private disconnected(rpc: RpcConnection): void {
    if (rpc !== this.rpc || this.state !== 'connected') return;
    this.ports.log('exec-client.disconnected', { sessionId: this.sessionId });
    if (!this.options.reconnect) return this.fail('exec-server transport disconnected');
    this.state = 'recovering';
    void this.recover();
  }

  private async recover(): Promise<void> {
    const window = this.options.recoveryWindowMs;
    const deadline = window === null ? Infinity : this.ports.clock.now() + window;
    for (;;) {
      if ((this.state as State) === 'failed') return; // closed meanwhile
      const remaining = deadline - this.ports.clock.now();
      if (remaining <= 0) return this.fail('exec-server transport disconnected: could not resume the session within the recovery window');
      try {
        await this.open(this.sessionId, remaining === Infinity ? undefined : remaining);
      } catch (e) {
        const retryable = isNetError(e) || (e instanceof RpcCallError && (e.transportClosed || e.code === SESSION_ALREADY_ATTACHED));
        if (!retryable)
          return this.fail(`exec-server transport disconnected: resume failed: ${e instanceof Error ? e.message : String(e)}`);
        await this.ports.clock.sleep(Math.min(RECOVERY_RETRY_MS, Math.max(1, deadline - this.ports.clock.now())), 'resume-retry');
        continue;
      }
      this.ports.log('exec-client.resumed', { sessionId: this.sessionId });
      if (await this.recoverSessions()) break;
    }
    this.state = 'connected';
    for (const r of this.recovered.splice(0)) r();
    if (!this.rpc.open) this.disconnected(this.rpc);
  }

  /** Reads every live session from its last published seq and merges; false if the transport went again. */
  private async recoverSessions(): Promise<boolean> {
    for (const session of [...this.sessions.values()]) {
      const ev = session.events;
      if (ev.closedPublished || ev.failure !== undefined) continue;
      let error: string | undefined;
      try {
        const r = await this.rpc.request<ReadResult>(METHOD.read, {
          processId: session.processId,
          afterSeq: ev.lastPublishedSeq,
          maxBytes: null,
          waitMs: 0,
        });
        error = recoverEvents(ev, r);
      } catch (e) {
        if (e instanceof RpcCallError && e.transportClosed) return false;
        error = e instanceof Error ? e.message : String(e);
      }
      if (error !== undefined) {
        this.ports.log('exec-client.recover-failed', { processId: session.processId, error });
        void this.rpc.request(METHOD.terminate, { processId: session.processId }).catch(() => undefined);
        this.sessions.delete(session.processId);
        ev.setFailure(`failed to recover process ${session.processId}: ${error}`);
      }
    }
    return true;
  }

  /** Shuts the client down for good: no recovery, the connection closed (a caller that is done). */
  close(): void {
    if (this.state !== 'failed') this.fail('exec client closed');
    this.rpc.close();
  }

  /** `fail_all_sessions`. */
  private fail(message: string): void {
    this.state = 'failed';
    this.ports.log('exec-client.failed', { message });
    for (const s of this.sessions.values()) s.events.setFailure(message);
    this.sessions.clear();
    for (const r of this.recovered.splice(0)) r();
  }
}
