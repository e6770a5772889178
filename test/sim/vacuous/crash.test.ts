/**
 * A bug of execsim's own is exit 3 with one line naming a report file (the stack goes there),
 * never a stack trace on the terminal: in a command (here runScenario made to throw, as a harness
 * bug would), and for an exception nothing caught (bin.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';

vi.mock('../../../sim/runner.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../sim/runner.ts')>();
  return {
    ...real,
    runScenario: async () => {
      const bug: { deep?: { name: string } } = {};
      return (bug.deep as { name: string }).name;
    },
  };
});

const capture = (dir: string): Io & { stdout: string; stderr: string } => {
  const io = {
    stdout: '',
    stderr: '',
    crashDir: dir,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
};

describe("execsim's own crash", () => {
  it('exits 3 with one line and the report path; the stack is in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-crash-'));
    const io = capture(dir);
    const file = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
    expect(await main(['run', file, '--report', join(dir, 'reports')], io)).toBe(3);
    const lines = io.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^execsim: internal error \(a bug in execsim, please report it\): TypeError: .*; details in .*crash\.txt$/);
    const report = readFileSync(join(dir, 'crash.txt'), 'utf8');
    expect(report).toContain(`command: execsim run ${file}`);
    expect(report).toMatch(/TypeError: .*\n\s+at /);
  });

  it('an exception nothing caught (a stray timer) exits 3 the same way, through bin.js', () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-stray-'));
    const mod = join(dir, 'stray.mjs');
    writeFileSync(mod, "setTimeout(() => { throw new TypeError('stray timer'); }, 0);\nexport const target = undefined;\n");
    const r = spawnSync(process.execPath, [resolve('sim/cli/bin.js'), 'list', '--target', mod], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      /execsim: internal error \(a bug in execsim, please report it\): TypeError: stray timer; details in .*crash\.txt\n$/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'reports', 'crash.txt'), 'utf8')).toContain('stray timer');
  });
});
