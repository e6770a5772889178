/** The simulator's public entry points. */
export { createWorld, World, type HostOptions, type RunResult, type RunStatus, type SpawnOptions } from './world.ts';
export type { WorldOptions, WorldOptionsInput } from './options.ts';
export {
  bindable,
  faultKind,
  faultSpec,
  isFault,
  type BindableKind,
  type Fault,
  type FaultKind,
  type FaultOf,
  type FaultSpec,
} from './faults/fault.ts';
export { CLOSE, CUT, HALF_OPEN, KERNEL_FAULT_SPECS, KILL, LAG, PID_REUSE, REFUSE, SET_MTIME, TORN_READ } from './faults/kernelKinds.ts';
export { FieldCheck, show } from './faults/check.ts';
export * from './schema/fields.ts';
export { fieldsOf, schemaProblems, withRules } from './schema/problems.ts';
export { ExecsimError, isExecsimError } from './errors.ts';
export type { TraceEvent } from './trace.ts';
export { formatTime } from './trace.ts';
export { HORIZON_MS } from './horizon.ts';
export { MAX_FAULTS, limitsLine, type Measured, type WorkloadLimits } from './limits.ts';
export type { FaultNames } from './faults/staticTargets.ts';
export type { FaultEffectHandle } from './kernel.ts';
