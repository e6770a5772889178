import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe('execsim CLI', () => {
  it('the bin prints usage with --help and exits 0', () => {
    const out = execFileSync(process.execPath, ['sim/cli/bin.js', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/^execsim: deterministic simulation/);
    expect(out).toMatch(/Usage:/);
  });

  it('smoke prints the smoke world trace hash, the same every time', async () => {
    const a = capture();
    const b = capture();
    expect(await main(['smoke', '--seed', '1'], a)).toBe(0);
    expect(await main(['smoke', '--seed', '1'], b)).toBe(0);
    expect(a.stdout).toMatch(/trace sha256 [0-9a-f]{64}/);
    expect(a.stdout).toBe(b.stdout);
  });

  it('bad usage exits 2 with one clear line and no stack trace', async () => {
    for (const argv of [['bogus'], ['smoke', '--seed', 'x'], ['run', '--nope'], []]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr + io.stdout).not.toMatch(/\n\s+at /);
    }
    const io = capture();
    await main(['smoke', '--seed', 'x'], io);
    expect(io.stderr).toBe('execsim: --seed: expected an integer, got "x"\n');
  });
});
