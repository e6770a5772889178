/**
 * `execsim serve`: the reference exec-server on real WebSockets (loopback) running real commands,
 * through the same protocol code the simulator runs. It prints its URL on stdout when ready, as
 * the codex binary does, and on SIGINT/SIGTERM stops every child process group it started.
 */
import { homedir, tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExecServer, type ExecServerOptions } from '../../reference-impl/exec-stream/server/execServer.ts';
import type { ProcessLauncher } from '../../reference-impl/exec-stream/server/launcher.ts';
import { listenExecServer } from '../../reference-impl/exec-stream/server/wsServer.ts';
import type { Fault } from '../faults/fault.ts';
import type { Server } from '../ports/net.ts';
import { RealClock } from './clock.ts';
import { DilatedClock } from './dilatedClock.ts';
import { watchParent } from './parentWatch.ts';
import { killGroup, launch, type RealProcess } from './proc.ts';
import { realPorts, RealTimeline } from './ports.ts';
import type { FaultArming } from './serverFaults.ts';

/** Spawns `argv` for real; every child gets its own process group. */
export function realLauncher(children: Set<RealProcess>): ProcessLauncher {
  return {
    launch(params) {
      const cwd = fileURLToPath(params.cwd);
      const child = launch({ argv: params.argv, cwd, env: params.env, pipeStdin: params.pipeStdin ?? false }, params.argv[0] ?? 'process');
      children.add(child);
      void child.closed().then(() => children.delete(child));
      return { handle: child, sandboxType: 'none' };
    },
  };
}

/**
 * What a real server says about its host in `initialize` (the fields codex 0.169's client reads:
 * it refuses a server whose environmentInfo has no `shell`; observed from the real executor).
 */
export function hostEnvironmentInfo(): Record<string, unknown> {
  const shellPath = process.env.SHELL || '/bin/sh';
  return {
    shell: { name: shellPath.split('/').pop() ?? 'sh', path: shellPath },
    cwd: pathToFileURL(process.cwd()).href,
    userHomeDir: pathToFileURL(homedir()).href,
    platformOs: process.platform,
    prependPathDirs: [],
    temporaryDirectories: [],
    tempDir: pathToFileURL(tmpdir()).href,
    capabilities: {},
  };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  /** Scale the detached-session TTL (ms) for quick real runs; default upstream's 30 s. */
  detachedTtlMs?: number;
  /** Runs the server's clock this many times faster than the wall (a validator's dilated run); default 1. */
  timeFactor?: number;
  /** A hook to change the server (the broken-executor fixtures use it). */
  configure?(options: ExecServerOptions): ExecServerOptions;
  /** exec-stream's server-side fault kinds (serverFaults.ts), `at` ms after the first process/start. */
  faults?: readonly Fault[];
}

export async function serveReference(opts: ServeOptions): Promise<RunningServer> {
  const factor = opts.timeFactor ?? 1;
  const timeline = new RealTimeline(factor === 1 ? new RealClock() : new DilatedClock(factor));
  const ports = realPorts('exec-server', timeline);
  const children = new Set<RealProcess>();
  let arming: FaultArming | undefined;
  const real = realLauncher(children);
  let options: ExecServerOptions = {
    launcher: {
      launch(params) {
        arming?.onStart();
        return real.launch(params);
      },
    },
    environmentInfo: hostEnvironmentInfo(),
    ...(opts.detachedTtlMs !== undefined ? { detachedTtlMs: opts.detachedTtlMs } : {}),
  };
  if (opts.configure) options = opts.configure(options);
  const server = new ExecServer(ports, options);
  // loaded only when asked for: it brings the target's fault kinds (and the simulator's schemas)
  if (opts.faults?.length)
    arming = (await import('./serverFaults.ts')).armServerFaults(server, opts.faults, {
      clock: timeline.clock,
      record: (kind, data) => timeline.record('exec-server', kind, data),
      onError: (m) => process.stderr.write(`execsim serve: ${m}\n`),
    });
  const listening: Server = await listenExecServer(ports.net, opts.port, server);
  return {
    url: listening.url,
    stop: async () => {
      arming?.dispose();
      for (const c of children) killGroup(c.pid, 'SIGKILL');
      await listening.close();
      ports.net.closeAll();
    },
  };
}

/**
 * Runs until SIGINT/SIGTERM, or until the process that started it dies (a validator or a test
 * killed with SIGKILL, which cannot stop it: it would be left behind with its port and its
 * children), printing the URL when ready. Each way it stops every child it started.
 */
export async function serveForever(opts: ServeOptions, print: (line: string) => void): Promise<number> {
  const s = await serveReference(opts);
  print(`${s.url}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number) => () => {
      if (stopping) return;
      stopping = true;
      unwatch();
      void s.stop().then(() => resolve(code));
    };
    // 129, as for SIGHUP: the parent went away
    const unwatch = watchParent(stop(129));
    process.once('SIGINT', stop(130));
    process.once('SIGTERM', stop(143));
  });
}
