/**
 * The simulated file system against the real one: random operation sequences on a small set of
 * paths, run on the simulator's fs port and on node:fs in a temporary directory, must give the
 * same results, the same error codes and the same messages (with the directory's prefix
 * removed). Mtimes are the simulator's own (fs.test.ts); this is about everything else.
 */
import fc from 'fast-check';
import * as realSync from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import * as real from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fs, SyncFs } from '../../sim/ports/index.ts';
import { normalize } from '../../sim/fs/tree.ts';
import { createWorld } from '../../sim/world.ts';

const PATHS = ['/a', '/a/b', '/a/b/c', '/a/x', '/d', '/d/e', '/f'];
const path = fc.constantFrom(...PATHS);
const data = fc.constantFrom('', 'x', 'héllo\n', 'status = "success"\n');

type Op =
  | { op: 'writeFile' | 'appendFile'; path: string; data: string }
  | { op: 'mkdir'; path: string; recursive: boolean }
  | { op: 'rename'; from: string; to: string }
  | { op: 'readFile' | 'stat' | 'readdir' | 'unlink' | 'exists'; path: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('writeFile' as const, 'appendFile' as const), path, data }),
  fc.record({ op: fc.constant('mkdir' as const), path, recursive: fc.boolean() }),
  fc.record({ op: fc.constant('rename' as const), from: path, to: path }),
  fc.record({ op: fc.constantFrom('readFile' as const, 'stat' as const, 'readdir' as const, 'unlink' as const, 'exists' as const), path }),
);

/** One operation on either side, as a comparable value: the result, or the error's code and message. */
async function apply(fs: Fs, o: Op): Promise<unknown> {
  try {
    switch (o.op) {
      case 'writeFile':
      case 'appendFile':
        return await fs[o.op](o.path, o.data);
      case 'mkdir':
        return await fs.mkdir(o.path, { recursive: o.recursive });
      case 'rename':
        return await fs.rename(o.from, o.to);
      case 'stat': {
        const s = await fs.stat(o.path);
        return { size: s.isDirectory() ? 'dir' : s.size, file: s.isFile() };
      }
      default:
        return await fs[o.op](o.path);
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    return { code: err.code, message: err.message };
  }
}

/** The same through the blocking calls. */
function applySync(fs: SyncFs, o: Op): unknown {
  try {
    switch (o.op) {
      case 'writeFile':
      case 'appendFile':
        return fs[o.op](o.path, o.data);
      case 'mkdir':
        return fs.mkdir(o.path, { recursive: o.recursive });
      case 'rename':
        return fs.rename(o.from, o.to);
      case 'stat': {
        const s = fs.stat(o.path);
        return { size: s.isDirectory() ? 'dir' : s.size, file: s.isFile() };
      }
      default:
        return fs[o.op](o.path);
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    return { code: err.code, message: err.message };
  }
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** node:fs rooted in a fresh temporary directory, as an Fs port with the root's prefix hidden. */
function realFs(): Fs {
  const root = mkdtempSync(`${tmpdir()}/execsim-fs-`);
  roots.push(root);
  const at = (p: string) => root + p;
  const strip = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: Error) => {
      e.message = e.message.split(root).join('');
      throw e;
    });
  const stripSync = <T>(call: () => T): T => {
    try {
      return call();
    } catch (e) {
      (e as Error).message = (e as Error).message.split(root).join('');
      throw e;
    }
  };
  const sync: SyncFs = {
    readFile: (p) => stripSync(() => realSync.readFileSync(at(p), 'utf8')),
    writeFile: (p, d) => stripSync(() => realSync.writeFileSync(at(p), d)),
    appendFile: (p, d) => stripSync(() => realSync.appendFileSync(at(p), d)),
    rename: (a, b) => stripSync(() => realSync.renameSync(at(a), at(b))),
    stat: (p) => stripSync(() => realSync.statSync(at(p))),
    readdir: (p) => stripSync(() => realSync.readdirSync(at(p)).sort()),
    unlink: (p) => stripSync(() => realSync.unlinkSync(at(p))),
    mkdir: (p, o) => stripSync(() => void realSync.mkdirSync(at(p), o)),
    exists: (p) => realSync.existsSync(at(p)),
    utimes: (p, m) => stripSync(() => realSync.utimesSync(at(p), m / 1000, m / 1000)),
  };
  return {
    sync,
    readFile: (p) => strip(real.readFile(at(p), 'utf8')),
    writeFile: (p, d) => strip(real.writeFile(at(p), d)),
    appendFile: (p, d) => strip(real.appendFile(at(p), d)),
    rename: (a, b) => strip(real.rename(at(a), at(b))),
    stat: (p) => strip(real.stat(at(p))),
    readdir: (p) => strip(real.readdir(at(p)).then((names) => names.sort())),
    unlink: (p) => strip(real.unlink(at(p))),
    mkdir: (p, o) => strip(real.mkdir(at(p), o).then(() => undefined)),
    exists: (p) =>
      real.stat(at(p)).then(
        () => true,
        () => false,
      ),
    utimes: (p, m) => strip(real.utimes(at(p), m / 1000, m / 1000)),
  };
}

describe('fs: the simulated tree behaves as the real file system', () => {
  it('same results, error codes and messages for random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const sim = createWorld({ seed: 1 }).host('w').fs;
        const disk = realFs();
        for (const o of ops) expect([o, await apply(sim, o)]).toEqual([o, await apply(disk, o)]);
        for (const p of ['/', ...PATHS])
          expect([p, await apply(sim, { op: 'readdir', path: p })]).toEqual([p, await apply(disk, { op: 'readdir', path: p })]);
      }),
      { numRuns: 200, seed: 18 },
    );
  }, 60_000);

  it("and so do its blocking calls (Fs.sync), against node:fs's", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const sim = createWorld({ seed: 1 }).host('w').fs.sync;
        const disk = realFs().sync;
        for (const o of ops) expect([o, applySync(sim, o)]).toEqual([o, applySync(disk, o)]);
        for (const p of ['/', ...PATHS])
          expect([p, applySync(sim, { op: 'readdir', path: p })]).toEqual([p, applySync(disk, { op: 'readdir', path: p })]);
      }),
      { numRuns: 200, seed: 18 },
    );
  }, 60_000);
});

describe('fs: paths', () => {
  it('normalize resolves a path against / as Node does, and hands a normal one back as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('/', '.', 'a', 'b'), maxLength: 12 }), (p) => {
        const resolved = posix.resolve('/', p);
        expect(normalize(p)).toBe(resolved);
        if (resolved === p) expect(normalize(p)).toBe(p);
      }),
      { numRuns: 5_000, seed: 5 },
    );
    for (const p of ['/', '/a/.b', '/a/..b', '/a/b.', '/.a']) expect(normalize(p)).toBe(p);
    for (const [p, n] of [
      ['/a/.', '/a'],
      ['/a/..', '/'],
      ['/a//b/', '/a/b'],
      ['a/./b', '/a/b'],
      ['', '/'],
    ])
      expect(normalize(p as string)).toBe(n);
  });
});
