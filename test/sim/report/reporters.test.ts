import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeScenario } from '../../../sim/cli/execute.ts';
import { Reporters } from '../../../sim/cli/reporters.ts';
import { casesOf, renderJunit } from '../../../sim/report/junit.ts';
import { failureClassOf, rowOf, summaryOf } from '../../../sim/report/summaryJson.ts';
import { SummaryJsonReporter } from '../../../sim/report/summaryJson.ts';
import { textTimeline } from '../../../sim/report/textTimeline.ts';
import { Progress } from '../../../sim/host/progress.ts';
import type { Scenario } from '../../../sim/target.ts';
import { pumpTarget, type PumpWorkload } from '../../fixtures/pumpTarget.ts';

const scenario = (variant: string, expect: Scenario['expect']): Scenario<PumpWorkload> => ({
  format: 1,
  target: 'test-pump',
  variant,
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
  expect,
});

const entry = (variant: string, expect: Scenario['expect'], name: string) =>
  executeScenario(pumpTarget, scenario(variant, expect), { name, replayCommand: `npx execsim replay ${name}.json` });

describe('reports are written as the run goes', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('summary.json exists (incomplete) after the first scenario, complete at the end; a timeline per failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-rep-'));
    const step = join(dir, 'step.md');
    writeFileSync(step, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = step;
    const reps = new Reporters(dir);
    reps.onStart({ command: 'execsim run test', total: 2, reportDir: dir });
    const a = await entry('early-exit', { violates: ['no-lost-output', 'no-false-success'] }, 'as-expected');
    reps.onScenario(a);
    const mid = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { complete: boolean; total: number };
    expect(mid).toMatchObject({ complete: false, total: 1 });
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('as-expected › no-lost-output');
    const b = await entry('early-exit', 'pass', 'unexpected');
    reps.onScenario(b);
    reps.onEnd({ command: 'execsim run test', total: 2, ok: 1, failed: 1, wallMs: 5 });
    const end = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      complete: boolean;
      ok: number;
      failed: number;
      scenarios: Array<{ timeline: string | null }>;
    };
    expect(end).toMatchObject({ complete: true, ok: 1, failed: 1 });
    expect(end.scenarios[0]?.timeline).toBeNull();
    expect(end.scenarios[1]?.timeline).toBe(join(dir, 'timelines', 'unexpected.timeline.html'));
    const md = readFileSync(step, 'utf8');
    expect(md.startsWith('# earlier step\n### execsim: ❌ 1/2 as expected')).toBe(true);
    expect(md).toContain('    npx execsim replay unexpected.json');
  });

  it('summary.json is the same for the same scenarios, but for timing', async () => {
    const outs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'execsim-rep-'));
      const r = new SummaryJsonReporter(dir);
      r.onStart({ command: 'x' });
      r.onScenario(await entry('early-exit', 'pass', 'same'));
      r.onEnd({ command: 'x', total: 1, ok: 0, failed: 1, wallMs: 1 });
      // everything but the timing objects
      outs.push(readFileSync(join(dir, 'summary.json'), 'utf8').replace(/"timing": \{[^}]*\}/g, ''));
    }
    expect(outs[0]).toBe(outs[1]);
  });

  it('JUnit: one case per property, failing only where the property did not do what was expected; XML-escaped', async () => {
    const r = await entry('early-exit', { violates: ['no-duplicate-output'] }, 'dup<&>"');
    const cases = casesOf(rowOf(r));
    // exact expectation: the expected violation that held and the violations not expected fail
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toEqual([
      'dup<&>" › no-lost-output',
      'dup<&>" › no-duplicate-output',
      'dup<&>" › no-false-success',
    ]);
    const xml = renderJunit('suite', cases);
    expect(xml).toContain('name="dup&lt;&amp;&gt;&quot; › no-duplicate-output"');
    expect(xml).toContain('failures="3"');
    // "at least these" (allowOthers): only the expected violation that held fails
    const lax = await entry('early-exit', { violates: ['no-duplicate-output'], allowOthers: true }, 'lax');
    expect(casesOf(rowOf(lax)).filter((c) => c.failure).map((c) => c.name)).toEqual(['lax › no-duplicate-output']);
  });

  it('the text timeline keeps faults, results and evidence when it has to cut', async () => {
    const r = await entry('early-exit', 'pass', 't');
    const evidence = Object.values(r.results).flatMap((x) => (x.valid === false ? x.evidence : []));
    const text = textTimeline(r.events, { max: 12, evidence });
    expect(text.split('\n').length).toBeLessThan(25);
    expect(text).toMatch(/client\.result/);
    expect(text).toMatch(/^\* t=/m);
    expect(text).toMatch(/… \d+ more events/);
  });
});

describe('progress', () => {
  it('draws a bar on a TTY and prints periodic lines otherwise', () => {
    let tty = '';
    const bar = new Progress('explore', 10, { write: (t) => void (tty += t) }, true);
    bar.update(5);
    bar.end();
    expect(tty).toMatch(/^\rexplore \[#{15}-{15}\] 5\/10 runs \d+\/s \n$/);
    let log = '';
    const lines = new Progress('explore', 10, { write: (t) => void (log += t) }, false, 0);
    lines.update(3);
    lines.update(4);
    expect(log.split('\n').filter(Boolean)).toHaveLength(2);
    expect(log).toMatch(/^explore: 3\/10 runs \(\d+\/s, \d+ s\)\n/);
  });
});

describe('reports tell a safety violation from a liveness one, and a property not judged from one held', () => {
  it('a safety run of the pump: its liveness-only terminates is skipped, never held; the lost output is a safety failure', async () => {
    const r = await entry('early-exit', 'pass', 'unexpected');
    const row = rowOf(r);
    expect(row.properties.terminates).toMatchObject({ valid: true, class: 'liveness' });
    expect(row.properties.terminates?.notApplicable).toMatch(/liveness mode only/);
    expect(row.violatedByClass).toEqual({ safety: ['no-lost-output', 'no-false-success'], liveness: [] });
    expect(row.failedAs).toBe('safety');
    const xml = renderJunit('t', casesOf(row));
    expect(xml).toMatch(/name="unexpected › terminates"[^>]*>\s*<skipped message="judged in liveness mode only/);
    expect(xml).toMatch(/<failure message="no-lost-output violated \(safety\): [^"]*" type="safety">/);
    expect(xml).toContain('skipped="1"');
  });

  it('failure classes: an unexpected safety violation outranks a liveness one; a missing expected violation is its own class', () => {
    expect(failureClassOf(true, 'pass', { safety: ['a'], liveness: [] })).toBeNull();
    expect(failureClassOf(false, 'pass', { safety: [], liveness: ['terminates'] })).toBe('liveness');
    expect(failureClassOf(false, 'pass', { safety: ['no-lost-output'], liveness: ['terminates'] })).toBe('safety');
    expect(failureClassOf(false, { violates: ['no-lost-output'] }, { safety: [], liveness: ['terminates'] })).toBe('expectation');
    // explore's saved violation: everything expected happened, so it is the class of what was violated
    expect(failureClassOf(false, { violates: ['terminates'] }, { safety: [], liveness: ['terminates'] })).toBe('liveness');
    const rows = [
      { ...rowLike, failedAs: 'liveness' as const },
      { ...rowLike, failedAs: 'safety' as const },
      { ...rowLike, failedAs: null, ok: true },
    ];
    expect(summaryOf('c', rows, true, 0).failedAs).toEqual({ safety: 1, liveness: 1, expectation: 0 });
  });
});

const rowLike = {
  name: 'x',
  file: null,
  title: null,
  source: null,
  target: 't',
  variant: 'v',
  seed: 1,
  mode: 'liveness',
  expect: 'pass' as const,
  ok: false,
  why: '',
  violated: [],
  violatedByClass: { safety: [], liveness: [] },
  properties: {},
  traceHash: '',
  virtualMs: 0,
  timeline: null,
  replay: '',
  timing: { wallMs: 0 },
};
