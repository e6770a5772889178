/**
 * `legacy-denial`: the bug that motivated openai/codex#29424 (the guard landed in #30273). An
 * Exited without `sandboxDenied`, from a legacy server, is taken as not denied, so a sandbox
 * denial is reported as an ordinary failure.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const legacyDenial = defineVariant(
  'legacy-denial',
  v1Pushed,
  { unknownDenial: 'assume-false' },
  {
    summary: 'an Exited without sandboxDenied (legacy server) is taken as not denied: a denial becomes an ordinary failure',
    source: 'openai/codex#29424 (motivation; the guard landed in #30273)',
    expected: withUpstreamGaps(['truthful-exit', 'authoritative-completion']),
  },
);
