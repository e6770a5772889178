/**
 * Server sessions (spec §1.2, #28512): a session outlives its connection. When the connection
 * drops the session is detached (its notifications are dropped; retained output keeps them for
 * `process/read`) and can be resumed with `resumeSessionId` for DETACHED_SESSION_TTL (30 s, raised
 * from 10 s by #28512); then its processes are terminated and the id is forgotten.
 */
import type { Ports } from '../../../sim/ports/index.ts';
import { SESSION_ALREADY_ATTACHED } from '../protocol/wire.ts';
import type { ServerLedger } from './ledger.ts';
import type { ProcessTable } from './processTable.ts';
import { RpcFailure, invalidRequest } from './rpcFailure.ts';

export const DETACHED_SESSION_TTL_MS = 30_000;

export interface ServerSession {
  readonly id: string;
  processes: ProcessTable;
  /** The attached connection's frame sender; undefined while detached. */
  sender: ((frame: string) => void) | undefined;
  /** Which connection holds it (an opaque token). */
  holder: object | undefined;
  ttlTimer: ReturnType<Ports['clock']['setTimeout']> | undefined;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ServerSession>();

  constructor(
    private readonly ports: Ports,
    private readonly ledger: ServerLedger,
    private readonly ttlMs = DETACHED_SESSION_TTL_MS,
  ) {}

  /** A new id, drawn from the host's random stream (uuid-shaped). */
  newId(): string {
    const r = this.ports.random;
    const hex = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += r.int(0, 15).toString(16);
      return s;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[r.int(0, 3)]}${hex(3)}-${hex(12)}`;
  }

  add(session: ServerSession): void {
    this.sessions.set(session.id, session);
  }

  /** Resume: -32600 for an unknown or expired id, -32010 while another connection holds it. */
  resume(id: string, holder: object, sender: (frame: string) => void): ServerSession {
    const s = this.sessions.get(id);
    if (!s) throw invalidRequest(`unknown session id ${id}`);
    if (s.holder !== undefined && s.holder !== holder) throw new RpcFailure(SESSION_ALREADY_ATTACHED, `session ${id} is already attached`);
    this.ports.clock.clearTimeout(s.ttlTimer);
    s.ttlTimer = undefined;
    s.holder = holder;
    s.sender = sender;
    this.ports.log('exec-server.resume', { sessionId: id });
    return s;
  }

  detach(s: ServerSession, holder: object): void {
    if (s.holder !== holder) return;
    s.holder = undefined;
    s.sender = undefined;
    this.ports.log('exec-server.detach', { sessionId: s.id });
    s.ttlTimer = this.ports.clock
      .setTimeout(
        () => {
          if (this.sessions.get(s.id) !== s || s.holder !== undefined) return;
          this.sessions.delete(s.id);
          s.processes.terminateAll();
          this.ledger.expiredSessions.push({ t: this.ports.clock.now(), sessionId: s.id });
          this.ports.log('exec-server.session-expired', { sessionId: s.id });
        },
        this.ttlMs,
        'detached-ttl',
      )
      .unref();
  }

  /** Every live session, for faults that act on the whole server. */
  all(): ServerSession[] {
    return [...this.sessions.values()];
  }
}
