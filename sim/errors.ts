/**
 * Errors with a stable code and a next step, so the CLI can print one clear line (and exit 2 for
 * bad input) instead of a stack trace.
 */
export type ExecsimErrorCode =
  | 'EXECSIM_USAGE'
  | 'EXECSIM_OPTIONS_INVALID'
  | 'EXECSIM_FAULT_INVALID'
  | 'EXECSIM_FAULT_NO_EFFECT'
  | 'EXECSIM_SCENARIO_INVALID'
  | 'EXECSIM_SCENARIO_UNREADABLE'
  | 'EXECSIM_TARGET_UNKNOWN'
  | 'EXECSIM_TARGET_INVALID'
  | 'EXECSIM_WORLD_BUSY'
  | 'EXECSIM_EXECUTOR'
  | 'EXECSIM_INTERNAL';

export class ExecsimError extends Error {
  readonly code: ExecsimErrorCode;
  /** Every problem found, when validation lists more than one. */
  readonly problems: readonly string[];
  constructor(code: ExecsimErrorCode, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = 'ExecsimError';
    this.code = code;
    this.problems = problems;
  }
}

export function isExecsimError(e: unknown): e is ExecsimError {
  return e instanceof ExecsimError;
}

/** Renders a thrown value without a stack: traces and reports must not depend on file paths. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
