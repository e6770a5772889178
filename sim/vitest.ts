/**
 * `import { expectHolds } from 'execsim/vitest'`: a property test in a user's own suite. It runs
 * `execsim explore` in process and, on a violation, throws with what was violated, the shrunk
 * schedule, where the scenario was saved and the line that replays it. It uses no vitest API,
 * so it works under any runner that fails a test on a thrown error.
 */
import { exploreTarget, type ExploreResult, type ExploreTargetOptions } from './lib.ts';

export class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
  constructor(
    message: string,
    readonly result: ExploreResult,
  ) {
    super(message);
  }
}

/** Explores the target; resolves with the result when nothing is violated, else throws. */
export async function expectHolds(opts: ExploreTargetOptions): Promise<ExploreResult> {
  const result = await exploreTarget(opts);
  const v = result.violation;
  if (!v) return result;
  const lines = [
    `${result.target}:${result.variant} violated ${v.violated.join(', ')} (${result.mode}, seed ${result.seed}; found at run ${v.foundAtRun}, shrunk in ${v.shrinks} steps to ${v.scenario.faults.length} fault${v.scenario.faults.length === 1 ? '' : 's'})`,
    ...v.violated.map((p) => `  ${p}: ${v.summaries[p] ?? ''}`),
    ...v.scenario.faults.map((f) => `  fault: ${JSON.stringify(f)}`),
    `saved ${result.file}`,
    `replay: ${result.replay}`,
  ];
  throw new PropertyViolation(lines.join('\n'), result);
}
