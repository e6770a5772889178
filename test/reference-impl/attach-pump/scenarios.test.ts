/**
 * The field-bug scenarios of scenarios/field-bugs/attach-pump/: each file loads through the
 * scenario loader (schema, workload, faults), replays, and meets its expectation exactly; every
 * field-bug file has a `cursor` twin that passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TargetRegistry } from '../../../sim/registry.ts';
import { meetsExpectation, runScenario } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';
import { target } from '../../../reference-impl/attach-pump/target.ts';

const DIR = fileURLToPath(new URL('../../../scenarios/field-bugs/attach-pump/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('attach-pump field-bug scenarios', () => {
  const registry = new TargetRegistry();
  registry.register(target);

  it('there are scenario files for #627, the duplicated prefix, the 409 drain, #804 and #1546', () => {
    for (const family of ['627-cut-before-first-frame', 'duplicated-prefix', '409-drain', '804-failed-attach-401', '1546-proxy-502'])
      expect(FILES.filter((f) => f.startsWith(`${family}.`)).length, family).toBeGreaterThanOrEqual(2);
  });

  for (const file of FILES) {
    it(file, async () => {
      const { scenario } = await loadScenarioText(readFileSync(DIR + file, 'utf8'), file, registry);
      expect(scenario.title).toBeTruthy();
      expect(scenario.source).toBeTruthy();
      const run = await runScenario(target, scenario as never);
      expect(run.world.errors).toEqual([]);
      const met = meetsExpectation(scenario, run);
      expect(met.ok, met.why).toBe(true);
      // exactly: a field bug violates what it says and nothing else
      expect([...run.violated].sort()).toEqual(scenario.expect === 'pass' ? [] : [...scenario.expect.violates].sort());
      if (scenario.expect !== 'pass') {
        const twin = file.replace(/\.[^.]+\.json$/, '.cursor.json');
        expect(FILES, `${file} has a cursor twin`).toContain(twin);
      }
    });
  }
});
