/**
 * `lag-skips`: openai/codex#37207. The completion listener continues on `Lagged`, and, with no
 * seq cursor of its own, never notices the jump in seq either: the skipped output is lost.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const lagSkips = defineVariant(
  'lag-skips',
  v1Pushed,
  { onLagged: 'skip', gapRead: false },
  {
    summary: 'the completion listener continues on Lagged and never notices the jump in seq',
    source: 'openai/codex#37207',
    expected: withUpstreamGaps(['no-lost-output']),
  },
);
