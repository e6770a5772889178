/** The simulator's public entry points. */
export { createWorld, World, type HostOptions, type RunResult, type RunStatus, type SpawnOptions } from './world.ts';
export type { WorldOptions, WorldOptionsInput } from './options.ts';
export type { Fault, FaultKind, FaultSpec } from './faults/fault.ts';
export { KERNEL_FAULT_SPECS } from './faults/kernelKinds.ts';
export { FieldCheck, show } from './faults/check.ts';
export { ExecsimError, isExecsimError } from './errors.ts';
export type { TraceEvent } from './trace.ts';
export { formatTime } from './trace.ts';
