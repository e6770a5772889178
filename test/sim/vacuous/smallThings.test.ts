import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';
import { describeEvent } from '../../../sim/report/lanes.ts';

const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};

describe('small things seen on the way (issue 13)', () => {
  it('--runs -5 is refused by --runs itself, not as an ambiguous argument', async () => {
    const io = capture();
    expect(await main(['explore', '--target', 'session-wait:fixed', '--runs', '-5', '--report', join(tmpdir(), 'x-h4')], io)).toBe(2);
    expect(io.stderr).toBe('execsim: --runs: expected an integer >= 1, got "-5"\n');
    const seed = capture();
    // a negative seed is a fine value
    expect(await main(['smoke', '--seed', '-3'], seed)).toBe(0);
  });

  it('explore --target session-wait:nosuch prints the error and no header', async () => {
    const io = capture();
    expect(await main(['explore', '--target', 'session-wait:nosuch', '--report', join(tmpdir(), 'x-h4')], io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toMatch(/^execsim: target session-wait has no variant "nosuch"/);
  });

  it('replay says "1 fault", not "1 faults"', async () => {
    const io = capture();
    expect(await main(['replay', 'scenarios/field-bugs/exec-stream/37207-lag-skips.json'], io)).toBe(0);
    expect(io.stdout).toContain('safety mode, 1 fault\n');
  });

  it('trace lines print numbers at a fixed precision', () => {
    const line = describeEvent({ t: 0, actor: 'fs', kind: 'fs.set-mtime', data: { mtimeMs: 0.0000049999999999999996, n: 3 } });
    expect(line).toBe('fs.set-mtime mtimeMs=0.000005 n=3');
  });

  it('an invisible character in a binary file is named by its code point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-bin-'));
    writeFileSync(join(dir, 'bom.json'), '\uFEFF{}');
    writeFileSync(join(dir, 'nul.json'), '\u0000\u0001');
    for (const [name, code] of [
      ['bom.json', 'U+FEFF'],
      ['nul.json', 'U+0000'],
    ]) {
      const io = capture();
      expect(await main(['run', join(dir, name as string), '--report', join(dir, 'r')], io)).toBe(2);
      expect(io.stderr).toContain(`not valid JSON at line 1, column 1: unexpected character ${code}`);
    }
  });
});
