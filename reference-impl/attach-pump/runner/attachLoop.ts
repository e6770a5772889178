/**
 * `runAttachLoop` (boxlite_exec_attach.go): one attached WebSocket. It subscribes to both buses
 * (snapshot + live), runs a pump per stream, reads the client (stdin, control, pongs), pings every
 * 15 s and tears down when the read deadline (45 s without a pong or any read) passes.
 * - Done: unsubscribe; the pumps drain what their channels hold; at most 2 s later, drained →
 *   exit frame + Close 1000, else Close 1011 "pump drain timed out" and no exit frame.
 * - Failure (read error, pong timeout, write error): Close 1001, no exit frame.
 * Either way the loop then unsubscribes and marks itself disconnected; until then the exec's
 * single-attach slot stays taken and a new attach gets 409.
 */
import { TIMED_OUT, withTimeout, type Ports, type TimerHandle, type WsData, type WsSocket } from '../../../sim/ports/index.ts';
import { RUNNER } from '../constants.ts';
import { PING, PONG, STREAMS, exitFrame, errorFrame, gapFrame, outputFrame, type StreamName, type Totals } from '../wire.ts';
import { ConnWriter } from './connWriter.ts';
import type { ManagedExec } from './execManager.ts';
import { EMPTY, type Subscription } from './streamBus.ts';

/** What the environment decides, outside the loop's control (faults in a simulation). */
export interface RunnerHooks {
  /** Until when writes to this socket block: a peer that does not read (default: never). */
  writesBlockedUntil(socketId: string): number;
  /** A faulty runner: this loop reaches Done and goes silent (no exit frame, no close). */
  muteExit(execId: string): boolean;
}

export const HEALTHY: RunnerHooks = { writesBlockedUntil: () => 0, muteExit: () => false };

export class AttachLoop {
  private state: 'streaming' | 'done' | 'ended' = 'streaming';
  /** `loopCtx` cancelled: pumps stop at their next item. */
  private cancelled = false;
  private lastReadAt: number;
  private readonly writer: ConnWriter;
  private subs: Subscription[] = [];
  private pumpsDone: Promise<void> = Promise.resolve();
  private keepalive: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;

  constructor(
    private readonly ports: Ports,
    private readonly hooks: RunnerHooks,
    private readonly exec: ManagedExec,
    private readonly socket: WsSocket,
    private readonly subscriberChunksMax: number,
    /** Cursor extension: resume each stream at this offset and send positioned frames. */
    private readonly cursor: Totals | undefined,
  ) {
    this.lastReadAt = ports.clock.now();
    this.writer = new ConnWriter(ports.clock, socket, (id) => hooks.writesBlockedUntil(id));
  }

  start(): void {
    this.subs = STREAMS.map((s) => this.exec.bus(s).subscribe(this.subscriberChunksMax, this.cursor?.[s]));
    this.pumpsDone = Promise.all(STREAMS.map((s, i) => this.pump(s, this.subs[i] as Subscription))).then(() => undefined);
    this.socket.on('message', (data, isBinary) => this.onRead(data, isBinary));
    this.socket.on('close', (code) => this.fail(`read client frame: closed (${code})`));
    this.armKeepalive();
    this.armDeadline(RUNNER.pongWaitMs);
    this.exec.onDone(() => void this.onDone());
  }

  private async pump(stream: StreamName, sub: Subscription): Promise<void> {
    for (;;) {
      let item = sub.poll();
      if (item === EMPTY) item = await sub.next();
      if (item === undefined || this.cancelled) return;
      const frame: WsData =
        item.kind === 'gap' ? gapFrame(stream, item.from, item.to) : outputFrame(stream, item.data, this.cursor ? item.offset : undefined);
      if (!(await this.writer.write(frame))) {
        this.fail(`write ${stream} frame`);
        return;
      }
    }
  }

  private onRead(data: WsData, isBinary: boolean): void {
    if (this.state === 'ended') return;
    this.lastReadAt = this.ports.clock.now();
    if (data === PONG) return;
    if (isBinary) {
      this.exec.proc.stdin(data);
      return;
    }
    const type = parseType(data);
    if (type === 'stdin_eof') this.exec.proc.closeStdin();
    else if (type !== 'resize' && type !== 'signal') void this.writer.write(errorFrame(`unknown control type ${JSON.stringify(type)}`));
  }

  /** The Done branch of the main select. */
  private async onDone(): Promise<void> {
    if (this.state !== 'streaming') return;
    this.state = 'done';
    for (const [i, s] of STREAMS.entries()) this.exec.bus(s).cancel(this.subs[i] as Subscription);
    const drained = (await withTimeout(this.ports.clock, this.pumpsDone, RUNNER.drainMs, 'pump drain')) !== TIMED_OUT;
    if (this.hooks.muteExit(this.exec.id)) {
      this.ports.log('runner.mute-exit', { exec: this.exec.id, socket: this.socket.id });
      this.end(false);
      return;
    }
    if (drained) {
      await this.writer.write(exitFrame(this.exec.exitCode, this.exec.totals()));
      await this.writer.write({ close: 1000, reason: '' });
    } else {
      this.ports.log('runner.drain-timeout', { exec: this.exec.id, socket: this.socket.id });
      await this.writer.write({ close: 1011, reason: 'pump drain timed out' });
    }
    this.end(true);
  }

  /** `fail`: cancels the loop; outside Done, the defers close with 1001 and free the slot. */
  private fail(reason: string): void {
    if (this.cancelled || this.state === 'ended') return;
    this.cancelled = true;
    for (const [i, s] of STREAMS.entries()) this.exec.bus(s).cancel(this.subs[i] as Subscription);
    if (this.state !== 'streaming') return; // the Done branch finishes on its own
    this.state = 'done';
    this.ports.log('runner.attach-failed', { exec: this.exec.id, socket: this.socket.id, reason });
    void this.writer.write({ close: 1001, reason: '' }).then(() => this.end(true));
  }

  /** The defers: conn.Close, unsubscribe, MarkDisconnected. */
  private end(closeSocket: boolean): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.cancelled = true;
    this.ports.clock.clearTimeout(this.keepalive);
    this.ports.clock.clearTimeout(this.deadline);
    if (closeSocket) this.socket.close(1001, '');
    this.exec.markDisconnected(this.ports.clock.now());
  }

  private armKeepalive(): void {
    this.keepalive = this.ports.clock
      .setTimeout(
        () => {
          if (this.state === 'ended') return;
          // A ticker goroutine blocked on writeMu misses ticks.
          if (!this.writer.busy)
            void this.writer.write(PING).then((ok) => {
              if (!ok) this.fail('ping write');
            });
          this.armKeepalive();
        },
        RUNNER.keepaliveMs,
        'keepalive',
      )
      .unref();
  }

  /** The read deadline, re-armed lazily: one timer per 45 s, not one per read. */
  private armDeadline(ms: number): void {
    this.deadline = this.ports.clock
      .setTimeout(
        () => {
          if (this.state === 'ended') return;
          const due = this.lastReadAt + RUNNER.pongWaitMs;
          const now = this.ports.clock.now();
          if (now >= due) this.fail('read deadline (no pong for 45 s)');
          else this.armDeadline(due - now);
        },
        ms,
        'pong deadline',
      )
      .unref();
  }
}

function parseType(data: WsData): unknown {
  try {
    const v = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString()) as { type?: unknown };
    return v?.type;
  } catch {
    return undefined;
  }
}
