/**
 * `attach_ws` + `attach_ws_pump` (litebox.rs) as upstream had them before PR #627 (the parent of
 * 5da30b52). The decisions the variants differ on are the slots of `../policy.ts`, called where
 * marked "slot"; upstream's own are the base, `../variants/pre627.ts` (the `pre-627` variant).
 *
 * - The first connect failing goes straight to `emit_or_fallback` (no output is ever streamed).
 * - A session reads with a 10 s first-frame timeout (sticky across reconnects), then a 45 s
 *   watchdog; any frame (ping included) resets it. Binary frames are decoded per frame with
 *   `from_utf8_lossy`; an exit frame is the result; an error frame is remembered.
 * - A disconnect probes: Terminal → the probed code is the result (the runner's backlog is never
 *   read again: #627); Gone → `emit_or_fallback`; StillRunning/Unavailable → reconnect loop.
 * - Reconnect loop: the sleep precedes every connect (15 s, doubling to 30 s per failure, reset
 *   per episode); only sleep time is taken from the 270 s budget, shared and never refilled;
 *   any connect failure (404 included) retries; an empty budget → `emit_or_fallback`.
 * - `emit_or_fallback`: a fresh 5 s probe; Terminal → {probed code, no error} (at 5da30b52; #804
 *   later adds the cause), else {-1, cause}.
 * Exactly one result, always.
 */
import { TIMED_OUT, type Ports, type WsSocket } from '../../../sim/ports/index.ts';
import { CLIENT } from '../constants.ts';
import type { PumpPolicy } from '../policy.ts';
import { PONG, parseServerFrame, type StreamName, type Totals } from '../wire.ts';
import type { ApiClient, Connected } from './api.ts';
import { probeExecutionStatus, type Probe } from './probe.ts';
import { FrameReader } from './reader.ts';

/** `ExecResult`: exactly one per execution. */
export interface ExecResult {
  exitCode: number;
  errorMessage?: string;
}

/** The `Execution` handle's channels, as the user sees them. */
export interface ExecSink {
  /** A chunk of a stream; `offset` when the protocol carries positions (cursor attaches). */
  output(stream: StreamName, data: Uint8Array, offset?: number): void;
  /** An explicit message that output is missing (a gap) or something failed. */
  notice(kind: 'gap' | 'error', stream: StreamName | undefined, message: string): void;
  result(r: ExecResult): void;
}

export type Next =
  | { to: 'result'; result: ExecResult }
  | { to: 'session'; socket: WsSocket }
  | { to: 'reconnect'; cause: string }
  | { to: 'fallback'; cause: string };

export type SessionEnd = { kind: 'exit'; exitCode: number; totals?: Totals } | { kind: 'disconnect'; cause: string };
export type Terminal = Extract<Probe, { kind: 'terminal' }>;

// ignoreBOM keeps a leading U+FEFF, as from_utf8_lossy does (the default would strip it)
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** What a variant remembers across one `attach_ws` call; upstream's pump remembers none of it. */
export interface PumpMemory {
  /** #627's `terminal_drain_attempted`: the one drain re-attach has been made. */
  drainAttempted: boolean;
  /** Cursor attaches: the bytes of each stream delivered so far. */
  cursor: Totals;
}

/** Constants a test double may inject instead of the source's (issue 12); not a variant slot. */
export interface PumpTimers {
  /** `WS_WATCHDOG` (default 45 s). */
  watchdogMs?: number;
}

export class AttachPump {
  readonly memory: PumpMemory = { drainAttempted: false, cursor: { stdout: 0, stderr: 0 } };
  private budgetMs: number = CLIENT.reconnectBudgetMs;
  private firstFrameSeen = false;
  private lastErrorMessage: string | undefined;
  private attaches = 0;

  constructor(
    readonly ports: Ports,
    private readonly api: ApiClient,
    readonly box: string,
    readonly execId: string,
    readonly sink: ExecSink,
    readonly policy: PumpPolicy,
    /** Timers a test double retunes (tests of the oracle, issue 12); the source's when absent. */
    private readonly timers: PumpTimers = {},
  ) {}

  /** `attach_ws`: connect, pump, and emit exactly one result. */
  async run(): Promise<void> {
    const first = await this.connect();
    let next: Next = first.ok
      ? { to: 'session', socket: first.socket }
      : await this.policy.onConnectFailure(this, `WS connect failed: ${first.error.message}`);
    for (;;) {
      switch (next.to) {
        case 'result':
          this.ports.log('pump.result', { exitCode: next.result.exitCode, error: next.result.errorMessage ?? null });
          this.sink.result(next.result);
          return;
        case 'session': {
          const end = await this.session(next.socket);
          next = end.kind === 'exit' ? await this.policy.onExitFrame(this, end) : await this.policy.onDisconnect(this, end.cause);
          break;
        }
        case 'reconnect':
          next = await this.reconnect(next.cause);
          break;
        case 'fallback':
          next = { to: 'result', result: await this.policy.emitOrFallback(this, next.cause) };
          break;
      }
    }
  }

  async connect(): Promise<Connected> {
    const n = ++this.attaches;
    const c = await this.api.connectWs(this.policy.attachPath(this));
    if (c.ok) this.ports.log('pump.attached', { attach: n, socket: c.socket.id });
    else this.ports.log('pump.attach-failed', { attach: n, kind: c.error.kind, status: c.error.status ?? null });
    return c;
  }

  probe(): Promise<Probe> {
    return probeExecutionStatus(this.api, this.box, this.execId).then((p) => {
      this.ports.log('pump.probe', { outcome: p.kind, exitCode: p.kind === 'terminal' ? p.exitCode : null });
      return p;
    });
  }

  private async reconnect(cause: string): Promise<Next> {
    let backoffMs: number = CLIENT.backoffInitialMs;
    for (;;) {
      if (this.budgetMs <= 0) {
        this.ports.log('pump.budget-exhausted', { cause });
        return { to: 'fallback', cause };
      }
      const sleepMs = Math.min(backoffMs, this.budgetMs);
      await this.ports.clock.sleep(sleepMs, 'reconnect backoff');
      this.budgetMs -= sleepMs;
      const c = await this.connect();
      if (c.ok) return { to: 'session', socket: c.socket };
      if (!(await this.policy.retries(this, c))) return { to: 'fallback', cause };
      backoffMs = Math.min(backoffMs * 2, CLIENT.backoffMaxMs);
    }
  }

  /** One socket: read until an exit frame or a disconnect. */
  private async session(socket: WsSocket): Promise<SessionEnd> {
    const reader = new FrameReader(this.ports.clock, socket);
    try {
      return await this.read(socket, reader);
    } finally {
      reader.stop();
    }
  }

  private async read(socket: WsSocket, reader: FrameReader): Promise<SessionEnd> {
    for (;;) {
      const timeoutMs = this.firstFrameSeen
        ? this.policy.watchdogMs(this, this.timers.watchdogMs ?? CLIENT.watchdogMs)
        : CLIENT.firstFrameTimeoutMs;
      const item = await reader.next(timeoutMs ?? Infinity);
      if (item === TIMED_OUT) {
        this.policy.onReadTimeout(this, socket); // slot
        return { kind: 'disconnect', cause: 'no WS traffic for watchdog interval (likely connection idle timeout or proxy cut)' };
      }
      if (item.type === 'close') {
        if (item.code === 1006) return { kind: 'disconnect', cause: 'WS stream read error: connection reset' };
        return {
          kind: 'disconnect',
          cause: this.lastErrorMessage ?? 'WS closed before exit frame (likely connection idle timeout or proxy cut)',
        };
      }
      this.firstFrameSeen = true;
      const f = parseServerFrame(item.data, item.isBinary);
      switch (f.type) {
        case 'ping':
          socket.send(PONG);
          break;
        case 'output': {
          const broken = this.policy.onOutput(this, f);
          if (broken !== undefined) {
            socket.close(1001, 'client dropped the socket');
            return { kind: 'disconnect', cause: broken };
          }
          break;
        }
        case 'exit':
          return f.totals ? { kind: 'exit', exitCode: f.exitCode, totals: f.totals } : { kind: 'exit', exitCode: f.exitCode };
        case 'error':
          this.lastErrorMessage = f.message;
          break;
        case 'gap':
          this.policy.onGap(this, f);
          break;
        case 'ignored':
          break;
      }
    }
  }
}

/** `String::from_utf8_lossy` per frame, back to the bytes the user's String holds (#1155). */
export function lossy(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length; i++) if ((data[i] as number) >= 0x80) return encoder.encode(decoder.decode(data));
  return data;
}
