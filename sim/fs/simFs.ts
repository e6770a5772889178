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
import type { Kernel } from '../kernel.ts';
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
}

interface MtimePin {
  mtimeMs?: number;
  offsetMs?: number;
}

export class SimFileSystem {
  private readonly vol = new Volume();
  private readonly mtimes = new Map<string, number>();
  private readonly torn = new Map<string, TornRule>();
  private readonly pins = new Map<string, MtimePin>();
  private nsStampAt = -1;
  private nsStampCount = 0;

  constructor(private readonly kernel: Kernel) {
    this.mtimes.set('/', 0);
  }

  port(host: string, writer: FsWriterOptions): Fs {
    const k = this.kernel;
    const vol = this.vol;
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
          const text = vol.readFileSync(path, 'utf8') as string;
          const rule = this.torn.get(path);
          if (rule && rule.remaining > 0) {
            rule.remaining--;
            if (rule.remaining === 0) this.torn.delete(path);
            const bytes = Buffer.from(text);
            const keep = Math.min(rule.bytes ?? Math.floor(bytes.length / 2), bytes.length);
            k.record('fs', 'fs.torn-read', { host, path, bytes: keep, of: bytes.length });
            return bytes.subarray(0, keep).toString('utf8');
          }
          return text;
        }),
      writeFile: (path, data) =>
        run(() => {
          vol.writeFileSync(path, data);
          stamp(path);
          k.record(host, 'fs.write', { path, bytes: Buffer.byteLength(data), mtimeMs: this.mtimes.get(path) });
        }),
      appendFile: (path, data) =>
        run(() => {
          vol.appendFileSync(path, data);
          stamp(path);
          k.record(host, 'fs.append', { path, bytes: Buffer.byteLength(data), mtimeMs: this.mtimes.get(path) });
        }),
      rename: (from, to) =>
        run(() => {
          vol.renameSync(from, to);
          this.moveMtimes(from, to);
          k.record(host, 'fs.rename', { from, to });
        }),
      stat: (path) =>
        run(() => {
          const s = vol.statSync(path);
          const dir = s.isDirectory();
          const st: FileStat = {
            mtimeMs: this.mtimes.get(path) ?? 0,
            size: dir ? 0 : Number(s.size),
            isFile: () => !dir,
            isDirectory: () => dir,
          };
          return st;
        }),
      readdir: (path) => run(() => (vol.readdirSync(path) as string[]).map(String).sort()),
      unlink: (path) =>
        run(() => {
          vol.unlinkSync(path);
          this.mtimes.delete(path);
          k.record(host, 'fs.unlink', { path });
        }),
      mkdir: (path, options) =>
        run(() => {
          if (options?.recursive && vol.existsSync(path)) return;
          vol.mkdirSync(path, { recursive: options?.recursive ?? false });
          for (let p = path; p !== '/' && !this.mtimes.has(p); p = parentOf(p)) this.mtimes.set(p, this.kernel.now());
          stamp(path);
          k.record(host, 'fs.mkdir', { path });
        }),
      exists: (path) => run(() => vol.existsSync(path)),
      utimes: (path, mtimeMs) =>
        run(() => {
          if (!vol.existsSync(path)) vol.statSync(path);
          this.mtimes.set(path, mtimeMs);
          k.record(host, 'fs.utimes', { path, mtimeMs });
        }),
    };
  }

  // ---- faults ------------------------------------------------------------------------------

  setMtime(path: string, pin: MtimePin): void {
    if (this.vol.existsSync(path)) {
      const m = pin.mtimeMs ?? (this.mtimes.get(path) ?? 0) + (pin.offsetMs ?? 0);
      this.mtimes.set(path, m);
      this.kernel.record('fs', 'fs.set-mtime', { path, mtimeMs: m });
    } else {
      this.pins.set(path, pin);
      this.kernel.record('fs', 'fs.set-mtime-armed', { path, ...pin });
    }
  }

  tornRead(path: string, count: number, bytes: number | undefined): void {
    this.torn.set(path, { remaining: count, bytes });
  }

  heal(): void {
    this.torn.clear();
    this.pins.clear();
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
