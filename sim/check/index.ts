/** Checkers: pure functions of a recorded history and the truth. */
export * from './history.ts';
export * from './result.ts';
export { align, concat, type Segment } from './align.ts';
export {
  accountOutput,
  accountStream,
  formatRanges,
  noDuplicateOutput,
  noLostOutput,
  orderedOutput,
  sumRanges,
  terminalResult,
  type ByteRange,
  type OutputInput,
  type StreamAccount,
} from './output.ts';
export {
  describeReported,
  describeTrue,
  noFalseFailure,
  noFalseSuccess,
  singleResult,
  truthfulExit,
  type VerdictInput,
} from './verdict.ts';
export { terminates, type LivenessInput } from './liveness.ts';
