/**
 * `flock(2)` on session files, which the Fs port does not have. The kernel keeps a lock with the
 * open file, not the path, and drops it when the holder dies, whatever later happens to its pid:
 * so a holder here is a (pid, start time) pair, and the lock is free as soon as that process is
 * gone or a zombie. Unlinking the file frees the name (the next open makes a new inode with no
 * lock). One table is shared by every host of a world, like the kernel of one machine.
 */
import type { Proc } from '../../sim/ports/index.ts';

interface Holder {
  pid: number;
  startTimeTicks: number;
}

export class FlockTable {
  private readonly held = new Map<string, Holder>();

  /** `flock(LOCK_EX | LOCK_NB)`: true when taken, false for EWOULDBLOCK. */
  tryLock(proc: Proc, path: string, self: Holder): boolean {
    const h = this.held.get(path);
    if (h && (h.pid !== self.pid || h.startTimeTicks !== self.startTimeTicks) && alive(proc, h)) return false;
    this.held.set(path, { pid: self.pid, startTimeTicks: self.startTimeTicks });
    return true;
  }

  /** `flock(LOCK_UN)`, or the file closed. */
  unlock(path: string, self: Holder): void {
    const h = this.held.get(path);
    if (h && h.pid === self.pid && h.startTimeTicks === self.startTimeTicks) this.held.delete(path);
  }

  /** The file was unlinked: a new file under this name has no lock. */
  unlinked(path: string): void {
    this.held.delete(path);
  }
}

function alive(proc: Proc, h: Holder): boolean {
  const s = proc.stat(h.pid);
  return s !== undefined && s.startTimeTicks === h.startTimeTicks && s.state !== 'Z';
}
