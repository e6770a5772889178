/**
 * `.wait.lock` (spec §4, #1247): one wait per session. flock(LOCK_EX | LOCK_NB) on the file; on
 * success it holds `{"pid":N}`. When the lock is busy but that JSON pid is dead (ESRCH, or pid
 * 0), the file is unlinked and recreated and the lock tried once more. No start time is stored,
 * so a reused wait pid looks alive (fixed after #1445, §9); the kernel itself drops the flock
 * of a dead holder whatever its pid became.
 */
import type { WaitContext } from './context.ts';
import { isProcessAlive } from './liveness.ts';
import { readIfExists } from './sessionFiles.ts';

function jsonPid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as { pid?: unknown };
    return typeof v.pid === 'number' && Number.isInteger(v.pid) ? v.pid : undefined;
  } catch {
    return undefined;
  }
}

/** open(O_CREAT) without truncating, flock, then truncate and write: one write here. */
function take(ctx: WaitContext): boolean {
  if (!ctx.flocks.tryLock(ctx.ports.proc, ctx.paths.waitLock, ctx.self)) return false;
  ctx.ports.fs.sync.writeFile(ctx.paths.waitLock, `{"pid":${ctx.self.pid}}`);
  return true;
}

/** True when this wait now holds `.wait.lock`. */
export function tryAcquireSessionWaitLock(ctx: WaitContext): boolean {
  const { proc } = ctx.ports;
  const fs = ctx.ports.fs.sync;
  const path = ctx.paths.waitLock;
  if (take(ctx)) return true;
  const holder = jsonPid(readIfExists(fs, path));
  if (holder === undefined || (holder !== 0 && isProcessAlive(proc, holder))) return false;
  ctx.ports.log('wait.lock-reclaim', { deadPid: holder });
  fs.unlink(path);
  ctx.flocks.unlinked(path);
  return take(ctx);
}

/** `flock(LOCK_UN)` when the guard drops. */
export function releaseSessionWaitLock(ctx: WaitContext): void {
  ctx.flocks.unlock(ctx.paths.waitLock, ctx.self);
}
