/**
 * Exit status by class (issue 11): every violation exits 1 by default; with --exit-by-class a
 * run or an exploration whose only violations are liveness ones exits 4, and any safety
 * violation still exits 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';

function capture(): Io & { stdout: string } {
  const io = { stdout: '', out: (t: string) => void (io.stdout += t), err: () => undefined };
  return io;
}

/** A corpus file with its expectation turned into "pass", so its violations fail the run. */
function expectingPass(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-class-'));
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const out = join(dir, file.split('/').pop() as string);
  writeFileSync(out, JSON.stringify({ ...s, expect: 'pass' }));
  return out;
}

const LIVENESS_ONLY = 'scenarios/field-bugs/exec-stream/issue12-late-subscriber-hang.v1-strict.json'; // terminates
const SAFETY = 'scenarios/field-bugs/session-wait/1442-same-second-tie.pre-1445.json'; // no-false-failure
const BOTH = 'scenarios/field-bugs/session-wait/pid-reuse-after-death.pid-only.json'; // terminates + truthful-cap-exit

describe('execsim run: exit status tells a liveness violation from a safety one when asked', () => {
  it('a liveness-only failure exits 1 by default and 4 with --exit-by-class', async () => {
    const file = expectingPass(LIVENESS_ONLY);
    const report = join(file, '..', 'r');
    expect(await main(['run', file, '--report', report], capture())).toBe(1);
    const io = capture();
    expect(await main(['run', file, '--report', report, '--exit-by-class'], io)).toBe(4);
    expect(io.stdout).toMatch(/terminates \(liveness\)/);
    expect(io.stdout).toMatch(/1 not \(1 liveness\)/);
  });

  it('a safety failure, alone or beside a liveness one, exits 1 with --exit-by-class', async () => {
    for (const f of [SAFETY, BOTH]) {
      const file = expectingPass(f);
      expect(await main(['run', file, '--report', join(file, '..', 'r'), '--exit-by-class'], capture())).toBe(1);
    }
  });

  it('two files, one liveness-only and one safety: exit 1', async () => {
    const a = expectingPass(LIVENESS_ONLY);
    const b = expectingPass(SAFETY);
    expect(await main(['run', a, b, '--report', join(a, '..', 'r2'), '--exit-by-class'], capture())).toBe(1);
  });
});

describe('exitOfClasses (run and explore share it)', () => {
  it('4 only when every failure is a liveness one', async () => {
    const { exitOfClasses } = await import('../../../sim/cli/exitCodes.ts');
    expect(exitOfClasses({ safety: 0, liveness: 2, expectation: 0 })).toBe(4);
    expect(exitOfClasses({ safety: 1, liveness: 2, expectation: 0 })).toBe(1);
    expect(exitOfClasses({ safety: 0, liveness: 2, expectation: 1 })).toBe(1);
    expect(exitOfClasses({ safety: 0, liveness: 0, expectation: 0 })).toBe(1);
  });
});
