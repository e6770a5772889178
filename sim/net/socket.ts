/**
 * One end of a simulated WebSocket connection. All behaviour lives in the network; the socket
 * holds its state and listeners.
 */
import { Emitter, type Kernel } from '../kernel.ts';
import { CONNECTING, type ReadyState, type WsData, type WsSocket, type WsSocketEvents } from '../ports/net.ts';
import type { Task } from '../scheduler.ts';

export interface SocketOwner {
  send(end: SimSocket, data: WsData): boolean;
  close(end: SimSocket, code: number | undefined, reason: string): void;
}

export class SimSocket implements WsSocket {
  readyState: ReadyState = CONNECTING;
  closeTimer: Task | undefined;
  readonly events: Emitter<WsSocketEvents>;

  constructor(
    kernel: Kernel,
    private readonly owner: SocketOwner,
    readonly id: string,
    /** The host that holds this end. */
    readonly host: string,
    readonly side: 'client' | 'server',
  ) {
    this.events = new Emitter<WsSocketEvents>(kernel, () => host);
  }

  send(data: WsData): boolean {
    return this.owner.send(this, data);
  }

  close(code?: number, reason = ''): void {
    this.owner.close(this, code, reason);
  }

  on<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    this.events.on(event, listener);
    return this;
  }

  off<E extends keyof WsSocketEvents>(event: E, listener: WsSocketEvents[E]): this {
    this.events.off(event, listener);
    return this;
  }
}
