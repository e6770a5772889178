/**
 * The simulated file system's store: an in-memory tree with POSIX (Linux) semantics for the
 * operations of the Fs port, and an index by path so a lookup is one map read. It replaced
 * memfs, which asked the real process for its uid and gid and stamped a wall-clock Date on every
 * node it touched: that was a quarter of a session-wait run. The mtime lives on the node, so a
 * rename carries it (and a directory's subtree) along.
 *
 * Errors are Node's: `code`, `errno`, `syscall`, `path` and the message libuv gives,
 * e.g. "ENOENT: no such file or directory, open '/x'".
 */
import { withoutStack } from '../ports/errors.ts';

export interface FileNode {
  readonly kind: 'file';
  text: string;
  /** UTF-8 byte length of `text`, computed on first `stat`; -1 when unknown. */
  bytes: number;
  mtime: number;
}

export interface DirNode {
  readonly kind: 'dir';
  readonly children: Map<string, Node>;
  mtime: number;
}

export type Node = FileNode | DirNode;

const UV: Record<string, [number, string]> = {
  EPERM: [-1, 'operation not permitted'],
  ENOENT: [-2, 'no such file or directory'],
  EEXIST: [-17, 'file already exists'],
  ENOTDIR: [-20, 'not a directory'],
  EISDIR: [-21, 'illegal operation on a directory'],
  EINVAL: [-22, 'invalid argument'],
  ENOTEMPTY: [-39, 'directory not empty'],
};

export function fsError(code: keyof typeof UV, syscall: string, path?: string, dest?: string): Error {
  const [errno, text] = UV[code] as [number, string];
  let message = `${code}: ${text}, ${syscall}`;
  if (path !== undefined) message += ` '${path}'`;
  if (dest !== undefined) message += ` -> '${dest}'`;
  return Object.assign(withoutStack(() => new Error(message)), {
    errno,
    code,
    syscall,
    ...(path !== undefined ? { path } : {}),
    ...(dest !== undefined ? { dest } : {}),
  });
}

/** The absolute normal form of a path (`/a/b`), resolved against `/` as the simulated cwd. */
export function normalize(path: string): string {
  if (isNormal(path)) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * Already in normal form: absolute, no empty, `.` or `..` segment, no trailing `/` (but `/`).
 * A scan of char codes: every fs call asks it of a path that almost always is.
 */
function isNormal(p: string): boolean {
  const n = p.length;
  if (n === 0 || p.charCodeAt(0) !== 47 /* / */) return false;
  if (n > 1 && p.charCodeAt(n - 1) === 47) return false;
  for (let i = 0; i < n - 1; i++) {
    if (p.charCodeAt(i) !== 47) continue;
    const a = p.charCodeAt(i + 1);
    if (a === 47) return false; // `//`
    if (a !== 46 /* . */) continue;
    const b = i + 2 < n ? p.charCodeAt(i + 2) : 47; // the end ends a segment as `/` does
    if (b === 47) return false; // `/./`, or `/.` at the end
    if (b === 46 && (i + 3 >= n || p.charCodeAt(i + 3) === 47)) return false; // `/../`, or `/..` at the end
  }
  return true;
}

export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export class FsTree {
  private readonly index = new Map<string, Node>();

  constructor(rootMtime: number) {
    this.index.set('/', { kind: 'dir', children: new Map(), mtime: rootMtime });
  }

  /** The node at a normal path, if any. */
  get(p: string): Node | undefined {
    return this.index.get(p);
  }

  /** The node at `p`, or the error Node gives for a path that does not resolve. */
  resolve(p: string, syscall: string, shown: string, dest?: string): Node {
    return this.index.get(p) ?? this.missing(p, syscall, shown, dest);
  }

  /** ENOENT, or ENOTDIR when the nearest existing ancestor is a file. */
  missing(p: string, syscall: string, shown: string, dest?: string): never {
    let a = parentOf(p);
    while (!this.index.has(a)) a = parentOf(a);
    throw fsError(this.index.get(a)?.kind === 'file' ? 'ENOTDIR' : 'ENOENT', syscall, shown, dest);
  }

  /** The directory that holds `p` (which must not be `/`). */
  parentDir(p: string, syscall: string, shown: string, dest?: string): DirNode {
    const parent = this.resolve(parentOf(p), syscall, shown, dest);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', syscall, shown, dest);
    return parent;
  }

  /** Writes or appends to a file, creating it; returns the file. */
  write(p: string, shown: string, data: string, append: boolean): FileNode {
    const node = this.index.get(p);
    if (node?.kind === 'dir') throw fsError('EISDIR', 'open', shown);
    if (node) {
      node.text = append ? node.text + data : data;
      node.bytes = -1;
      return node;
    }
    const file: FileNode = { kind: 'file', text: data, bytes: -1, mtime: 0 };
    this.link(this.parentDir(p, 'open', shown), p, file);
    return file;
  }

  /** Creates one directory under an existing one. */
  mkdir(p: string, mtime: number): DirNode {
    const dir: DirNode = { kind: 'dir', children: new Map(), mtime };
    this.link(this.parentDir(p, 'mkdir', p), p, dir);
    return dir;
  }

  unlink(p: string, shown: string): void {
    const node = this.resolve(p, 'unlink', shown);
    if (node.kind === 'dir') throw fsError(p === '/' ? 'EPERM' : 'EISDIR', 'unlink', shown);
    (this.index.get(parentOf(p)) as DirNode).children.delete(baseOf(p));
    this.index.delete(p);
  }

  /** rename(2): replaces a file, or an empty directory with a directory; atomic. */
  rename(from: string, to: string, shownFrom: string, shownTo: string): void {
    // Linux resolves both parents before it looks the source up
    this.parentDir(from, 'rename', shownFrom, shownTo);
    const dest = this.parentDir(to, 'rename', shownFrom, shownTo);
    const node = this.resolve(from, 'rename', shownFrom, shownTo);
    if (from === to) return;
    if (from === '/' || to === '/' || to.startsWith(from + '/')) throw fsError('EINVAL', 'rename', shownFrom, shownTo);
    if (from.startsWith(to + '/')) throw fsError('ENOTEMPTY', 'rename', shownFrom, shownTo);
    const old = this.index.get(to);
    if (old) {
      if (node.kind === 'file' && old.kind === 'dir') throw fsError('EISDIR', 'rename', shownFrom, shownTo);
      if (node.kind === 'dir' && old.kind === 'file') throw fsError('ENOTDIR', 'rename', shownFrom, shownTo);
      if (old.kind === 'dir' && old.children.size > 0) throw fsError('ENOTEMPTY', 'rename', shownFrom, shownTo);
    }
    (this.index.get(parentOf(from)) as DirNode).children.delete(baseOf(from));
    this.unindex(from, node);
    dest.children.set(baseOf(to), node);
    this.reindex(to, node);
  }

  private link(parent: DirNode, p: string, node: Node): void {
    parent.children.set(baseOf(p), node);
    this.index.set(p, node);
  }

  private unindex(p: string, node: Node): void {
    this.index.delete(p);
    if (node.kind === 'dir') for (const [name, child] of node.children) this.unindex(`${p}/${name}`, child);
  }

  private reindex(p: string, node: Node): void {
    this.index.set(p, node);
    if (node.kind === 'dir') for (const [name, child] of node.children) this.reindex(`${p}/${name}`, child);
  }
}
