/** The simulated network's listening servers: `host:port` to handler, with free-port allocation. */
import type { Kernel } from '../kernel.ts';
import type { Server, ServerHandler } from '../ports/net.ts';

export interface Listening {
  host: string;
  port: number;
  handler: ServerHandler;
}

export class Servers {
  private readonly byAddress = new Map<string, Listening>();
  private readonly nextPort = new Map<string, number>();

  constructor(private readonly kernel: Kernel) {}

  at(host: string, port: number): Listening | undefined {
    return this.byAddress.get(`${host}:${port}`);
  }

  listen(host: string, port: number, handler: ServerHandler): Promise<Server> {
    let p = port;
    if (p === 0) {
      p = this.nextPort.get(host) ?? 40_000;
      while (this.byAddress.has(`${host}:${p}`)) p++;
      this.nextPort.set(host, p + 1);
    }
    const key = `${host}:${p}`;
    if (this.byAddress.has(key)) {
      const err = Object.assign(new Error(`listen EADDRINUSE ${key}`), { code: 'EADDRINUSE' });
      return Promise.reject(err);
    }
    this.byAddress.set(key, { host, port: p, handler });
    this.kernel.record(host, 'net.listen', { port: p });
    const server: Server = {
      url: `ws://${host}:${p}`,
      port: p,
      close: () => {
        this.byAddress.delete(key);
        this.kernel.record(host, 'net.unlisten', { port: p });
        return Promise.resolve();
      },
    };
    return Promise.resolve(server);
  }
}
