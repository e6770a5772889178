/** `execsim list`: targets, their variants and properties, and the fault kinds each understands. */
import type { FaultSpec } from '../faults/fault.ts';
import { KERNEL_FAULT_SPECS } from '../faults/kernelKinds.ts';
import { classOf } from '../judge.ts';
import { faultSpecsOf } from '../scenario/load.ts';
import { fieldLines, type FieldLine } from '../schema/describe.ts';
import { limitsLine, type WorkloadLimits } from '../limits.ts';
import { obj } from '../schema/fields.ts';
import { parse } from './args.ts';
import type { CliContext } from './context.ts';

/** A fault kind's parameters, by name: what each takes and means. */
function params(s: FaultSpec): Record<string, string> {
  return Object.fromEntries(fieldLines(obj(s.params, s.summary)).map((l) => [l.path, l.text]));
}

const asRecord = (lines: FieldLine[]) => Object.fromEntries(lines.map((l) => [l.path, l.text]));

export async function listCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse('list', args, {
    json: { type: 'boolean' },
    target: { type: 'string', multiple: true },
    help: { type: 'boolean' },
  });
  if (values.help) {
    ctx.io.out('execsim list [--json] [--target MODULE]...\n\nTargets, variants, properties and fault kinds.\n');
    return 0;
  }
  await ctx.loadModules((values.target as string[] | undefined) ?? []);
  const out: Array<Record<string, unknown>> = [];
  for (const name of ctx.registry.names()) {
    try {
      const t = await ctx.registry.get(name);
      out.push({
        name: t.name,
        summary: t.summary,
        defaultVariant: t.defaultVariant,
        variants: t.variants,
        properties: t.properties.map((p) => ({ ...p, class: classOf(t, p.name) })),
        workload: asRecord(fieldLines(t.workload.schema)),
        ...(t.workload.limits ? { limits: t.workload.limits } : {}),
        faultKinds: faultSpecsOf(t).map((s) => ({
          kind: s.kind,
          summary: s.summary,
          params: params(s),
          kernel: KERNEL_FAULT_SPECS.includes(s),
        })),
      });
    } catch (e) {
      out.push({ name, unavailable: e instanceof Error ? e.message : String(e) });
    }
  }
  if (values.json) {
    ctx.io.out(
      JSON.stringify(
        { targets: out, kernelFaultKinds: KERNEL_FAULT_SPECS.map((s) => ({ kind: s.kind, summary: s.summary, params: params(s) })) },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  for (const t of out) {
    if (t.unavailable) {
      ctx.io.out(`${String(t.name)}  (unavailable: ${String(t.unavailable)})\n\n`);
      continue;
    }
    ctx.io.out(`${String(t.name)}: ${String(t.summary)}\n  variants:\n`);
    for (const [v, info] of Object.entries(t.variants as Record<string, { summary: string; expected: 'pass' | string[] }>)) {
      ctx.io.out(
        `    ${v}${v === t.defaultVariant ? ' (default)' : ''}: ${info.summary} [expected: ${info.expected === 'pass' ? 'pass' : `violates ${info.expected.join(', ')}`}]\n`,
      );
    }
    ctx.io.out('  properties:\n');
    for (const p of t.properties as Array<{ name: string; summary: string; class: string; livenessOnly?: boolean; needs?: string[] }>) {
      const notes = [
        p.class === 'liveness' ? 'liveness' : '',
        p.livenessOnly ? 'liveness mode only' : '',
        ...(p.needs ?? []).map((n) => `needs the ${n} record`),
      ];
      const tag = notes.filter(Boolean).join(', ');
      ctx.io.out(`    ${p.name}${tag ? ` [${tag}]` : ''}: ${p.summary}\n`);
    }
    ctx.io.out('  workload (scenario field "workload"):\n');
    for (const [path, text] of Object.entries(t.workload as Record<string, string>)) ctx.io.out(`    ${path}: ${text}\n`);
    if (t.limits) ctx.io.out(`  limits: ${limitsLine(t.limits as WorkloadLimits)}; fault times and healAtMs within the same duration\n`);
    ctx.io.out('  fault kinds ({at, kind, ...parameters}):\n');
    for (const f of t.faultKinds as Array<{ kind: string; summary: string; params: Record<string, string> }>) {
      ctx.io.out(`    ${f.kind}: ${f.summary}\n`);
      for (const [name, text] of Object.entries(f.params)) ctx.io.out(`      ${name}: ${text}\n`);
    }
    ctx.io.out('\n');
  }
  return 0;
}
