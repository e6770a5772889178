import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';

const TARGET = 'test/fixtures/pumpTarget.ts';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'execsim-'));

describe('execsim explore -> saved scenario -> replay -> run', () => {
  it('a found failure is shrunk, saved, replayed to the same trace hash, and rendered', async () => {
    const dir = tmp();
    const io = capture();
    const code = await main(
      [
        'explore',
        '--target',
        `${TARGET}:early-exit`,
        '--runs',
        '200',
        '--seed',
        '42',
        '--save',
        join(dir, 'found'),
        '--report',
        join(dir, 'reports'),
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.stdout).toMatch(/✗ violation found at run \d+, shrunk in \d+ steps to 0 faults/);
    const replayLines = io.stdout.split('\n').filter((l) => l.startsWith('replay: '));
    expect(replayLines).toHaveLength(1);
    const file = join(dir, 'found', 'test-pump-early-exit-safety-seed42.json');
    expect(replayLines[0]).toBe(`replay: npx execsim replay ${file} --target ${TARGET}`);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { expect: unknown; faults: unknown[]; provenance: { foundAtRun: number } };
    expect(saved.expect).toEqual({ violates: ['no-lost-output'] });
    expect(saved.faults).toEqual([]);
    expect(saved.provenance.foundAtRun).toBeGreaterThan(0);

    // the explorer's own report of the run
    const timelines = readdirSync(join(dir, 'reports', 'timelines'));
    expect(timelines).toEqual(['test-pump-early-exit-safety-seed42.timeline.html']);
    const html = readFileSync(join(dir, 'reports', 'timelines', timelines[0] as string), 'utf8');
    expect(html).toContain('<b>no-lost-output</b> violated (safety): lost silently');

    // replay twice: identical output, same hash
    const r1 = capture();
    const r2 = capture();
    expect(await main(['replay', file, '--target', TARGET], r1)).toBe(0);
    expect(await main(['replay', file, '--target', TARGET, '--html', join(dir, 'replay.html')], r2)).toBe(0);
    expect(r1.stdout).toMatch(/trace sha256 [0-9a-f]{64}\n$/);
    const hash = (s: string) => /trace sha256 ([0-9a-f]{64})/.exec(s)?.[1];
    expect(hash(r2.stdout)).toBe(hash(r1.stdout));
    expect(existsSync(join(dir, 'replay.html'))).toBe(true);

    // the corpus run meets the saved expectation
    const run = capture();
    expect(await main(['run', join(dir, 'found'), '--target', TARGET, '--report', join(dir, 'run-reports')], run)).toBe(0);
    expect(run.stdout).toContain('1/1 scenarios as expected');
    const summary = JSON.parse(readFileSync(join(dir, 'run-reports', 'summary.json'), 'utf8')) as {
      complete: boolean;
      ok: number;
      scenarios: Array<{ traceHash: string }>;
    };
    expect(summary).toMatchObject({ complete: true, ok: 1 });
    expect(summary.scenarios[0]?.traceHash).toBe(hash(r1.stdout));
  });

  it('explore of the fixed variant exits 0, and --json is identical run to run but for timing', async () => {
    const outs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const io = capture();
      expect(
        await main(['explore', '--target', `${TARGET}:wait-close`, '--runs', '80', '--seed', '7', '--mode', 'liveness', '--json'], io),
      ).toBe(0);
      const j = JSON.parse(io.stdout) as Record<string, unknown>;
      expect(j.timing).toBeDefined();
      delete j.timing;
      outs.push(JSON.stringify(j));
    }
    expect(outs[0]).toBe(outs[1]);
    expect(JSON.parse(outs[0] as string)).toMatchObject({
      target: 'test-pump',
      variant: 'wait-close',
      mode: 'liveness',
      runsExecuted: 80,
      interrupted: false,
    });
  });

  it('a scenario that no longer meets its expectation fails the run with a replay command', async () => {
    const dir = tmp();
    const scenario = {
      format: 1,
      title: 'wait-close claimed to lose output (it does not)',
      target: 'test-pump',
      variant: 'wait-close',
      seed: 3,
      mode: 'safety',
      workload: { chunks: [{ gapMs: 10, bytes: 20, stream: 'stdout' }], exitAfterMs: 1, exitCode: 0, pumpDelayMsMax: 20 },
      faults: [],
      expect: { violates: ['no-lost-output'] },
    };
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify(scenario));
    const io = capture();
    expect(await main(['run', dir, '--target', TARGET, '--report', join(dir, 'r')], io)).toBe(1);
    expect(io.stdout).toContain(`✗ ${join(dir, 'wrong.json')}: expected no-lost-output to be violated, but it held`);
    expect(io.stdout).toContain(`replay: npx execsim replay ${join(dir, 'wrong.json')} --target ${TARGET}`);
    const junit = readFileSync(join(dir, 'r', 'junit.xml'), 'utf8');
    expect(junit).toContain('failures="1"');
    expect(junit).toContain('name="wrong › no-lost-output"');
    expect(readdirSync(join(dir, 'r', 'timelines'))).toEqual(['wrong.timeline.html']);
    expect(io.stdout).toMatch(/0\/1 scenarios as expected, 1 not \(1 expectation\)/);
    expect(JSON.parse(readFileSync(join(dir, 'r', 'summary.json'), 'utf8'))).toMatchObject({ failedAs: { expectation: 1 } });
  });

  it('exit 1 for a safety violation, named as one in the output and summary.json', async () => {
    const dir = tmp();
    const scenario = {
      format: 1,
      target: 'test-pump',
      variant: 'early-exit',
      seed: -14,
      mode: 'safety',
      workload: {
        chunks: [
          { gapMs: 74, bytes: 8, stream: 'stdout' },
          { gapMs: 10, bytes: 8, stream: 'stdout' },
        ],
        exitAfterMs: 0,
        exitCode: 0,
        pumpDelayMsMax: 30,
      },
      faults: [],
      expect: 'pass',
    };
    writeFileSync(join(dir, 'lossy.json'), JSON.stringify(scenario));
    const io = capture();
    expect(await main(['run', dir, '--target', TARGET, '--report', join(dir, 'r')], io)).toBe(1);
    expect(io.stdout).toMatch(/no-lost-output \(safety\): /);
    expect(io.stdout).toMatch(/1 not \(1 safety\)/);
    const summary = JSON.parse(readFileSync(join(dir, 'r', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ failedAs: { safety: 1, liveness: 0 } });
    expect(summary.scenarios[0].properties.terminates.notApplicable).toMatch(/liveness mode only/);
  });
});

describe('execsim: bad input exits 2 with the file, the JSON path and what was expected', () => {
  it('a bad scenario file', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        format: 1,
        target: 'test-pump',
        variant: 'early-exit',
        seed: 1,
        mode: 'safety',
        workload: {},
        faults: [{ at: 'soon', kind: 'cut' }],
        expect: 'pass',
      }),
    );
    const io = capture();
    expect(await main(['run', dir, '--target', TARGET], io)).toBe(2);
    expect(io.stderr).toContain(`execsim: ${join(dir, 'bad.json')}: invalid scenario:`);
    expect(io.stderr).toContain('  - faults[0].at: expected an integer from 0 to 86400000 (virtual ms), got "soon"');
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad usage', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['explore'], /--target NAME\[:VARIANT\] is required/],
      [['explore', '--target', `${TARGET}:wait-close`, '--runs', 'many'], /--runs: expected an integer >= 1, got "many"/],
      [['explore', '--target', `${TARGET}:wait-close`, '--mode', 'fast'], /--mode: expected one of safety, liveness, got "fast"/],
      [['explore', '--target', 'no-such-target'], /unknown target "no-such-target"/],
      [['explore', '--target', './missing.js'], /--target .\/missing.js: no such file/],
      [['replay'], /expected exactly one scenario FILE/],
      [['run', '/no/such/dir'], /no such file or folder/],
      [['run', '--bogus'], /run: Unknown option '--bogus'/],
    ];
    for (const [argv, re] of cases) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr, argv.join(' ')).toMatch(re);
    }
  });

  it('list shows targets, variants, properties and fault kinds', async () => {
    const io = capture();
    expect(await main(['list', '--target', TARGET], io)).toBe(0);
    expect(io.stdout).toContain('test-pump: a deliberately buggy output pump');
    expect(io.stdout).toContain(
      'early-exit: reports the exit before the last chunk arrives [expected: violates no-lost-output, no-false-success]',
    );
    expect(io.stdout).toContain('cut: abnormal close (1006)');
    // parameters and workload fields come from the schemas that validate them
    expect(io.stdout).toContain('      durationMs: integer from 1 to 86400000: window length (ms)\n');
    expect(io.stdout).toContain(
      '      closeAfterMs: integer from 1 to 86400000, optional: both ends finally see 1006 after this long (default: never) (ms)\n',
    );
    expect(io.stdout).toContain('    chunks[].bytes: integer >= 1: bytes of tape (bytes)\n');
  });
});
