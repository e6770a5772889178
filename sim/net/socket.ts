/**
 * One end of a simulated WebSocket connection. All behaviour lives in the network; the socket
 * holds its state and listeners.
 */
import { Emitter, type Kernel } from '../kernel.ts';
import { CONNECTING, OPEN, type ReadyState, type WsData, type WsSocket, type WsSocketEvents } from '../ports/net.ts';
import type { Task } from '../scheduler.ts';
import { unsendableClose } from './closeCodes.ts';

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
    // ws checks them only on an open socket (it returns earlier on the other states). It throws
    // after marking itself CLOSING; this socket stays open, so a target that catches can go on.
    if (this.readyState === OPEN) {
      const refused = unsendableClose(code, reason);
      if (refused) throw refused;
    }
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
