/**
 * scenarios/scenario.schema.json, the schema scenario files link for editors: the envelope, and
 * for each target (selected by `target`) its workload and its fault kinds, each kind's
 * parameters selected by `kind`. Made from the same schemas the loader validates with, so an
 * editor flags a misspelt field at the JSON path the CLI names. Written by `npm run schema`; a
 * test fails when the committed file is stale.
 */
import type { Schema } from '../schema/fields.ts';
import { KERNEL_FAULT_SPECS } from '../faults/kernelKinds.ts';
import type { FaultSpec } from '../faults/fault.ts';
import { limitsLine } from '../limits.ts';
import type { AnyTarget } from '../registry.ts';
import { formatJson } from './save.ts';
import { ENVELOPE } from './schema.ts';

type Json = Record<string, unknown>;

/** The schema as plain JSON (the builders' symbol markers dropped). */
const plain = (s: Schema): Json => JSON.parse(JSON.stringify(s)) as Json;
const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });

function whenConst(field: string, value: string, then: Json): Json {
  return { if: { type: 'object', properties: { [field]: { const: value } }, required: [field] }, then };
}

export function scenarioSchemaDocument(targets: readonly AnyTarget[]): Json {
  const definitions: Json = {};
  const kernelName = (k: string) => `kernel.${k}`;
  for (const s of KERNEL_FAULT_SPECS) definitions[kernelName(s.kind)] = plain(s.schema);
  const perTarget = [...targets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => {
      const kinds: Array<[FaultSpec, string]> = [
        ...KERNEL_FAULT_SPECS.filter((s) => t.faults.kernelKinds.includes(s.kind)).map((s): [FaultSpec, string] => [s, kernelName(s.kind)]),
        ...t.faults.specs.map((s): [FaultSpec, string] => [s, `${t.name}.${s.kind}`]),
      ];
      for (const [s, name] of kinds) if (!name.startsWith('kernel.')) definitions[name] = plain(s.schema);
      const workload = plain(t.workload.schema);
      const limits = t.workload.limits;
      if (limits) workload.description = `${String(workload.description)}. Limits: ${limitsLine(limits)}.`;
      definitions[`${t.name}.workload`] = workload;
      definitions[`${t.name}.fault`] = {
        type: 'object',
        description: `a fault ${t.name} understands; its parameters depend on its kind`,
        required: ['at', 'kind'],
        properties: {
          kind: { enum: kinds.map(([s]) => s.kind), description: `fault kind: ${kinds.map(([s]) => s.kind).join(', ')}` },
        },
        allOf: kinds.map(([s, name]) => whenConst('kind', s.kind, ref(name))),
      };
      return whenConst('target', t.name, {
        type: 'object',
        properties: { workload: ref(`${t.name}.workload`), faults: { type: 'array', items: ref(`${t.name}.fault`) } },
      });
    });
  const { description, ...envelope } = plain(ENVELOPE);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://execsim.dev/schemas/scenario-1.json',
    title: 'execsim scenario',
    description: `${String(description)} The workload and every fault's parameters are those of the target named (${targets.map((t) => t.name).join(', ')}).`,
    ...envelope,
    allOf: perTarget,
    definitions,
  };
}

export function scenarioSchemaText(targets: readonly AnyTarget[]): string {
  return formatJson(scenarioSchemaDocument(targets)) + '\n';
}
