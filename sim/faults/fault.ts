/**
 * Faults are data: a plain JSON object `{ at, kind, target, ...params }`, and a schedule is a
 * list of them. Each kind declares its parameters once, as a schema (`faultSpec`): the type its
 * `apply` gets, its validation, its part of scenario.schema.json and its `execsim list` lines.
 */
import { HORIZON_MS } from '../horizon.ts';
import { int, literal, obj, withExpected, type ObjectOf, type ObjectSchema, type Props } from '../schema/fields.ts';

export interface Fault {
  /** Virtual ms since the world's start. */
  at: number;
  kind: string;
  target?: string;
  [param: string]: unknown;
}

/** When a fault fires: the one field every kind shares with `kind`. */
export const AT = withExpected(
  int("when the fault fires, since the world's start", 'virtual ms'),
  `an integer from 0 to ${HORIZON_MS} (virtual ms)`,
);

/** The parameters of a fault of kind `P`, as `apply` receives them (validated). */
export type FaultOf<P extends Props> = ObjectOf<P> & { at: number; kind: string };

/** What a fault kind is, independent of any world: enough to list and validate it. */
export interface FaultSpec<P extends Props = Props> {
  kind: string;
  /** One line for `execsim list` and reports. */
  summary: string;
  /** Its fields besides `at` and `kind` (with `target` when it takes one). */
  params: P;
  /** `{at, kind, ...params}`, nothing else. */
  schema: ObjectSchema;
  /** Rules across fields that the schema cannot say; each problem starts with its JSON path. */
  rules?(fault: Fault, path: string): string[];
  /**
   * The kind tells when it hits something (Kernel.faultEffect, with Kernel.applying); without
   * it, a fault takes effect when it fires.
   */
  reportsEffect?: boolean;
}

/** A fault kind bound to one world. */
export interface FaultKind<P extends Props = Props> extends FaultSpec<P> {
  // A method, so a kind with typed parameters is a FaultKind too; the injector validates first.
  apply(fault: FaultOf<P>): void;
}

export function faultSpec<P extends Props>(def: {
  kind: string;
  summary: string;
  params: P;
  rules?: (fault: Fault, path: string) => string[];
  reportsEffect?: boolean;
}): FaultSpec<P> {
  const properties: Props = { at: AT, kind: literal(def.kind, def.summary), ...def.params };
  const schema = obj(properties, `${def.kind}: ${def.summary}`);
  return { ...def, schema };
}

/**
 * Narrows a fault of a validated schedule (a loaded scenario, a scheduled world) to its kind's
 * parameters, for code that reads the schedule: `faults.filter((f) => isFault(LAG, f))`.
 */
export function isFault<P extends Props>(spec: FaultSpec<P>, f: Fault): f is Fault & FaultOf<P> {
  return f.kind === spec.kind;
}

/** A spec bound to what applies it. */
export function faultKind<P extends Props>(spec: FaultSpec<P>, apply: (fault: FaultOf<P>) => void): FaultKind<P> {
  return { ...spec, apply };
}

/** A spec and how to apply it once the world's parts `C` exist. */
export interface BindableKind<C> {
  spec: FaultSpec;
  bind(ctx: C): FaultKind;
}

export function bindable<C, P extends Props>(spec: FaultSpec<P>, apply: (ctx: C) => (fault: FaultOf<P>) => void): BindableKind<C> {
  return { spec, bind: (ctx) => faultKind(spec, apply(ctx)) };
}
