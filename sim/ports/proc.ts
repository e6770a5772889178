/**
 * Proc port: a process table with Linux semantics the protocols rely on: PIDs are reused, only
 * the start time (in clock ticks, as in /proc/<pid>/stat field 22) tells a reused PID apart,
 * `kill(pid, 0)` succeeds on zombies, and a process can exit while a child holds its pipes.
 */

export type ProcState = 'R' | 'S' | 'Z';
export type Signal = 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGKILL' | 'SIGTERM' | 'SIGUSR1' | 'SIGUSR2';

export const SIGNAL_NUMBERS: Readonly<Record<Signal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

/** What `/proc/<pid>/stat` and `/proc/<pid>/cmdline` would say. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  state: ProcState;
  startTimeTicks: number;
  name: string;
  cmdline: string;
}

export interface ExitStatus {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: Signal | null;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ProcessEvents {
  output: (stream: OutputStream, chunk: Uint8Array) => void;
  /** The process ended; its pipes may still be open (a child holds them). */
  exit: (status: ExitStatus) => void;
  /** Every pipe has closed: nothing more will be read. Always after `exit`. */
  close: () => void;
}

export interface SpawnSpec {
  /** Short name (comm), also used by fault targets. */
  name: string;
  cmdline?: string;
  /** Parent pid (default 1, init). */
  ppid?: number;
  /** Process group (default: a new group led by this process). */
  pgrp?: number;
  /** How long the process stays a zombie after exiting before it is reaped (default 0). */
  zombieMs?: number;
}

export interface ProcessHandle {
  readonly pid: number;
  readonly startTimeTicks: number;
  readonly name: string;
  /** Undefined while running. */
  readonly exitStatus: ExitStatus | undefined;
  on<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this;
  off<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this;
  /** Resolves with the exit status. */
  wait(): Promise<ExitStatus>;
  /** Resolves when every pipe has closed. */
  closed(): Promise<void>;
  /** For self-driven processes: emit output on a pipe. */
  write(stream: OutputStream, chunk: Uint8Array | string): void;
  /** For self-driven processes: end with an exit code. */
  exit(code: number): void;
  /** Delivers a signal (see `onSignal`); without a handler it terminates the process. */
  kill(signal?: Signal): void;
  /** Handle a catchable signal instead of dying (SIGKILL cannot be handled). */
  onSignal(handler: (signal: Signal) => void): void;
  /** Stdin; scripted processes that echo stdin write it back on stdout. */
  stdin(chunk: Uint8Array | string): boolean;
  closeStdin(): void;
}

/** Output of a scripted process, data not code: replayable and shrinkable. */
export interface ScriptStep {
  /** Ms after spawn. */
  atMs: number;
  stream: OutputStream;
  /** UTF-8 text, or bytes (a write may end inside a UTF-8 character). */
  data: string | Uint8Array;
}

export interface ProcessScript {
  steps: ScriptStep[];
  /** How it ends: an exit code or a signal, at `atMs` after spawn. Omit to run until killed. */
  end?: { atMs: number; code: number } | { atMs: number; signal: Signal };
  /** A child that inherits the pipes and keeps them open this long after the exit. */
  childHoldsPipesMs?: number;
  /** Echo stdin back on stdout after this many ms (undefined: stdin is ignored). */
  echoStdinAfterMs?: number;
}

export interface Proc {
  /** Ticks per second of `startTimeTicks` (CLK_TCK, 100 on Linux). */
  readonly ticksPerSecond: number;
  /** Adds a self-driven process: its owner writes output and ends it. */
  spawn(spec: SpawnSpec): ProcessHandle;
  /** Adds a process that follows a script. */
  run(script: ProcessScript, spec: SpawnSpec): ProcessHandle;
  /** `kill(2)`: signal 0 only probes. Throws an error with code ESRCH if there is no such process. */
  kill(pid: number, signal?: Signal | 0): void;
  /** `/proc/<pid>/stat`, or undefined if there is no such process. */
  stat(pid: number): ProcStat | undefined;
  /** Every process in the table, by pid. */
  list(): ProcStat[];
}
