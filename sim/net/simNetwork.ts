/**
 * The simulated network (fault model in network.ts): WebSocket connections (wsConnect.ts,
 * wsTransport.ts), HTTP requests (simHttp.ts) and listening servers (servers.ts), on one kernel
 * and one `net` random stream.
 */
import type { FaultToken, Kernel } from '../kernel.ts';
import type { Net } from '../ports/net.ts';
import type { Rng } from '../rng.ts';
import type { Endpoints } from './address.ts';
import type { Dir } from './connections.ts';
import type { NetOptions, Network } from './network.ts';
import { FaultRules, type RefuseRule } from './rules.ts';
import { Servers } from './servers.ts';
import { SimHttp } from './simHttp.ts';
import { connectWs } from './wsConnect.ts';
import { WsTransport } from './wsTransport.ts';

/** What the parts of the simulated network share. */
export interface SimNetEnv {
  readonly kernel: Kernel;
  readonly options: NetOptions;
  readonly rules: FaultRules;
  readonly servers: Servers;
  /** One leg's latency between these endpoints, now: a draw from `net` plus any lag window. */
  delay(ep: Endpoints): number;
}

export class SimNetwork implements Network {
  private readonly env: SimNetEnv;
  private readonly ws: WsTransport;
  private readonly http: SimHttp;

  constructor(
    kernel: Kernel,
    rng: Rng,
    readonly options: NetOptions,
  ) {
    const rules = new FaultRules();
    // a lag that holds a frame took effect on that link (one function per network, not one per frame)
    const lagged = (fault: FaultToken, ep: Endpoints): void => kernel.faultEffect(fault, `${ep.from}->${ep.to}`);
    this.env = {
      kernel,
      options,
      rules,
      servers: new Servers(kernel),
      delay: (ep) => {
        const jitter = rng.int(options.latencyMsMin, options.latencyMsMax);
        return jitter + rules.extraMs(ep, kernel.now(), lagged);
      },
    };
    this.ws = new WsTransport(this.env);
    this.http = new SimHttp(this.env);
  }

  /** The Net port of one host. */
  port(host: string): Net {
    return {
      connect: (url, options) => connectWs(this.env, this.ws, host, url, options),
      request: (req) => this.http.request(host, req),
      listen: (port, handler) => this.env.servers.listen(host, port, handler),
    };
  }

  cut(target: string): void {
    this.ws.cut(target);
  }

  cutAfterFrames(target: string, frames: number, dir: Dir): void {
    this.ws.table.cutAfterFrames(target, frames, dir, this.env.kernel.applying);
  }

  halfOpen(target: string, closeAfterMs: number | undefined): void {
    this.ws.halfOpen(target, closeAfterMs);
  }

  lag(target: string, durationMs: number, extraMs: number): void {
    this.env.rules.lag(target, this.env.kernel.now() + durationMs, extraMs, this.env.kernel.applying);
  }

  refuse(rule: RefuseRule): void {
    const fault = rule.fault ?? this.env.kernel.applying;
    this.env.rules.refuse(fault ? { ...rule, fault } : rule);
  }

  proxyClose(target: string, code: number, reason: string): void {
    this.ws.proxyClose(target, code, reason);
  }

  heal(): void {
    this.env.rules.heal();
    this.ws.table.heal();
  }

  openConnections(): string[] {
    return this.ws.openConnections();
  }

  connectionIds(): string[] {
    return this.ws.table.all().map((c) => c.id);
  }
}
