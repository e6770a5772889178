/**
 * Process liveness of a session (spec §2): `find_session_pid` (daemon.pid whose cmdline names
 * the session, or a live pid in a recent or matching `locks/*.lock`), `daemon_pid_for_signal`
 * (start time checked against `/proc/<pid>/stat`, so a reused pid is dead) and
 * `session_has_terminal_process`, the gate of every completion branch.
 */
import type { Proc } from '../../sim/ports/index.ts';
import type { WaitContext } from './context.ts';
import { readIfExists, readUsuallyPresent } from './sessionFiles.ts';

/** `LOCK_FILE_STALE_SECS`: a lock file this recent counts even when its pid's cmdline does not match. */
export const LOCK_FILE_STALE_MS = 60_000;

/** daemon.pid: `"<pid> <starttime_ticks>\n"`, legacy `"<pid>\n"`, or `pid=NNN` in stderr.log. */
export interface DaemonPidRecord {
  pid: number;
  startTimeTicks?: number;
}

/**
 * `kill(pid, 0) == 0 || errno == EPERM`: true for any process in the table, zombies included.
 * Asked through `/proc/<pid>/stat`, which exists exactly when `kill(pid, 0)` succeeds, because
 * a failed `kill` costs an exception.
 */
export function isProcessAlive(proc: Proc, pid: number): boolean {
  return proc.stat(pid) !== undefined;
}

export function parseDaemonPidRecord(text: string): DaemonPidRecord | undefined {
  const parts = text.trim().split(/\s+/);
  if (!/^\d+$/.test(parts[0] ?? '')) return undefined;
  const record: DaemonPidRecord = { pid: Number(parts[0]) };
  if (parts[1] !== undefined && /^\d+$/.test(parts[1])) record.startTimeTicks = Number(parts[1]);
  return record;
}

/**
 * A read, or an answer computed from reads, taken once per iteration (see `WaitContext.memo`):
 * the process table and the clock cannot change within one either.
 */
function once<T>(ctx: WaitContext, key: string, load: (ctx: WaitContext) => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const v = load(ctx);
  ctx.memo.set(key, v);
  return v;
}

interface LockFile {
  name: string;
  content: string | undefined;
  mtimeMs: number;
}

// (the loaders are plain functions of the context: a memo hit allocates nothing)
function lockFiles(ctx: WaitContext): LockFile[] {
  return once(ctx, 'locks', readLockFiles);
}

function readLockFiles(ctx: WaitContext): LockFile[] {
  const fs = ctx.ports.fs.sync;
  if (!fs.exists(ctx.paths.locks)) return [];
  const out: LockFile[] = [];
  for (const name of fs.readdir(ctx.paths.locks)) {
    if (name.startsWith('.reconcile') || !name.endsWith('.lock')) continue;
    const path = `${ctx.paths.locks}/${name}`;
    out.push({ name, content: readUsuallyPresent(fs, path), mtimeMs: fs.stat(path).mtimeMs });
  }
  return out;
}

export function readDaemonPidRecord(ctx: WaitContext): DaemonPidRecord | undefined {
  return once(ctx, 'daemon.pid', readDaemonPidRecordNow);
}

/**
 * Parsed by text, as the TOML files are (sessionFiles.ts): every poll reads the same daemon.pid
 * and lock file, and a parse is a pure function of the text. The records are only read.
 */
const pidRecords = new Map<string, DaemonPidRecord | undefined>();
const lockPids = new Map<string, number | undefined>();
const BY_TEXT_MAX = 256;

function byText<T>(cache: Map<string, T>, text: string, parse: (text: string) => T): T {
  if (cache.has(text)) return cache.get(text) as T;
  const v = parse(text);
  if (cache.size >= BY_TEXT_MAX) cache.clear();
  cache.set(text, v);
  return v;
}

function readDaemonPidRecordNow(ctx: WaitContext): DaemonPidRecord | undefined {
  const fs = ctx.ports.fs.sync;
  const text = readUsuallyPresent(fs, ctx.paths.daemonPid);
  const record = text === undefined ? undefined : byText(pidRecords, text, parseDaemonPidRecord);
  if (record) return record;
  // The oldest sessions only logged `pid=NNN` to stderr.log.
  const stderr = readIfExists(fs, ctx.paths.stderrLog);
  const m = stderr === undefined ? null : /pid=(\d+)/.exec(stderr);
  return m ? { pid: Number(m[1]) } : undefined;
}

/** `/proc/<pid>/cmdline` names the tool, the session id or the session dir. */
function matchesSessionContext(ctx: WaitContext, pid: number, toolName: string | undefined): boolean {
  const cmdline = ctx.ports.proc.stat(pid)?.cmdline;
  if (cmdline === undefined) return false;
  return (toolName !== undefined && cmdline.includes(toolName)) || cmdline.includes(ctx.paths.id) || cmdline.includes(ctx.paths.dir);
}

function pidMatchesSessionContext(ctx: WaitContext, pid: number, toolName: string | undefined, recentFile: boolean): boolean {
  if (!isProcessAlive(ctx.ports.proc, pid)) return false;
  return matchesSessionContext(ctx, pid, toolName) || recentFile;
}

/** `find_session_pid`: the first live pid tied to this session. */
export function findSessionPid(ctx: WaitContext): number | undefined {
  return once(ctx, 'session-pid', findSessionPidNow);
}

function findSessionPidNow(ctx: WaitContext): number | undefined {
  const daemon = readDaemonPidRecord(ctx);
  if (daemon && startTimeAgrees(ctx, daemon) && pidMatchesSessionContext(ctx, daemon.pid, undefined, false)) return daemon.pid;
  for (const lock of lockFiles(ctx)) {
    const pid = lock.content === undefined ? undefined : byText(lockPids, lock.content, lockPid);
    if (pid === undefined) continue;
    const recent = Math.max(0, ctx.ports.clock.now() - lock.mtimeMs) <= (ctx.lockFileStaleMs ?? LOCK_FILE_STALE_MS);
    if (pidMatchesSessionContext(ctx, pid, lock.name.slice(0, -'.lock'.length), recent)) return pid;
  }
  return undefined;
}

/**
 * Test 1's start-time gate (`fixed-ticks` only): a record with ticks names its pid only while
 * `/proc/<pid>/stat` has the same starttime; upstream asks the cmdline alone.
 */
function startTimeAgrees(ctx: WaitContext, record: DaemonPidRecord): boolean {
  if (!ctx.policy.sessionPidChecksStartTime || record.startTimeTicks === undefined) return true;
  return ctx.ports.proc.stat(record.pid)?.startTimeTicks === record.startTimeTicks;
}

function lockPid(content: string): number | undefined {
  try {
    const v = JSON.parse(content) as { pid?: unknown };
    return typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid >= 0 ? v.pid : undefined;
  } catch {
    return undefined;
  }
}

export function hasLiveProcess(ctx: WaitContext): boolean {
  return findSessionPid(ctx) !== undefined;
}

/** A process of the group led by `leader` that is neither a zombie nor dead. */
export function hasLiveProcessGroupMember(proc: Proc, leader: number): boolean {
  return proc.list().some((p) => p.pgrp === leader && p.state !== 'Z');
}

/**
 * `daemon_pid_for_signal(dir).is_some()` with the start-time table of spec §2: a record whose
 * ticks differ from `/proc/<pid>/stat` is a reused pid, so dead.
 */
export function daemonPidIsAliveByStartTime(ctx: WaitContext, record: DaemonPidRecord): boolean {
  const { proc } = ctx.ports;
  const meta = proc.stat(record.pid);
  if (record.startTimeTicks !== undefined) {
    if (meta === undefined) return isProcessAlive(proc, record.pid);
    if (meta.startTimeTicks !== record.startTimeTicks) return false;
    if (meta.state === 'Z') return hasLiveProcessGroupMember(proc, record.pid);
    return true;
  }
  if (meta?.state === 'Z') return hasLiveProcessGroupMember(proc, record.pid);
  return findSessionPid(ctx) === record.pid;
}

export function daemonPidIsAlive(ctx: WaitContext): boolean {
  const record = readDaemonPidRecord(ctx);
  return record !== undefined && ctx.policy.daemonPidIsAlive(ctx, record);
}

/** `session_has_terminal_process` = `has_live_process || daemon_pid_is_alive`. */
export function sessionHasTerminalProcess(ctx: WaitContext): boolean {
  return once(ctx, 'terminal', sessionHasTerminalProcessNow);
}

function sessionHasTerminalProcessNow(ctx: WaitContext): boolean {
  return hasLiveProcess(ctx) || daemonPidIsAlive(ctx);
}
