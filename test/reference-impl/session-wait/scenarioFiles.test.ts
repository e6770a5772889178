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
