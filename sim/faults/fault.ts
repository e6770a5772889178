/**
 * Faults are data: a plain JSON object `{ at, kind, target, ...params }`, and a schedule is a
 * list of them. Each kind knows how to check its own parameters and how to apply itself.
 */
export interface Fault {
  /** Virtual ms since the world's start. */
  at: number;
  kind: string;
  target?: string;
  [param: string]: unknown;
}

/** What a fault kind is, independent of any world: enough to list and validate it. */
export interface FaultSpec {
  kind: string;
  /** One line for `execsim list` and reports. */
  summary: string;
  /** Parameter names and what each means, for `execsim list` and the schema. */
  params: Readonly<Record<string, string>>;
  /** Problems with the fault's parameters, each starting with its JSON path. */
  validate(fault: Fault, path: string): string[];
  /**
   * The kind tells when it hits something (Kernel.faultEffect, with Kernel.applying); without
   * it, a fault takes effect when it fires.
   */
  reportsEffect?: boolean;
}

/** A fault kind bound to one world. */
export interface FaultKind extends FaultSpec {
  apply(fault: Fault): void;
}
