/**
 * Rule 5, no child left behind, from the child's side: a real-mode process execsim starts (`execsim
 * serve` under a validator or a test) notices when the process that started it dies, even by
 * SIGKILL, which gives it no chance to stop its children. The kernel hands an orphan to init (or
 * a subreaper) at once, so the parent pid in /proc/self/stat changes; Node's `process.ppid` is
 * read once at start-up and never changes, so it cannot tell.
 */
import { readFileSync } from 'node:fs';

/** This process's parent pid now (Linux: /proc/self/stat; elsewhere: Node's, read at start-up). */
export function currentParentPid(): number {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return process.ppid;
  }
}

/** Whether a process exists (a zombie counts: it has not been reaped yet). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `onGone` once when the parent this process had at the call is gone: reparented, or (off
 * Linux) no longer there. Polls every `everyMs` on an unref'd timer; returns the stop function.
 */
export function watchParent(onGone: (parent: number) => void, everyMs = 200): () => void {
  const parent = currentParentPid();
  const gone = () => currentParentPid() !== parent || !exists(parent);
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    onGone(parent);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
