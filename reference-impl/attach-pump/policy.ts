/**
 * The policy slots of the client pump: the decisions its variants differ on, and nowhere else.
 * `client/pump.ts` runs `attach_ws` and calls them; the base (`variants/pre627.ts`) is upstream as
 * it is (the parent of 5da30b52, whose Terminal path HEAD keeps); each variant overrides only the
 * slots its change touched (`defineVariant` in sim/ports/variant.ts), so `variants/<name>.ts`
 * reads like that PR. Every slot gets the pump: its ports, sink, ids, `connect`, `probe`, its
 * variant's `memory`, and the other slots (`p.policy`).
 */
import type { Variant, WsSocket } from '../../sim/ports/index.ts';
import type { Connected } from './client/api.ts';
import type { AttachPump, ExecResult, Next, SessionEnd, Terminal } from './client/pump.ts';
import type { ServerFrame } from './wire.ts';

export interface PumpPolicy {
  /** The attach URL (cursor attaches add their offsets). */
  attachPath(p: AttachPump): string;
  /** `attach_ws` when the first connect fails. */
  onConnectFailure(p: AttachPump, cause: string): Promise<Next>;
  /** The socket ended without an exit frame. */
  onDisconnect(p: AttachPump, cause: string): Promise<Next>;
  /** A disconnect whose probe said Terminal: take the probed code, or drain the backlog first (#627). */
  onTerminal(p: AttachPump, probe: Terminal, cause: string): Promise<Next>;
  /** An exit frame arrived. */
  onExitFrame(p: AttachPump, end: Extract<SessionEnd, { kind: 'exit' }>): Promise<Next>;
  /** Whether a failed reconnect is retried. */
  retries(p: AttachPump, c: Extract<Connected, { ok: false }>): Promise<boolean>;
  /** `emit_or_fallback`: the result when the pump gives up on the socket. */
  emitOrFallback(p: AttachPump, cause: string): Promise<ExecResult>;
  /** One output frame; a returned string ends the session as a disconnect with that cause. */
  onOutput(p: AttachPump, f: Extract<ServerFrame, { type: 'output' }>): string | undefined;
  /** A gap frame (cursor attaches only). */
  onGap(p: AttachPump, f: Extract<ServerFrame, { type: 'gap' }>): void;
  /**
   * The read timeout once a frame has been seen: `configured` is `WS_WATCHDOG` (45 s, or a test
   * double's); undefined: none fires (a ping tick that re-arms the read every 15 s wins).
   */
  watchdogMs(p: AttachPump, configured: number): number | undefined;
  /** A read timed out (first-frame timeout or watchdog): what becomes of the socket, before the probe. */
  onReadTimeout(p: AttachPump, socket: WsSocket): void;
}

export type PumpVariant = Variant<PumpPolicy>;
