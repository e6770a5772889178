/**
 * Starting and stopping the executor under validation. The command template gets a free
 * loopback port for `{port}`; it runs in its own process group so that stopping it (at the end,
 * on an error, on Ctrl-C) stops every child it started; every wait is bounded; and an executor
 * that will not start is reported with the tail of its stderr.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { ExecsimError } from '../../errors.ts';
import { killGroup, RealProc, spawnGroup } from '../proc.ts';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

/** Refuses a command that would listen on or dial anything but loopback. */
export function checkLoopbackCommand(template: string): void {
  if (!template.includes('{port}')) {
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `--executor: the command must contain {port}, where the validator puts a free loopback port: ${JSON.stringify(template)}`,
    );
  }
  for (const m of template.matchAll(/\b(?:wss?|https?|tcp):\/\/(\[[^\]]+\]|[^\s:/'"]+)/g)) {
    const host = m[1] as string;
    if (!LOOPBACK_HOSTS.includes(host)) {
      throw new ExecsimError(
        'EXECSIM_USAGE',
        `--executor: real-network mode talks to loopback only; the command names ${host} (use 127.0.0.1)`,
      );
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live (not zombie) processes of a process group. */
export function groupMembers(pgid: number): number[] {
  return new RealProc()
    .list()
    .filter((p) => p.pgrp === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port }, () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
    c.setTimeout(1_000, () => {
      c.destroy();
      resolve(false);
    });
  });
}

export interface RunningExecutor {
  url: string;
  port: number;
  pid: number;
  command: string;
  /** The last bytes it wrote on stderr (for errors). */
  stderrTail(): string;
  exited(): boolean;
  /** Resolves when the executor exits (on its own or stopped). */
  exit: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** How long to wait for it to listen (ms). */
  startTimeoutMs: number;
}

export async function startExecutor(template: string, opts: StartOptions): Promise<RunningExecutor> {
  checkLoopbackCommand(template);
  const port = await freePort();
  const command = template.split('{port}').join(String(port));
  let tail = '';
  let exit: { code: number | null; signal: string | null } | undefined;
  const child: ChildProcess = spawnGroup(command, { env: { ...process.env, ...opts.env } });
  const keep = (b: Buffer) => {
    tail = (tail + b.toString()).slice(-4_000);
  };
  child.stderr?.on('data', keep);
  child.stdout?.on('data', keep);
  let onExit: () => void = () => undefined;
  const exitPromise = new Promise<void>((r) => (onExit = r));
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    onExit();
  });
  const pid = child.pid ?? -1;
  const stop = async (): Promise<void> => {
    if (!exit) {
      killGroup(pid, 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while (!exit && Date.now() < deadline) await sleep(50);
    }
    // Whatever is left of its group (children that outlived it, or a leader that ignored
    // SIGTERM) is killed, and we wait until the group is really gone: nothing is left behind.
    const hard = Date.now() + 5_000;
    while (groupMembers(pid).length > 0 && Date.now() < hard) {
      killGroup(pid, 'SIGKILL');
      await sleep(50);
    }
  };
  const started = Date.now();
  for (;;) {
    if (exit) {
      throw new ExecsimError(
        'EXECSIM_EXECUTOR',
        `the executor exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) before it listened on 127.0.0.1:${port}.\ncommand: ${command}\nits output ends with:\n${tail.trim() || '(nothing)'}`,
      );
    }
    if (await canConnect(port)) break;
    if (Date.now() - started > opts.startTimeoutMs) {
      await stop();
      throw new ExecsimError(
        'EXECSIM_EXECUTOR',
        `the executor did not listen on 127.0.0.1:${port} within ${Math.round(opts.startTimeoutMs / 1000)} s.\ncommand: ${command}\nits output ends with:\n${tail.trim() || '(nothing)'}`,
      );
    }
    await sleep(200);
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    pid,
    command,
    stderrTail: () => tail,
    exited: () => exit !== undefined,
    exit: exitPromise,
    stop,
  };
}
