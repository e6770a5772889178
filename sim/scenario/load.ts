/**
 * Loading a scenario file: parse the JSON (with line and column on a syntax error), check it
 * against the schema, then against its target (variant, workload, fault kinds and parameters,
 * property names). Every problem is listed with the file and its JSON path; nothing runs until
 * the file is clean.
 */
import { ExecsimError } from '../errors.ts';
import { HARNESS_PROPERTIES } from '../judge.ts';
import { resolveOptions, withKnobs } from '../options.ts';
import { KERNEL_FAULT_SPECS } from '../faults/kernelKinds.ts';
import { staticTargetProblems } from '../faults/staticTargets.ts';
import { limitProblems } from '../limits.ts';
import { validateFaults } from '../faults/validate.ts';
import type { FaultSpec } from '../faults/fault.ts';
import type { AnyTarget, TargetRegistry } from '../registry.ts';
import type { Scenario } from '../target.ts';
import { jsonErrorOffset, lineColumn } from './jsonError.ts';
import { envelopeProblems } from './schema.ts';
import { schemaProblems, withRules } from '../schema/problems.ts';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  target: AnyTarget;
}

/** A character as people can see it: `"x"`, or its code point when it is invisible (binary files, BOM). */
function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? JSON.stringify(ch) : `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** JSON.parse, with a message that gives line and column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const offset = jsonErrorOffset(text);
    let where = '';
    let reason = msg.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    if (offset >= 0) {
      const { line, column } = lineColumn(text, offset);
      where = ` at line ${line}, column ${column}`;
      const found = text[offset];
      reason = found === undefined ? 'unexpected end of file' : `unexpected ${visible(found)}`;
    }
    throw new ExecsimError('EXECSIM_SCENARIO_INVALID', `${file}: not valid JSON${where}: ${reason}`, [
      `(file): not valid JSON${where}: ${reason}`,
    ]);
  }
}

/** The fault kinds a target understands: the kernel kinds it names plus its own. */
export function faultSpecsOf(target: AnyTarget): FaultSpec[] {
  const kernel = KERNEL_FAULT_SPECS.filter((s) => target.faults.kernelKinds.includes(s.kind));
  return [...kernel, ...target.faults.specs];
}

/** Every problem of a workload for `target`, each with its JSON path under `path`. */
export function workloadProblems(target: AnyTarget, workload: unknown, path = 'workload'): string[] {
  return withRules(schemaProblems(target.workload.schema, workload, path), target.workload.rules?.(workload, path) ?? []);
}

/** Every problem in a parsed scenario, or the scenario with its target. */
export async function validateScenario(value: unknown, file: string, registry: TargetRegistry): Promise<LoadedScenario> {
  const fail = (problems: string[]): never => {
    throw new ExecsimError('EXECSIM_SCENARIO_INVALID', `${file}: invalid scenario:\n  - ${problems.join('\n  - ')}`, problems);
  };
  const problems = envelopeProblems(value);
  if (problems.length > 0) fail(problems);
  const s = value as Scenario;
  let target: AnyTarget;
  try {
    target = await registry.get(s.target);
  } catch (e) {
    return fail([`target: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (!(s.variant in target.variants))
    problems.push(
      `variant: target ${target.name} has no variant ${JSON.stringify(s.variant)} (variants: ${Object.keys(target.variants).join(', ')})`,
    );
  problems.push(...workloadProblems(target, s.workload));
  problems.push(...validateFaults(s.faults, faultSpecsOf(target), 'faults'));
  if (s.expect !== 'pass') {
    const known = target.properties.map((p) => p.name);
    s.expect.violates.forEach((p, i) => {
      if (!known.includes(p) && !HARNESS_PROPERTIES.some((h) => h.name === p))
        problems.push(
          `expect.violates[${i}]: target ${target.name} has no property ${JSON.stringify(p)} (properties: ${known.join(', ')})`,
        );
    });
  }
  if (s.world) problems.push(...worldProblems(target, s));
  const limits = target.workload.limits;
  if (problems.length === 0 && limits) problems.push(...limitProblems(target.name, limits, target.workload.measure?.(s) ?? {}, s));
  // faults aimed at names the run cannot have: before the run, where the target knows them
  if (problems.length === 0) {
    const names = target.faults.names?.(s);
    if (names) problems.push(...staticTargetProblems(s.faults, names));
    problems.push(...(target.faults.check?.(s) ?? []));
  }
  if (s.mode === 'liveness' && s.healAtMs === undefined)
    problems.push('healAtMs: required in liveness mode (when every fault heals, in virtual ms)');
  if (s.mode === 'safety' && s.healAtMs !== undefined)
    problems.push('healAtMs: only meaningful in liveness mode (set mode to "liveness" or remove it)');
  if (problems.length > 0) fail(problems);
  return { file, scenario: s, target };
}

/** The scenario's world knobs over its target's options, as the world would resolve them (`world.` paths). */
function worldProblems(target: AnyTarget, s: Scenario): string[] {
  try {
    resolveOptions({ ...withKnobs(target.worldOptions?.(s), s.world), seed: s.seed });
    return [];
  } catch (e) {
    if (e instanceof ExecsimError && e.problems) return e.problems.map((p) => `world.${p}`);
    throw e;
  }
}

export async function loadScenarioText(text: string, file: string, registry: TargetRegistry): Promise<LoadedScenario> {
  return validateScenario(parseJson(text, file), file, registry);
}
