import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanRetention, scanRetentionTree } from '../helpers/retentionScan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('retention guard: no closure V8 allocates in old space in simulated code (issue 17)', () => {
  it('finds none in sim/ and reference-impl/', () => {
    const { files, hits } = scanRetentionTree(ROOT, ['sim', 'reference-impl']);
    expect(files).toBeGreaterThan(100);
    expect(hits.map((h) => `${h.file}:${h.line}: ${h.rule}: ${h.text}`)).toEqual([]);
  });

  it('flags a function literal assigned straight to a property (the scan can fail)', () => {
    const bad = [
      'function f(o) { o.cb = () => 1; }',
      'class A { constructor() { this.cb = function () {}; } }',
      "function f(o) { o['cb'] = (x) => x; }",
      'function f(o) { o.cb ??= async () => 1; }',
      'function f(o) { o.cb = (() => 1) as never; }',
    ];
    for (const src of bad)
      expect(
        scanRetention('x.ts', src).map((h) => h.rule),
        src,
      ).toEqual(['closure stored in a property']);
  });

  it('flags an accessor in an object literal made inside a function', () => {
    const hits = scanRetention('x.ts', 'function run(w) { return { w, get hash() { return w.h; } }; }');
    expect(hits.map((h) => [h.line, h.rule])).toEqual([[1, 'accessor in a per-call object literal']]);
  });

  it('passes the forms V8 keeps young', () => {
    const good = [
      'function f(o) { const cb = () => 1; o.cb = cb; }',
      'class A { cb = () => 1; }',
      'function f() { return { cb: () => 1, m() { return 1; } }; }',
      'function f(o) { o.on("x", () => 1); }',
      'const MODULE = { get x() { return 1; } };',
      'class A { get x() { return 1; } }',
    ];
    for (const src of good) expect(scanRetention('x.ts', src), src).toEqual([]);
  });
});
