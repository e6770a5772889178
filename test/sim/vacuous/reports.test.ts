import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';

const TARGET = resolve('test/fixtures/pumpTarget.ts');
const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
const scenario = {
  format: 1,
  target: 'test-pump',
  variant: 'wait-close',
  seed: 3,
  mode: 'safety',
  workload: { chunks: [{ gapMs: 10, bytes: 20, stream: 'stdout' }], exitAfterMs: 1, exitCode: 0, pumpDelayMsMax: 20 },
  faults: [],
  expect: 'pass',
};

// Each command writes under its own folder of reports/ in the working directory: run here.
describe('reports are never lost or stale', () => {
  const home = process.cwd();
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'execsim-reports-'));
    process.chdir(dir);
  });
  afterEach(() => process.chdir(home));

  it('run and explore reports live side by side; a clean exploration writes its summary and JUnit', async () => {
    writeFileSync('ok.json', JSON.stringify(scenario));
    expect(await main(['run', 'ok.json', '--target', TARGET], capture())).toBe(0);
    const runSummary = readFileSync('reports/run/summary.json', 'utf8');
    expect(JSON.parse(runSummary)).toMatchObject({ complete: true, total: 1, ok: 1 });

    const io = capture();
    expect(await main(['explore', '--target', `${TARGET}:wait-close`, '--runs', '30', '--seed', '5', '--save', 'found'], io)).toBe(0);
    expect(io.stdout).toContain('report in reports/explore/test-pump-wait-close/');
    const ex = json('reports/explore/test-pump-wait-close/summary.json');
    expect(ex).toMatchObject({
      complete: true,
      exploration: { target: 'test-pump', variant: 'wait-close', seed: 5, runs: 30, runsExecuted: 30, batches: 1, violation: null },
    });
    expect((ex.exploration as { faultKinds: string[] }).faultKinds.length).toBeGreaterThan(0);
    expect((ex.timing as { wallMs: number }).wallMs).toBeGreaterThanOrEqual(0);
    const junit = readFileSync('reports/explore/test-pump-wait-close/junit.xml', 'utf8');
    expect(junit).toContain('no violation in 30 runs');
    expect(junit).toContain('failures="0"');
    // run's report is untouched by explore
    expect(readFileSync('reports/run/summary.json', 'utf8')).toBe(runSummary);
    expect(existsSync('reports/summary.json')).toBe(false);
  });

  it('a bad input (exit 2) replaces the old report with one saying so', async () => {
    writeFileSync('ok.json', JSON.stringify(scenario));
    expect(await main(['run', 'ok.json', '--target', TARGET], capture())).toBe(0);
    writeFileSync('ok.json', JSON.stringify({ ...scenario, seed: 'x' }));
    expect(await main(['run', 'ok.json', '--target', TARGET], capture())).toBe(2);
    const s = json('reports/run/summary.json');
    expect(s).toMatchObject({ status: 'bad-input', exitCode: 2, complete: false, total: 0 });
    expect((s.problems as string[])[0]).toMatch(/^ok\.json: invalid scenario:[\s\S]*seed: expected an integer from -2147483648 to 2147483647, got "x"/);
    expect(readFileSync('reports/run/junit.xml', 'utf8')).toContain('failures="1"');

    const io = capture();
    expect(await main(['explore', '--target', `${TARGET}:nosuch`], io)).toBe(2);
    expect(io.stdout).toBe(''); // no header before the error
    expect(io.stderr).toMatch(/has no variant "nosuch"/);
    expect(json('reports/explore/test-pump-nosuch/summary.json')).toMatchObject({ status: 'bad-input', exitCode: 2 });
  });

  it('--report DIR still overrides', async () => {
    writeFileSync('ok.json', JSON.stringify(scenario));
    expect(await main(['run', 'ok.json', '--target', TARGET, '--report', 'mine'], capture())).toBe(0);
    expect(existsSync('mine/summary.json')).toBe(true);
    expect(existsSync('reports')).toBe(false);
  });
});
