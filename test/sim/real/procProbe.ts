/**
 * Probes for the real-mode tests that nothing is left behind: a process that is still there (a
 * zombie is not: it has ended, only its exit status waits to be read), and a port a process
 * group still listens on (from /proc/net/tcp* and /proc/<pid>/fd).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readStat } from '../../../sim/real/proc.ts';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return readStat(pid)?.state !== 'Z';
}

/** Inodes of the sockets in LISTEN state on `port` (from /proc/net/tcp*). */
export function listenInodes(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A') out.push(f[9] as string);
    }
  }
  return out;
}

/**
 * Whether a process of the executor's group (pgid) still listens on `port`. The port number
 * alone cannot tell: once freed, the kernel may hand it to a listener of another test running
 * at the same time, so the listener's owner is looked up through /proc/<pid>/fd.
 */
export function groupListens(port: number, pgid: number): boolean {
  const inodes = new Set(listenInodes(port));
  if (inodes.size === 0) return false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1] as string) && readStat(Number(entry))?.pgrp === pgid) return true;
    }
  }
  return false;
}

/** Whether anything listens on `port` at all (for the check that the probe can see a listener). */
export function listening(port: number): boolean {
  return listenInodes(port).length > 0;
}
