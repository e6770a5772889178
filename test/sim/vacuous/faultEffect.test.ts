import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { main, type Io } from '../../../sim/cli/main.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { runScenario } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';

const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
const PID_REUSE = 'scenarios/field-bugs/session-wait/pid-reuse-after-death.fixed.json';
const TORN = 'scenarios/field-bugs/session-wait/torn-result-read-packet-decides.fixed.json';
const ATTACH = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
const LAG_SKIPS = 'scenarios/field-bugs/exec-stream/37207-lag-skips.json';
const RESULT = '/state/csa/project/sessions/01JW5S3SS10N000000000000AA/result.toml';

/** `run` of a corpus file with its fault schedule replaced: exit code and output. */
async function runWith(file: string, faults: unknown[]): Promise<{ code: number; stderr: string; stdout: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-effect-'));
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  s.faults = faults;
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(s));
  const io = capture();
  const code = await main(['run', path, '--report', join(dir, 'reports')], io);
  return { code, stderr: io.stderr, stdout: io.stdout, dir };
}

describe('every fault must take effect', () => {
  it('a kill aimed at a misspelt process is refused before the run, naming the processes of the run', async () => {
    const r = await runWith(PID_REUSE, [{ at: 10000, kind: 'kill', target: 'daemon', signal: 'SIGKILL' }]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid scenario');
    expect(r.stderr).toMatch(/faults\[0\]: kill "daemon" matched no process \(processes in this run: csa-daemon, csa-wait\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const summary = JSON.parse(readFileSync(join(r.dir, 'reports', 'summary.json'), 'utf8')) as { status: string; error: string };
    expect(summary.status).toBe('bad-input');
    expect(summary.error).toContain('kill "daemon" matched no process');
  });

  it('a kill of a pid no process has is found after the run (the dynamic check), naming the processes it had', async () => {
    const r = await runWith(PID_REUSE, [{ at: 10000, kind: 'kill', target: '4242', signal: 'SIGKILL' }]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a fault took no effect');
    expect(r.stderr).toMatch(/faults\[0\]: kill "4242" matched no process \(processes in this run: [^)]*csa-daemon/);
    const summary = JSON.parse(readFileSync(join(r.dir, 'reports', 'summary.json'), 'utf8')) as { status: string; refused: string[] };
    expect(summary.status).toBe('bad-input');
    expect(summary.refused[0]).toContain('kill "4242" matched no process');
  });

  it('a pid-reuse of a misspelt name exits 2', async () => {
    const r = await runWith(PID_REUSE, [
      { at: 10000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' },
      { at: 12000, kind: 'pid-reuse', target: 'csa-deamon' },
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[1]: pid-reuse "csa-deamon" matched no process');
    expect(r.stderr).not.toContain('faults[0]');
  });

  it('torn-read and set-mtime of session files this run never reads or writes: exit 2 after the run, naming its files', async () => {
    const dir = RESULT.slice(0, RESULT.lastIndexOf('/'));
    const r = await runWith(TORN, [
      { at: 2400, kind: 'torn-read', target: `${dir}/output.log`, count: 1 },
      { at: 2400, kind: 'set-mtime', target: `${dir}/output/result.toml`, mtimeMs: 0 },
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/faults\[0\]: torn-read ".*\/output\.log" matched no read of a file \(files in this run: [^)]*result\.toml/);
    expect(r.stderr).toMatch(/faults\[1\]: set-mtime ".*\/output\/result\.toml" matched no file, now or at a later write/);
  });

  it('a cut of a connection the run never opens exits 2 after the run, naming the connections it had', async () => {
    const r = await runWith(ATTACH, [{ at: 2000, kind: 'cut', target: 'client->runner#9' }]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /faults\[0\]: cut "client->runner#9" matched no open connection at 2000 ms \(connections in this run: client->runner#1/,
    );
  });

  it('a fault scheduled after the run has ended never fires: exit 2', async () => {
    const late = await runWith(LAG_SKIPS, [{ at: 50_000_000, kind: 'consumer-stall', durationMs: 300 }]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/faults\[0\]: consumer-stall at 50000000 ms never fired: the run ended at \d+ ms/);
    const r = await runWith(PID_REUSE, [
      { at: 10000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' },
      { at: 3_000_000, kind: 'kill', target: 'csa-daemon' },
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/faults\[1\]: kill at 3000000 ms never fired: the run ended at \d+ ms/);
    expect(r.stderr).not.toContain('faults[0]');
  });

  it('the trace records, for each fault, when it took effect and on what', async () => {
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const { scenario, target } = await loadScenarioText(readFileSync(PID_REUSE, 'utf8'), PID_REUSE, registry);
    const run = await runScenario(target, scenario);
    expect(run.noEffect).toEqual([]);
    const outcomes = run.world.trace.events.filter((e) => e.kind === 'fault.outcome').map((e) => e.data);
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatchObject({ index: 0, kind: 'kill', firedAt: 10000, effect: { t: 10000 } });
    expect((outcomes[0] as { effect: { on: string } }).effect.on).toMatch(/^csa-daemon \(pid \d+\)$/);
    expect(outcomes[1]).toMatchObject({ index: 1, kind: 'pid-reuse', firedAt: 12000 });
    expect((outcomes[1] as { effect: { on: string } }).effect.on).toMatch(/^pid \d+ of csa-daemon$/);
    expect(run.world.trace.events.filter((e) => e.kind === 'fault.effect')).toHaveLength(2);
  });

  it('explore saves only faults that took effect', async () => {
    // seed 4: the violation it finds needs a fault (since issue 12's zombies, seed 3 finds one that needs none)
    const dir = mkdtempSync(join(tmpdir(), 'execsim-effect-explore-'));
    const io = capture();
    const args = [
      'explore',
      '--target',
      'session-wait:pid-only',
      '--runs',
      '250',
      '--seed',
      '4',
      '--save',
      dir,
      '--report',
      join(dir, 'r'),
    ];
    expect(await main(args, io)).toBe(1);
    const file = join(dir, 'session-wait-pid-only-safety-seed4.json');
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const { scenario, target } = await loadScenarioText(readFileSync(file, 'utf8'), file, registry);
    expect(scenario.faults.length).toBeGreaterThan(0);
    // the file's seed is the world seed drawn; provenance says which seed explore was given
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { provenance: { exploreSeed: number; seedNote: string } };
    expect(saved.provenance.exploreSeed).toBe(4);
    expect(saved.provenance.seedNote).toContain('world seed');
    const run = await runScenario(target, scenario);
    expect(run.noEffect).toEqual([]);
    expect(run.fates.every((f) => f.effect !== null)).toBe(true);
  });
});
