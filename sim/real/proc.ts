/**
 * Real processes for real-network mode: a child process seen through the ProcessHandle shape of
 * the Proc port, plus kill/stat/list over /proc. Every child is started in its own process group
 * so that stopping it stops its children too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { ExitStatus, OutputStream, Proc, ProcessEvents, ProcessHandle, ProcStat, Signal, SpawnSpec } from '../ports/proc.ts';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), counted after the `)` of comm. */
export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    /* gone meanwhile */
  }
  const state = f[0] === 'Z' ? 'Z' : f[0] === 'R' ? 'R' : 'S';
  return { pid, ppid: Number(f[1]), pgrp: Number(f[2]), state, startTimeTicks: Number(f[19]), name, cmdline };
}

type Listeners = { [E in keyof ProcessEvents]: Array<ProcessEvents[E]> };

export class RealProcess implements ProcessHandle {
  readonly pid: number;
  readonly startTimeTicks: number;
  exitStatus: ExitStatus | undefined;
  private pipesClosed = false;
  private readonly listeners: Listeners = { output: [], exit: [], close: [] };

  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.pid = child.pid ?? -1;
    this.startTimeTicks = readStat(this.pid)?.startTimeTicks ?? 0;
    const out = (stream: OutputStream) => (chunk: Buffer) => {
      for (const l of this.listeners.output) l(stream, new Uint8Array(chunk));
    };
    child.stdout?.on('data', out('stdout'));
    child.stderr?.on('data', out('stderr'));
    child.on('exit', (code, signal) => {
      this.exitStatus = { code, signal: (signal as Signal | null) ?? null };
      for (const l of this.listeners.exit) l(this.exitStatus);
    });
    child.on('close', () => {
      this.pipesClosed = true;
      for (const l of this.listeners.close) l();
    });
  }

  on<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    (this.listeners[event] as Array<ProcessEvents[E]>).push(listener);
    return this;
  }
  off<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    const list = this.listeners[event] as Array<ProcessEvents[E]>;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }
  wait(): Promise<ExitStatus> {
    if (this.exitStatus) return Promise.resolve(this.exitStatus);
    return new Promise((r) => this.on('exit', r));
  }
  closed(): Promise<void> {
    if (this.pipesClosed) return Promise.resolve();
    return new Promise((r) => this.on('close', r));
  }
  write(): void {
    throw new Error('a real process writes its own output');
  }
  exit(): void {
    throw new Error('a real process ends by itself or by a signal');
  }
  kill(signal: Signal = 'SIGTERM'): void {
    killGroup(this.pid, signal);
  }
  onSignal(): void {
    throw new Error('a real process handles its own signals');
  }
  stdin(chunk: Uint8Array | string): boolean {
    const s = this.child.stdin;
    if (!s || s.destroyed || s.writableEnded) return false;
    s.write(chunk);
    return true;
  }
  closeStdin(): void {
    this.child.stdin?.end();
  }
}

/** Signals a process and its group (children it started). */
export function killGroup(pid: number, signal: Signal | 0 = 'SIGTERM'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export interface LaunchOptions {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  pipeStdin?: boolean;
}

/** Starts a real child process in its own (guarded) group, pipes for stdout and stderr. */
export function launch(opts: LaunchOptions, name = opts.argv[0] ?? 'process'): RealProcess {
  if (opts.argv.length === 0) throw new Error('argv must not be empty');
  return new RealProcess(spawnGroup(opts.argv, { cwd: opts.cwd, env: opts.env, pipeStdin: opts.pipeStdin ?? false }), name);
}

/** The Proc port on this machine: probing and signalling work; spawning goes through `launch`. */
export class RealProc implements Proc {
  readonly ticksPerSecond = 100;
  spawn(_spec: SpawnSpec): ProcessHandle {
    throw new Error('real mode: a process cannot be simulated; start real commands with launch()');
  }
  run(): ProcessHandle {
    throw new Error('real mode: scripted processes exist only in the simulator');
  }
  kill(pid: number, signal: Signal | 0 = 'SIGTERM'): void {
    process.kill(pid, signal);
  }
  stat(pid: number): ProcStat | undefined {
    return readStat(pid);
  }
  list(): ProcStat[] {
    return readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .map(Number)
      .sort((a, b) => a - b)
      .map((p) => readStat(p))
      .filter((s): s is ProcStat => s !== undefined);
  }
}

export interface GroupSpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A pipe for the command's stdin (default: /dev/null). */
  pipeStdin?: boolean;
}

/**
 * The guard each group holds (fd 3 is one end of a socket pair whose other end only we hold): it
 * reads a line; `exit` (the command ended, we tidy up after it as before) ends it quietly; EOF
 * means we died, and it sends its whole group SIGTERM (a server stops its own children on it),
 * then SIGKILL 2 s later, itself included. It holds none of the command's pipes.
 */
const GUARD = `( trap '' TERM; read -r line <&3; [ "$line" = exit ] && exit 0; kill -TERM 0; sleep 2; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &`;

/**
 * Starts a command as the leader of a new process group, guarded against our own death: its pid
 * is the command's (`sh -c "exec CMD"`), and `killGroup(pid)` stops it with everything it
 * started. A stopped execsim stops the group itself; a killed one (SIGKILL, or a test runner
 * killed with its process group) cannot, and a detached group outlives it, port and children
 * included, unless the group stops itself: its guard (GUARD) does, when the kernel closes our end
 * of its socket. `command` is a shell command line; an argv is run as it is (no shell parsing).
 * stdout and stderr are piped.
 */
export function spawnGroup(command: string | readonly string[], opts: GroupSpawnOptions = {}): ChildProcess {
  const script = typeof command === 'string' ? `${GUARD} exec 3<&- ${command}` : `${GUARD} exec 3<&- "$@"`;
  const args = typeof command === 'string' ? ['-c', script] : ['-c', script, 'sh', ...command];
  const child = spawn('/bin/sh', args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: [opts.pipeStdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const guard = child.stdio[3] as Socket | null;
  guard?.on('error', () => undefined);
  child.once('exit', () => guard?.end('exit\n'));
  return child;
}

/** One word for `sh -c`: single-quoted, a `'` inside as `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How long (real ms) a child that exited may take to close its pipes before we stop reading them. */
export const DRAIN_MS = 2_000;

/**
 * Waits until `done()` (bounded by DRAIN_MS): a child's 'exit' can come before the last of its
 * output is read (a client's result line), and 'close' says its pipes are read to the end.
 */
export async function drainOutput(done: () => boolean, boundMs = DRAIN_MS): Promise<void> {
  const until = Date.now() + boundMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
