/**
 * Targets by name. Built-in targets are loaded lazily from the reference implementations; a third
 * party registers one from a module path (`--target ./my-target.js`) that exports `target` (or a
 * default export) implementing the Target interface.
 */
import { ExecsimError } from './errors.ts';
import { show } from './faults/check.ts';
import type { Target } from './target.ts';

export interface TargetModule {
  target?: unknown;
  default?: unknown;
}

export type TargetLoader = () => Promise<TargetModule>;

// The registry holds targets of any workload type; each is used only with its own scenarios.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTarget = Target<any, any, any>;

export class TargetRegistry {
  private readonly targets = new Map<string, AnyTarget>();
  private readonly loaders = new Map<string, TargetLoader>();

  constructor(builtins: Record<string, TargetLoader> = {}) {
    for (const [name, load] of Object.entries(builtins)) this.loaders.set(name, load);
  }

  register(target: unknown, where = 'target'): AnyTarget {
    const t = checkTargetShape(target, where);
    this.targets.set(t.name, t);
    this.loaders.delete(t.name);
    return t;
  }

  names(): string[] {
    return [...new Set([...this.targets.keys(), ...this.loaders.keys()])].sort();
  }

  async get(name: string): Promise<AnyTarget> {
    const t = this.targets.get(name);
    if (t) return t;
    const load = this.loaders.get(name);
    if (!load) {
      throw new ExecsimError(
        'EXECSIM_TARGET_UNKNOWN',
        `unknown target ${JSON.stringify(name)} (known: ${this.names().join(', ') || 'none'}; a module path loads another: --target ./my-target.js)`,
      );
    }
    const mod = await load();
    return this.register(mod.target ?? mod.default, `built-in target ${name}`);
  }

  async all(): Promise<AnyTarget[]> {
    const out: AnyTarget[] = [];
    for (const n of this.names()) out.push(await this.get(n));
    return out;
  }
}

const FUNCTIONS = ['run'] as const;

/** Checks that a module export really is a Target, naming what is missing. */
export function checkTargetShape(t: unknown, where: string): AnyTarget {
  const problems: string[] = [];
  if (t === null || typeof t !== 'object') {
    throw new ExecsimError(
      'EXECSIM_TARGET_INVALID',
      `${where}: expected an object implementing the Target interface (export const target = {...}), got ${show(t)}`,
    );
  }
  const o = t as Record<string, unknown>;
  if (typeof o.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(o.name))
    problems.push(`name: expected a kebab-case string, got ${show(o.name)}`);
  if (o.variants === null || typeof o.variants !== 'object' || Object.keys(o.variants as object).length === 0)
    problems.push('variants: expected at least one variant');
  else if (typeof o.defaultVariant !== 'string' || !(o.defaultVariant in (o.variants as object)))
    problems.push(`defaultVariant: expected one of the variants, got ${show(o.defaultVariant)}`);
  if (!Array.isArray(o.properties)) problems.push('properties: expected a list of {name, summary}');
  const checkers = o.checkers as Record<string, unknown> | undefined;
  if (checkers === null || typeof checkers !== 'object') problems.push('checkers: expected one checker function per property');
  else if (Array.isArray(o.properties)) {
    const liveness = o.liveness as { property?: unknown; settledAt?: unknown; boundMs?: unknown } | undefined;
    if (liveness !== undefined) {
      if (typeof liveness.settledAt !== 'function' || typeof liveness.boundMs !== 'number' || typeof liveness.property !== 'string')
        problems.push('liveness: expected {property, pending, boundMs, settledAt}');
      else if (checkers[liveness.property] !== undefined)
        problems.push(`checkers.${liveness.property}: the harness judges the liveness property from \`liveness\`; remove its checker`);
    }
    for (const p of o.properties as Array<{ name?: unknown }>) {
      if (liveness !== undefined && p.name === liveness.property) continue;
      if (typeof checkers[String(p.name)] !== 'function')
        problems.push(`checkers.${String(p.name)}: expected a checker function for property ${show(p.name)}`);
    }
  }
  const w = o.workload as Record<string, unknown> | undefined;
  if (!w || w.schema === null || typeof w.schema !== 'object' || typeof w.describe !== 'function' || w.arbitrary === undefined)
    problems.push(
      'workload: expected {arbitrary, schema, rules?, describe} (schema: its JSON Schema, e.g. built with sim/schema/fields.ts)',
    );
  const f = o.faults as Record<string, unknown> | undefined;
  if (!f || !Array.isArray(f.kernelKinds) || !Array.isArray(f.specs) || typeof f.arbitrary !== 'function')
    problems.push('faults: expected {kernelKinds, specs, arbitrary}');
  else
    (f.specs as Array<Record<string, unknown> | null>).forEach((s, i) => {
      if (s === null || typeof s !== 'object' || typeof s.kind !== 'string' || s.schema === null || typeof s.schema !== 'object')
        problems.push(`faults.specs[${i}]: expected a fault spec {kind, summary, params, schema} (made with faultSpec)`);
    });
  for (const fn of FUNCTIONS) if (typeof o[fn] !== 'function') problems.push(`${fn}: expected a function`);
  if (problems.length > 0) {
    throw new ExecsimError('EXECSIM_TARGET_INVALID', `${where} is not a valid target:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return t as AnyTarget;
}
