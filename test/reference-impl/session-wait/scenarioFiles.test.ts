/**
 * Every scenario file in scenarios/field-bugs/session-wait/ loads cleanly (schema, workload,
 * faults, property names) and meets its expectation; every field-bug file has a `fixed` twin
 * with the same workload and faults.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TargetRegistry } from '../../../sim/registry.ts';
import { meetsExpectation, runScenario } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';

const DIR = fileURLToPath(new URL('../../../scenarios/field-bugs/session-wait/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const registry = new TargetRegistry(BUILTIN_TARGETS);

describe('scenarios/field-bugs/session-wait', () => {
  it('holds the field bugs and their fixed twins', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(14);
    for (const f of FILES.filter((f) => !f.endsWith('.fixed.json'))) {
      const twin = f.replace(/\.[^.]+\.json$/, '.fixed.json');
      expect(FILES, `${f} needs ${twin}`).toContain(twin);
      const a = JSON.parse(readFileSync(DIR + f, 'utf8'));
      const b = JSON.parse(readFileSync(DIR + twin, 'utf8'));
      expect([b.workload, b.faults, b.expect]).toEqual([a.workload, a.faults, 'pass']);
    }
  });

  for (const file of FILES) {
    it(file, async () => {
      const { scenario, target } = await loadScenarioText(readFileSync(DIR + file, 'utf8'), file, registry);
      expect(scenario.title).toBeTruthy();
      expect(scenario.source).toBeTruthy();
      const run = await runScenario(target, scenario);
      const verdict = meetsExpectation(scenario, run);
      expect(verdict.ok, verdict.why).toBe(true);
      expect(run.world.errors).toEqual([]);
    });
  }
});

/**
 * `fixed-ticks` closes fixed's upstream gap (WAIT_TAKES_ITSELF_GAP) and nothing else moves: on
 * every session-wait scenario file that `fixed` passes, and on the gap's own schedule, it passes.
 */
describe('fixed-ticks passes every scenario fixed passes, and the schedule of fixed\u2019s gap', () => {
  const FOUND = fileURLToPath(new URL('../../../scenarios/found/', import.meta.url));
  const files = [
    ...FILES.map((f) => DIR + f),
    ...readdirSync(FOUND)
      .filter((f) => f.startsWith('session-wait-') && f.endsWith('.json'))
      .map((f) => FOUND + f),
  ];
  const GAP = FOUND + 'session-wait-fixed-wait-reuses-daemon-pid.json';

  it('the gap scenario is fixed\u2019s, and fixed violates exactly the gap there', async () => {
    const { scenario, target } = await loadScenarioText(readFileSync(GAP, 'utf8'), GAP, registry);
    expect(scenario.variant).toBe('fixed');
    expect((await runScenario(target, scenario)).violated.sort()).toEqual([...(target.variants.fixed?.expected as string[])].sort());
  });

  it('on each of them', async () => {
    let fixedPasses = 0;
    for (const file of files) {
      const { scenario, target } = await loadScenarioText(readFileSync(file, 'utf8'), file, registry);
      if (scenario.variant !== 'fixed') continue;
      if (file !== GAP && (await runScenario(target, scenario)).violated.length > 0) continue;
      if (file !== GAP) fixedPasses++;
      const run = await runScenario(target, { ...scenario, variant: 'fixed-ticks' });
      expect(run.violated, file).toEqual([]);
      expect(run.world.errors, file).toEqual([]);
    }
    expect(fixedPasses).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
