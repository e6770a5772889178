import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../sim/cli/main.ts';
import {
  ExecsimError,
  TargetRegistry,
  exploreTarget,
  loadScenario,
  registerTarget,
  replay,
  runScenario,
  validateExecutor,
} from '../../sim/lib.ts';
import { expectHolds, PropertyViolation } from '../../sim/vitest.ts';
import { pumpTarget } from '../fixtures/pumpTarget.ts';

const MODULE = 'test/fixtures/pumpTarget.ts';
const tmp = () => mkdtempSync(join(tmpdir(), 'execsim-lib-'));
const withoutTiming = (r: object) => ({ ...r, timing: undefined });

describe('the library (import from "execsim")', () => {
  it('exploreTarget gives what `execsim explore --json` prints, but for timing', async () => {
    const dir = tmp();
    const opts = ['--runs', '200', '--seed', '42', '--save', dir, '--report', dir];
    let printed = '';
    const io: Io = { out: (t) => void (printed += t), err: () => undefined };
    expect(await main(['explore', '--json', '--target', `${MODULE}:early-exit`, ...opts], io)).toBe(1);
    const lib = await exploreTarget({ target: MODULE, variant: 'early-exit', runs: 200, seed: 42, save: dir, report: dir });
    expect(withoutTiming(lib)).toEqual(withoutTiming(JSON.parse(printed) as object));
    expect(lib.violation?.violated).toEqual(['no-lost-output']);
    expect(lib.file).toBe(join(dir, 'test-pump-early-exit-safety-seed42.json'));

    // the saved scenario loads, runs and replays as the CLI would
    const replayed = await replay(lib.file as string);
    expect(replayed.ok).toBe(true);
    expect(replayed.violated).toEqual(['no-lost-output']);
    const { target, scenario } = await loadScenario(lib.file as string);
    expect((await runScenario(target, scenario)).traceHash).toBe(replayed.traceHash);
  });

  it('a registered target object can be explored and named by scenarios', async () => {
    const reg = new TargetRegistry();
    registerTarget(pumpTarget, reg);
    const dir = tmp();
    const r = await exploreTarget({ target: 'test-pump', variant: 'wait-close', runs: 50, seed: 3, save: dir, report: dir }, reg);
    expect(r.violation).toBeUndefined();
    expect(r.runsExecuted).toBe(50);
    expect(() => registerTarget({ name: 'Bad Name', run: 1 }, reg)).toThrow(
      /name: expected a kebab-case string[\s\S]*run: expected a function/,
    );
  });

  it('a bad scenario file is an ExecsimError naming the file and the JSON path', async () => {
    const file = join(tmp(), 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 1, target: 'attach-pump', variant: 'cursor', seed: 'x' }));
    const e = await loadScenario(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecsimError);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toMatch(/seed/);
  });

  it('expectHolds: resolves when the property holds, throws the violation, saved file and replay line when not', async () => {
    const dir = tmp();
    await expect(expectHolds({ target: MODULE, variant: 'wait-close', runs: 100, seed: 1, save: dir, report: dir })).resolves.toMatchObject(
      {
        runsExecuted: 100,
      },
    );
    const err = await expectHolds({ target: MODULE, variant: 'early-exit', runs: 200, seed: 42, save: dir, report: dir }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PropertyViolation);
    const file = join(dir, 'test-pump-early-exit-safety-seed42.json');
    const message = (err as Error).message;
    expect(message).toMatch(/^test-pump:early-exit violated no-lost-output \(safety, seed 42; found at run \d+/);
    expect(message).toMatch(/\n {2}no-lost-output: lost silently/);
    expect(message).toContain(`\nsaved ${file}\n`);
    expect(message).toMatch(
      new RegExp(`\\nreplay: npx execsim replay ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --target ${MODULE}$`),
    );
    expect(existsSync(file)).toBe(true);
  });

  it('validateExecutor runs `execsim validate` in process (the reference executor, one case)', { timeout: 60_000 }, async () => {
    const r = await validateExecutor({ executor: 'reference', workloads: ['true'], faults: ['none'], report: false });
    expect(r.conforms).toBe(true);
    expect(r.cases).toHaveLength(1);
  });
});
