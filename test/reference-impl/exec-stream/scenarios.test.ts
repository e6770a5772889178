import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { workloadProblems } from '../../../sim/scenario/load.ts';
import { meetsExpectation, runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import type { ExecWorkload } from '../../../reference-impl/exec-stream/target/workload.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = `${ROOT}scenarios/field-bugs/exec-stream/`;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const validateSchema = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(`${ROOT}scenarios/scenario.schema.json`, 'utf8')));

describe('exec-stream field-bug scenarios', () => {
  it("there is one per field-bug variant, each beside the same run on v1-strict (and v1-strict's own gap beside v1-stricter)", () => {
    const variants = files.map((f) => (JSON.parse(readFileSync(DIR + f, 'utf8')) as Scenario).variant);
    for (const v of ['lag-skips', 'lag-closes', 'no-dedupe', 'arrival-order', 'legacy-denial']) expect(variants).toContain(v);
    const strict = /\.v1-strict(er)?\.json$/;
    for (const f of files.filter((x) => !strict.test(x))) expect(files).toContain(f.replace(/\.json$/, '.v1-strict.json'));
    for (const f of files.filter(
      (x) => x.endsWith('.v1-strict.json') && (JSON.parse(readFileSync(DIR + x, 'utf8')) as Scenario).expect !== 'pass',
    ))
      expect(files).toContain(f.replace(/\.v1-strict\.json$/, '.v1-stricter.json'));
  });

  for (const file of files) {
    it(`${file} meets its expectation`, async () => {
      const scenario = JSON.parse(readFileSync(DIR + file, 'utf8')) as Scenario<ExecWorkload>;
      expect(validateSchema(scenario), JSON.stringify(validateSchema.errors)).toBe(true);
      expect(scenario.title && scenario.source).toBeTruthy();
      expect(workloadProblems(target, scenario.workload, 'workload')).toEqual([]);
      const run = await runScenario(target, scenario);
      const verdict = meetsExpectation(scenario, run);
      expect(verdict.ok, verdict.why).toBe(true);
      expect(run.world.errors).toEqual([]);
    });
  }
});
