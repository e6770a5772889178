import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';
import { meetsExpectation } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';

const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
const expecting = (expect: Scenario['expect']): Scenario =>
  ({ format: 1, target: 't', variant: 'v', seed: 1, mode: 'safety', workload: {}, faults: [], expect }) as Scenario;
const checks = { results: {} } as never;

describe('expect.violates is exact', () => {
  it('an extra violated property fails the scenario and is named', () => {
    const r = meetsExpectation(expecting({ violates: ['no-lost-output'] }), { violated: ['no-lost-output', 'no-false-success'], checks });
    expect(r).toEqual({ ok: false, why: 'also violated, not expected: no-false-success' });
  });

  it('exactly the expected properties meet it, in any order', () => {
    const r = meetsExpectation(expecting({ violates: ['a', 'b'] }), { violated: ['b', 'a'], checks });
    expect(r.ok).toBe(true);
  });

  it('a missing and an extra property are both named', () => {
    const r = meetsExpectation(expecting({ violates: ['a'] }), { violated: ['b'], checks });
    expect(r).toEqual({ ok: false, why: 'expected a to be violated, but it held; also violated, not expected: b' });
  });

  it('allowOthers opts in to "at least these", and still demands each of them', () => {
    const s = expecting({ violates: ['a'], allowOthers: true });
    expect(meetsExpectation(s, { violated: ['a', 'b'], checks }).ok).toBe(true);
    expect(meetsExpectation(s, { violated: ['b'], checks }).ok).toBe(false);
  });

  it('no corpus file uses allowOthers', () => {
    const out = execGrep();
    expect(out).toEqual([]);
  });

  it('run fails a corpus file whose expectation drops one of its real violations (exit 1, named)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-exact-'));
    const s = JSON.parse(readFileSync('scenarios/field-bugs/exec-stream/f22-v0-poll-lost-exit-watcher.json', 'utf8')) as Scenario & {
      $schema?: string;
    };
    delete s.$schema;
    s.expect = { violates: ['truthful-exit'] };
    const file = join(dir, 'f22.json');
    writeFileSync(file, JSON.stringify(s));
    const io = capture();
    expect(await main(['run', file, '--report', join(dir, 'reports')], io)).toBe(1);
    expect(io.stdout).toContain('also violated, not expected: no-false-failure');
    expect(io.stdout).toContain('0/1 scenarios as expected, 1 not');
  });
});

function execGrep(): string[] {
  const hits: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSyncSafe(dir)) {
      const p = join(dir, name);
      if (name.endsWith('.json')) {
        if (readFileSync(p, 'utf8').includes('allowOthers') && !name.endsWith('.schema.json')) hits.push(p);
      } else if (!name.includes('.')) walk(p);
    }
  };
  walk('scenarios');
  return hits;
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
