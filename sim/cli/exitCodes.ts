/**
 * Exit codes by class of failure. By default every violation exits 1 (the contract a CI gate
 * relies on: 0 as expected, 1 a property violated, 2 bad input, 3 execsim's own crash); with
 * `--exit-by-class` a run whose only failures are liveness violations (no answer within the
 * bound) exits 4, so a gate can tell a hang from lost output or a false result without reading
 * the report.
 */
import type { FailureClass } from '../report/summaryJson.ts';

export const LIVENESS_EXIT = 4;

/** 1 when any failure is a safety violation or an unmet expectation; LIVENESS_EXIT when all are liveness. */
export function exitOfClasses(failedAs: Readonly<Record<FailureClass, number>>): number {
  return failedAs.safety > 0 || failedAs.expectation > 0 ? 1 : failedAs.liveness > 0 ? LIVENESS_EXIT : 1;
}
