/**
 * Records every frame the validator's client sends and receives, whole, for the wire-level
 * conformance checks (seq discipline, nextSeq), and puts a one-line summary of each on the real
 * timeline.
 */
import { TappedSocket } from '../../net/tap.ts';
import type { ConnectOptions, HttpRequest, HttpResponse, Net, Server, ServerHandler, WsData, WsSocket } from '../../ports/net.ts';
import type { RealNet } from '../net.ts';
import type { RealTimeline } from '../ports.ts';

export interface WireFrame {
  t: number;
  dir: 'in' | 'out';
  message: Record<string, unknown> | undefined;
}

export class Wire {
  readonly frames: WireFrame[] = [];
  /** Called with every frame as it is recorded. */
  onFrame: ((f: WireFrame) => void) | undefined;
  constructor(private readonly timeline: RealTimeline) {}

  record(dir: 'in' | 'out', data: WsData): void {
    let message: Record<string, unknown> | undefined;
    try {
      message = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString()) as Record<string, unknown>;
    } catch {
      message = undefined;
    }
    const frame: WireFrame = { t: this.timeline.clock.now(), dir, message };
    this.frames.push(frame);
    this.onFrame?.(frame);
    const m = message ?? {};
    const params = (m.params ?? m.result ?? {}) as Record<string, unknown>;
    this.timeline.record('client', dir === 'in' ? 'wire.in' : 'wire.out', {
      ...(m.id !== undefined ? { id: m.id } : {}),
      ...(m.method !== undefined ? { method: m.method } : {}),
      ...(typeof params.seq === 'number' ? { seq: params.seq } : {}),
      ...(typeof params.nextSeq === 'number' ? { nextSeq: params.nextSeq } : {}),
      ...(typeof params.exitCode === 'number' ? { exitCode: params.exitCode } : {}),
      ...(m.error !== undefined ? { error: m.error } : {}),
    });
  }
}

/** A Net that records every frame of the sockets it opens, and can drop them all at the end. */
export class RecordingNet implements Net {
  private readonly sockets: WsSocket[] = [];
  constructor(
    private readonly inner: RealNet,
    private readonly wire: Wire,
  ) {}
  async connect(url: string, options?: ConnectOptions): Promise<WsSocket> {
    const s = new TappedSocket(await this.inner.connect(url, options), (dir, d) => this.wire.record(dir, d));
    this.sockets.push(s);
    return s;
  }
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.inner.request(req);
  }
  listen(port: number, handler: ServerHandler): Promise<Server> {
    return this.inner.listen(port, handler);
  }
  closeAll(): void {
    for (const s of this.sockets) s.close(1000, 'validator done');
  }
}
