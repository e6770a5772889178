/**
 * Real ports for one host: real timers, loopback sockets, the machine's processes and files, and
 * a log that records a real timeline (for the same checkers and reports as the simulator).
 */
import { appendFile, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile, access } from 'node:fs/promises';
import type { Clock } from '../ports/clock.ts';
import * as blocking from 'node:fs';
import type { Fs, SyncFs } from '../ports/fs.ts';
import type { Ports } from '../ports/index.ts';
import { Rng } from '../rng.ts';
import type { TraceEvent } from '../trace.ts';
import { RealClock } from './clock.ts';
import { RealNet } from './net.ts';
import { RealProc } from './proc.ts';

/** The machine's files through blocking calls. */
export const realSyncFs: SyncFs = {
  readFile: (p) => blocking.readFileSync(p, 'utf8'),
  writeFile: (p, d) => blocking.writeFileSync(p, d),
  appendFile: (p, d) => blocking.appendFileSync(p, d),
  rename: (a, b) => blocking.renameSync(a, b),
  stat: (p) => {
    const s = blocking.statSync(p);
    return { mtimeMs: s.mtimeMs, size: s.size, isFile: () => s.isFile(), isDirectory: () => s.isDirectory() };
  },
  readdir: (p) => blocking.readdirSync(p).sort(),
  unlink: (p) => blocking.unlinkSync(p),
  mkdir: (p, o) => {
    blocking.mkdirSync(p, { recursive: o?.recursive ?? false });
  },
  exists: (p) => blocking.existsSync(p),
  utimes: (p, m) => blocking.utimesSync(p, m / 1000, m / 1000),
};

export const realFs: Fs = {
  sync: realSyncFs,
  readFile: (p) => readFile(p, 'utf8'),
  writeFile: (p, d) => writeFile(p, d),
  appendFile: (p, d) => appendFile(p, d),
  rename: (a, b) => rename(a, b),
  stat: async (p) => {
    const s = await stat(p);
    return { mtimeMs: s.mtimeMs, size: s.size, isFile: () => s.isFile(), isDirectory: () => s.isDirectory() };
  },
  readdir: async (p) => (await readdir(p)).sort(),
  unlink: (p) => unlink(p),
  mkdir: async (p, o) => {
    await mkdir(p, { recursive: o?.recursive ?? false });
  },
  exists: (p) =>
    access(p).then(
      () => true,
      () => false,
    ),
  utimes: (p, m) => utimes(p, m / 1000, m / 1000),
};

/** A real timeline: what happened, when (ms since `clock` started), as TraceEvents. */
export class RealTimeline {
  readonly events: TraceEvent[] = [];
  constructor(readonly clock: Clock) {}
  record(actor: string, kind: string, data?: Record<string, unknown>): void {
    this.events.push(data === undefined ? { t: this.clock.now(), actor, kind } : { t: this.clock.now(), actor, kind, data });
  }
}

export function realPorts(host: string, timeline: RealTimeline, seed = 1): Ports & { net: RealNet } {
  return {
    host,
    clock: timeline.clock,
    net: new RealNet(),
    fs: realFs,
    proc: new RealProc(),
    random: new Rng(seed),
    log: (kind, data) => timeline.record(host, kind, data),
  };
}
