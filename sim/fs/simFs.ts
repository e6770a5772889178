/**
 * The simulated file system: one in-memory tree (./tree.ts) shared by every host (they model
 * processes on one machine), with mtimes stamped by the simulator from the virtual clock.
 * Fault model:
 * - Each writer stamps mtimes from the virtual clock with its own granularity (`ns`: exact and
 *   strictly increasing within a millisecond; `1s`; `2s`, as FAT) and skew, so two writers can
 *   record the later write with the earlier or the equal mtime.
 * - set-mtime: a file's mtime is set explicitly (now, or at its next write if it does not exist).
 * - torn-read: the next reads of a file return only a prefix, as a reader racing a non-atomic
 *   write would see. `rename` stays atomic.
 */
import type { FaultToken, Kernel } from '../kernel.ts';
import type { FileStat, Fs, SyncFs } from '../ports/fs.ts';
import { fsError, FsTree, normalize, parentOf, type Node } from './tree.ts';

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

class Stat implements FileStat {
  constructor(
    readonly mtimeMs: number,
    readonly size: number,
    private readonly dir: boolean,
  ) {}
  isFile(): boolean {
    return !this.dir;
  }
  isDirectory(): boolean {
    return this.dir;
  }
}

export class SimFileSystem {
  private readonly tree = new FsTree(0);
  private readonly torn = new Map<string, TornRule>();
  private readonly pins = new Map<string, MtimePin>();
  /** The fault that armed each pin: the write it lands on is its effect. */
  private readonly pinFaults = new Map<string, FaultToken | undefined>();
  private nsStampAt = -1;
  private nsStampCount = 0;

  constructor(private readonly kernel: Kernel) {}

  port(host: string, writer: FsWriterOptions): Fs {
    return new SimFsPort(this, host, writer);
  }

  /** readFile of one host: the text, or a torn prefix while a torn-read rule holds the path. */
  read(host: string, path: string): string {
    // (a path found in the index is normal: its keys are)
    let p = path;
    let node = this.tree.get(p);
    if (node === undefined) node = this.tree.resolve((p = normalize(path)), 'open', path);
    if (node.kind === 'dir') throw fsError('EISDIR', 'read');
    const rule = this.torn.get(p);
    if (rule && rule.remaining > 0) {
      rule.remaining--;
      if (rule.remaining === 0) this.torn.delete(p);
      const bytes = Buffer.from(node.text);
      const keep = Math.min(rule.bytes ?? Math.floor(bytes.length / 2), bytes.length);
      this.kernel.record('fs', 'fs.torn-read', { host, path, bytes: keep, of: bytes.length });
      this.kernel.faultEffect(rule.fault, path);
      return bytes.subarray(0, keep).toString('utf8');
    }
    return node.text;
  }

  /** writeFile or appendFile by one writer; recorded as `fs.write` or `fs.append`. */
  write(host: string, writer: FsWriterOptions, path: string, data: string, append: boolean): void {
    const p = this.tree.get(path) !== undefined ? path : normalize(path);
    const file = this.tree.write(p, path, String(data), append);
    file.mtime = this.stamp(p, writer);
    this.kernel.record(host, append ? 'fs.append' : 'fs.write', { path, bytes: Buffer.byteLength(data), mtimeMs: file.mtime });
  }

  rename(host: string, from: string, to: string): void {
    const tree = this.tree;
    tree.rename(tree.get(from) !== undefined ? from : normalize(from), tree.get(to) !== undefined ? to : normalize(to), from, to);
    this.kernel.record(host, 'fs.rename', { from, to });
  }

  stat(path: string): FileStat {
    const node = this.tree.get(path) ?? this.tree.resolve(normalize(path), 'stat', path);
    if (node.kind === 'dir') return new Stat(node.mtime, 0, true);
    if (node.bytes < 0) node.bytes = Buffer.byteLength(node.text);
    return new Stat(node.mtime, node.bytes, false);
  }

  readdir(path: string): string[] {
    const node = this.tree.get(path) ?? this.tree.resolve(normalize(path), 'scandir', path);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    return [...node.children.keys()].sort();
  }

  unlink(host: string, path: string): void {
    this.tree.unlink(normalize(path), path);
    this.kernel.record(host, 'fs.unlink', { path });
  }

  mkdir(host: string, writer: FsWriterOptions, path: string, recursive: boolean): void {
    const tree = this.tree;
    const p = normalize(path);
    const existing = tree.get(p);
    if (existing) {
      if (recursive && existing.kind === 'dir') return;
      throw fsError('EEXIST', 'mkdir', path);
    }
    if (recursive) {
      // the missing ancestors get the virtual time; the directory asked for is stamped
      const missing: string[] = [];
      let a = parentOf(p);
      for (; tree.get(a) === undefined; a = parentOf(a)) missing.push(a);
      if (tree.get(a)?.kind === 'file') throw fsError('ENOTDIR', 'mkdir', path);
      for (let i = missing.length - 1; i >= 0; i--) tree.mkdir(missing[i] as string, this.kernel.now());
    }
    tree.mkdir(p, 0).mtime = this.stamp(p, writer);
    this.kernel.record(host, 'fs.mkdir', { path });
  }

  exists(path: string): boolean {
    return this.tree.get(path) !== undefined || this.tree.get(normalize(path)) !== undefined;
  }

  utimes(host: string, path: string, mtimeMs: number): void {
    this.tree.resolve(normalize(path), 'utime', path).mtime = mtimeMs;
    this.kernel.record(host, 'fs.utimes', { path, mtimeMs });
  }

  // ---- faults ------------------------------------------------------------------------------

  setMtime(path: string, pin: MtimePin): void {
    const node = this.tree.get(normalize(path));
    if (node) {
      const m = pin.mtimeMs ?? node.mtime + (pin.offsetMs ?? 0);
      node.mtime = m;
      this.kernel.record('fs', 'fs.set-mtime', { path, mtimeMs: m });
      this.kernel.faultEffect(this.kernel.applying, path);
    } else {
      this.pins.set(normalize(path), pin);
      this.pinFaults.set(normalize(path), this.kernel.applying);
      this.kernel.record('fs', 'fs.set-mtime-armed', { path, ...pin });
    }
  }

  tornRead(path: string, count: number, bytes: number | undefined): void {
    this.torn.set(normalize(path), { remaining: count, bytes, fault: this.kernel.applying });
  }

  heal(): void {
    this.torn.clear();
    this.pins.clear();
    this.pinFaults.clear();
  }

  /** For truth collection and tests (not a port). */
  mtimeOf(path: string): number | undefined {
    return this.tree.get(normalize(path))?.mtime;
  }

  /** The node at a path, for truth collection and tests (not a port). */
  nodeAt(path: string): Readonly<Node> | undefined {
    return this.tree.get(normalize(path));
  }

  // ---- mtimes ------------------------------------------------------------------------------

  /** The mtime a write by `writer` gives `path` now (a pin armed for the path wins). */
  private stamp(path: string, writer: FsWriterOptions): number {
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
    return m;
  }
}

/** One host's Fs operations as blocking calls: each runs at once on the shared tree. */
class SimSyncFsPort implements SyncFs {
  constructor(
    private readonly fs: SimFileSystem,
    private readonly host: string,
    private readonly writer: FsWriterOptions,
  ) {}
  readFile(path: string): string {
    return this.fs.read(this.host, path);
  }
  writeFile(path: string, data: string): void {
    this.fs.write(this.host, this.writer, path, data, false);
  }
  appendFile(path: string, data: string): void {
    this.fs.write(this.host, this.writer, path, data, true);
  }
  rename(from: string, to: string): void {
    this.fs.rename(this.host, from, to);
  }
  stat(path: string): FileStat {
    return this.fs.stat(path);
  }
  readdir(path: string): string[] {
    return this.fs.readdir(path);
  }
  unlink(path: string): void {
    this.fs.unlink(this.host, path);
  }
  mkdir(path: string, options?: { recursive?: boolean }): void {
    this.fs.mkdir(this.host, this.writer, path, options?.recursive === true);
  }
  exists(path: string): boolean {
    return this.fs.exists(path);
  }
  utimes(path: string, mtimeMs: number): void {
    this.fs.utimes(this.host, path, mtimeMs);
  }
}

/** The promise of a blocking call's outcome: its value, or its throw as a rejection. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * One host's Fs port: every call runs at once (`sync`) and settles its promise with the
 * outcome. Classes, so a host costs two objects, not a closure per method.
 */
class SimFsPort implements Fs {
  readonly sync: SimSyncFsPort;
  constructor(fs: SimFileSystem, host: string, writer: FsWriterOptions) {
    this.sync = new SimSyncFsPort(fs, host, writer);
  }
  readFile(path: string): Promise<string> {
    return settle(() => this.sync.readFile(path));
  }
  writeFile(path: string, data: string): Promise<void> {
    return settle(() => this.sync.writeFile(path, data));
  }
  appendFile(path: string, data: string): Promise<void> {
    return settle(() => this.sync.appendFile(path, data));
  }
  rename(from: string, to: string): Promise<void> {
    return settle(() => this.sync.rename(from, to));
  }
  stat(path: string): Promise<FileStat> {
    return settle(() => this.sync.stat(path));
  }
  readdir(path: string): Promise<string[]> {
    return settle(() => this.sync.readdir(path));
  }
  unlink(path: string): Promise<void> {
    return settle(() => this.sync.unlink(path));
  }
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return settle(() => this.sync.mkdir(path, options));
  }
  exists(path: string): Promise<boolean> {
    return settle(() => this.sync.exists(path));
  }
  utimes(path: string, mtimeMs: number): Promise<void> {
    return settle(() => this.sync.utimes(path, mtimeMs));
  }
}
