/**
 * Fs port: the subset of `node:fs/promises` the protocols need (and of `node:fs`'s blocking calls, `sync`). Errors carry Node's `code`
 * (`ENOENT`, `EEXIST`, `ENOTDIR`...). Paths are absolute POSIX paths.
 */
export interface FileStat {
  /** Modification time in ms; may be fractional (ns granularity) and may lie (skew, set-mtime). */
  mtimeMs: number;
  size: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface Fs {
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  appendFile(path: string, data: string): Promise<void>;
  /** Atomic: readers see the old file or the new one, never a mix. Keeps the mtime. */
  rename(from: string, to: string): Promise<void>;
  stat(path: string): Promise<FileStat>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<string[]>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Sets the mtime explicitly (like `fs.utimes`). */
  utimes(path: string, mtimeMs: number): Promise<void>;
  /** The same file system through blocking calls. */
  readonly sync: SyncFs;
}

/**
 * The Fs operations as blocking calls (`node:fs`'s `*Sync`, Rust's `std::fs`): for a program
 * whose file reads never yield to anything else, such as a CLI's poll loop. Same results, same
 * errors, same records as the promise API; only no turn of the event loop between calls.
 */
export interface SyncFs {
  readFile(path: string): string;
  writeFile(path: string, data: string): void;
  appendFile(path: string, data: string): void;
  rename(from: string, to: string): void;
  stat(path: string): FileStat;
  readdir(path: string): string[];
  unlink(path: string): void;
  mkdir(path: string, options?: { recursive?: boolean }): void;
  exists(path: string): boolean;
  utimes(path: string, mtimeMs: number): void;
}

export function isFsError(e: unknown, code?: string): e is Error & { code: string } {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' && (code === undefined || c === code);
}
