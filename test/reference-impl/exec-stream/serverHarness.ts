/**
 * Drives the exec-server over a raw simulated WebSocket, frame by frame, the way a validator
 * drives the real binary: requests by id, notifications kept in arrival order as raw text.
 */
import { Inbox, type Ports, type ProcessScript, type WsSocket } from '../../../sim/ports/index.ts';
import { createWorld, type World } from '../../../sim/world.ts';
import { ExecServer } from '../../../reference-impl/exec-stream/server/execServer.ts';
import { defaultKnobs, type ServerKnobs } from '../../../reference-impl/exec-stream/server/knobs.ts';
import { scriptedLauncher } from '../../../reference-impl/exec-stream/server/launcher.ts';
import { listenExecServer } from '../../../reference-impl/exec-stream/server/wsServer.ts';
import type { SandboxType } from '../../../reference-impl/exec-stream/protocol/wire.ts';

export interface Harness {
  world: World;
  server: ExecServer;
  client: Ports;
  serverPorts: Ports;
}

export function harness(
  seed: number,
  scripts: Record<string, { script: ProcessScript; sandboxType?: SandboxType }>,
  knobs: Partial<ServerKnobs> = {},
): Harness {
  const world = createWorld({ seed, net: { latencyMsMin: 1, latencyMsMax: 1 } });
  const serverPorts = world.host('exec-server');
  const client = world.host('client');
  const server = new ExecServer(serverPorts, {
    knobs: { ...defaultKnobs(), ...knobs },
    launcher: scriptedLauncher(serverPorts.proc, (p) => {
      const s = scripts[p.argv[0] as string];
      return s ? { script: s.script, sandboxType: s.sandboxType ?? 'none', name: 'job' } : undefined;
    }),
  });
  world.spawn('exec-server', () => listenExecServer(serverPorts.net, 4000, server).then(() => undefined), { daemon: true });
  return { world, server, client, serverPorts };
}

/** A raw JSON-RPC peer: frames as text. */
export class RawPeer {
  readonly notifications: string[] = [];
  readonly frames: string[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number | string, (frame: string) => void>();
  private readonly inbox: Inbox;
  closed = false;

  private constructor(
    private readonly ports: Ports,
    readonly socket: WsSocket,
  ) {
    this.inbox = new Inbox(socket);
    void this.pump();
  }

  static async connect(ports: Ports): Promise<RawPeer> {
    return new RawPeer(ports, await ports.net.connect('ws://exec-server:4000'));
  }

  private async pump(): Promise<void> {
    for (;;) {
      const item = await this.inbox.next();
      if (item.type === 'close') {
        this.closed = true;
        return;
      }
      const text = String(item.data);
      this.frames.push(text);
      const msg = JSON.parse(text) as { id?: number | string; method?: string };
      if (msg.method !== undefined) this.notifications.push(text);
      else if (msg.id !== undefined) this.waiting.get(msg.id)?.(text);
    }
  }

  sendRaw(frame: string): void {
    this.socket.send(frame);
  }

  /** Sends a request and resolves with the raw response frame. */
  request(method: string, params: unknown): Promise<string> {
    const id = this.nextId++;
    const p = new Promise<string>((resolve) => this.waiting.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    return p;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    params: unknown,
  ): Promise<{ result?: T; error?: { code: number; message: string } }> {
    return JSON.parse(await this.request(method, params)) as { result?: T; error?: { code: number; message: string } };
  }

  async handshake(resumeSessionId?: string): Promise<string> {
    const r = await this.call<{ sessionId: string }>(
      'initialize',
      resumeSessionId ? { clientName: 'probe', resumeSessionId } : { clientName: 'probe' },
    );
    if (!r.result) throw new Error(`initialize failed: ${JSON.stringify(r.error)}`);
    this.socket.send(JSON.stringify({ method: 'initialized', params: {} }));
    return r.result.sessionId;
  }

  /** Waits until `n` notifications arrived (or `ms` passed). */
  async notificationsUntil(n: number, ms = 5_000): Promise<string[]> {
    const end = this.ports.clock.now() + ms;
    while (this.notifications.length < n && this.ports.clock.now() < end) await this.ports.clock.sleep(5, 'poll');
    return this.notifications;
  }
}

export const START = (processId: string, prog: string, extra: Record<string, unknown> = {}) => ({
  processId,
  argv: [prog],
  cwd: 'file:///tmp',
  env: {},
  tty: false,
  pipeStdin: false,
  arg0: null,
  ...extra,
});

/** Runs a test body as the client actor and the world to its end; rethrows the body's error. */
export async function inWorld(h: Harness, body: () => Promise<void>, untilMs = 600_000): Promise<void> {
  let failure: unknown;
  let done = false;
  h.world.spawn('test', async () => {
    try {
      await body();
    } catch (e) {
      failure = e;
    } finally {
      done = true;
    }
  });
  await h.world.run(untilMs);
  if (failure) throw failure;
  if (!done) throw new Error(`test body did not finish (world errors: ${JSON.stringify(h.world.errors)})`);
}
