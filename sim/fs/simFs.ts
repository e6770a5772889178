/**
 * The simulated file system: one memfs Volume shared by every host (they model processes on one
 * machine), with mtimes kept by the simulator, never by memfs (memfs stamps wall-clock time).
 * Fault model:
 * - Each writer stamps mtimes from the virtual clock with its own granularity (`ns`: exact and
 *   strictly increasing within a millisecond; `1s`; `2s`, as FAT) and skew, so two writers can
 *   record the later write with the earlier or the equal mtime.
 * - set-mtime: a file's mtime is set explicitly (now, or at its next write if it does not exist).
 * - torn-read: the next reads of a file return only a prefix, as a reader racing a non-atomic
 *   write would see. `rename` stays atomic.
 */
import { Volume } from 'memfs';
import type { FaultToken, Kernel } from '../kernel.ts';
import type { FileStat, Fs } from '../ports/fs.ts';

export type MtimeGranularity = 'ns' | '1s' | '2s';

export interface FsWriterOptions {
  mtimeGranularity: MtimeGranularity;
  /** Added to the virtual clock when stamping (ms); may be negative. */
  mtimeSkewMs: number;
}

export const DEFAULT_FS_WRITER: FsWriterOptions = { mtimeGranularity: 'ns', mtimeSkewMs: 0 };

interface TornRule {
  remaining: number;
  bytes: number | undefined;
  fault?: FaultToken | undefined;
}

interface MtimePin {
  mtimeMs?: number;
  offsetMs?: number;
}

/**
 * memfs asks its "process" for the uid, gid and cwd on every call; by default that is the real
 * process (a syscall each time, and the real machine's identity inside the simulation). The
 * virtual machine is root in `/`.
 */
const VIRTUAL_PROCESS = { cwd: () => '/', platform: 'linux', emitWarning: () => undefined, env: {}, getuid: () => 0, getgid: () => 0 };

export class SimFileSystem {
  /** Made on first use: most worlds of the network protocols never touch a file. */
  private lazyVol: Volume | undefined;
  private get vol(): Volume {
    return (this.lazyVol ??= Volume.fromJSON({}, '/', { process: VIRTUAL_PROCESS } as unknown as Parameters<typeof Volume.fromJSON>[2]));
  }
  private readonly mtimes = new Map<string, number>();
  private readonly torn = new Map<string, TornRule>();
  private readonly pins = new Map<string, MtimePin>();
  /** The fault that armed each pin: the write it lands on is its effect. */
  private readonly pinFaults = new Map<string, FaultToken | undefined>();
  /**
   * Read-through caches in front of memfs (whose every call walks the path and checks
   * permissions): polling loops read the same files again and again between writes. Every
   * mutation updates or drops the entries it touches, so memfs stays the source of truth.
   */
  private readonly present = new Map<string, boolean>();
  private readonly texts = new Map<string, string>();
  private nsStampAt = -1;
  private nsStampCount = 0;

  constructor(private readonly kernel: Kernel) {
    this.mtimes.set('/', 0);
  }

  port(host: string, writer: FsWriterOptions): Fs {
    const k = this.kernel;
    const run = <T>(fn: () => T): Promise<T> => {
      try {
        return Promise.resolve(fn());
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const stamp = (path: string): void => this.stamp(path, writer);
    return {
      readFile: (path) =>
        run(() => {
          let text = this.texts.get(path);
          if (text === undefined) {
            text = this.vol.readFileSync(path, 'utf8') as string;
            this.texts.set(path, text);
          }
          const rule = this.torn.get(path);
          if (rule && rule.remaining > 0) {
            rule.remaining--;
            if (rule.remaining === 0) this.torn.delete(path);
            const bytes = Buffer.from(text);
            const keep = Math.min(rule.bytes ?? Math.floor(bytes.length / 2), bytes.length);
            k.record('fs', 'fs.torn-read', { host, path, bytes: keep, of: bytes.length });
            k.faultEffect(rule.fault, path);
            return bytes.subarray(0, keep).toString('utf8');
          }
          return text;
        }),
      writeFile: (path, data) =>
        run(() => {
          this.vol.writeFileSync(path, data);
          this.texts.set(path, data);
          this.present.set(path, true);
          stamp(path);
          k.record(host, 'fs.write', { path, bytes: Buffer.byteLength(data), mtimeMs: this.mtimes.get(path) });
        }),
      appendFile: (path, data) =>
        run(() => {
          this.vol.appendFileSync(path, data);
          const before = this.texts.get(path);
          if (before !== undefined) this.texts.set(path, before + data);
          this.present.set(path, true);
          stamp(path);
          k.record(host, 'fs.append', { path, bytes: Buffer.byteLength(data), mtimeMs: this.mtimes.get(path) });
        }),
      rename: (from, to) =>
        run(() => {
          this.vol.renameSync(from, to);
          this.forget(from);
          this.forget(to);
          this.moveMtimes(from, to);
          k.record(host, 'fs.rename', { from, to });
        }),
      stat: (path) =>
        run(() => {
          const text = this.texts.get(path);
          let dir = false;
          let size: number;
          if (text !== undefined) size = Buffer.byteLength(text);
          else {
            const s = this.vol.statSync(path);
            dir = s.isDirectory();
            size = dir ? 0 : Number(s.size);
          }
          const st: FileStat = {
            mtimeMs: this.mtimes.get(path) ?? 0,
            size,
            isFile: () => !dir,
            isDirectory: () => dir,
          };
          return st;
        }),
      readdir: (path) => run(() => (this.vol.readdirSync(path) as string[]).map(String).sort()),
      unlink: (path) =>
        run(() => {
          this.vol.unlinkSync(path);
          this.forget(path);
          this.mtimes.delete(path);
          k.record(host, 'fs.unlink', { path });
        }),
      mkdir: (path, options) =>
        run(() => {
          if (options?.recursive && this.exists(path)) return;
          this.vol.mkdirSync(path, { recursive: options?.recursive ?? false });
          for (let p = path; p !== '/'; p = parentOf(p)) {
            this.present.set(p, true);
            if (!this.mtimes.has(p)) this.mtimes.set(p, this.kernel.now());
          }
          stamp(path);
          k.record(host, 'fs.mkdir', { path });
        }),
      exists: (path) => run(() => this.exists(path)),
      utimes: (path, mtimeMs) =>
        run(() => {
          if (!this.exists(path)) this.vol.statSync(path);
          this.mtimes.set(path, mtimeMs);
          k.record(host, 'fs.utimes', { path, mtimeMs });
        }),
    };
  }

  private exists(path: string): boolean {
    let e = this.present.get(path);
    if (e === undefined) {
      e = this.vol.existsSync(path);
      this.present.set(path, e);
    }
    return e;
  }

  /** Drops what the caches know of `path` and everything under it. */
  private forget(path: string): void {
    const prefix = path + '/';
    for (const m of [this.present, this.texts] as Array<Map<string, unknown>>) {
      m.delete(path);
      for (const key of [...m.keys()]) if (key.startsWith(prefix)) m.delete(key);
    }
  }

  // ---- faults ------------------------------------------------------------------------------

  setMtime(path: string, pin: MtimePin): void {
    if (this.exists(path)) {
      const m = pin.mtimeMs ?? (this.mtimes.get(path) ?? 0) + (pin.offsetMs ?? 0);
      this.mtimes.set(path, m);
      this.kernel.record('fs', 'fs.set-mtime', { path, mtimeMs: m });
      this.kernel.faultEffect(this.kernel.applying, path);
    } else {
      this.pins.set(path, pin);
      this.pinFaults.set(path, this.kernel.applying);
      this.kernel.record('fs', 'fs.set-mtime-armed', { path, ...pin });
    }
  }

  tornRead(path: string, count: number, bytes: number | undefined): void {
    this.torn.set(path, { remaining: count, bytes, fault: this.kernel.applying });
  }

  heal(): void {
    this.torn.clear();
    this.pins.clear();
    this.pinFaults.clear();
  }

  /** Direct access for test set-up and truth collection (not a port). */
  get volume(): Volume {
    return this.vol;
  }

  mtimeOf(path: string): number | undefined {
    return this.mtimes.get(path);
  }

  // ---- mtimes ------------------------------------------------------------------------------

  private stamp(path: string, writer: FsWriterOptions): void {
    const now = this.kernel.now();
    let m: number;
    const base = now + writer.mtimeSkewMs;
    if (writer.mtimeGranularity === 'ns') {
      // A real ns clock never repeats: successive writes in one virtual ms get increasing ns.
      if (this.nsStampAt === now) this.nsStampCount++;
      else {
        this.nsStampAt = now;
        this.nsStampCount = 0;
      }
      m = base + this.nsStampCount * 1e-6;
    } else {
      const g = writer.mtimeGranularity === '1s' ? 1000 : 2000;
      m = Math.floor(base / g) * g;
    }
    const pin = this.pins.get(path);
    if (pin) {
      this.pins.delete(path);
      m = pin.mtimeMs ?? m + (pin.offsetMs ?? 0);
      this.kernel.record('fs', 'fs.set-mtime', { path, mtimeMs: m });
      this.kernel.faultEffect(this.pinFaults.get(path), path);
      this.pinFaults.delete(path);
    }
    this.mtimes.set(path, m);
  }

  private moveMtimes(from: string, to: string): void {
    const prefix = from + '/';
    for (const [p, m] of [...this.mtimes]) {
      if (p === from) {
        this.mtimes.delete(p);
        this.mtimes.set(to, m);
      } else if (p.startsWith(prefix)) {
        this.mtimes.delete(p);
        this.mtimes.set(to + p.slice(from.length), m);
      }
    }
  }
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
