/** `lag-closes`: openai/codex#18212 (review P1, MCP stdio): `Lagged` is taken as the end of the stream. */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const lagCloses = defineVariant(
  'lag-closes',
  v1Pushed,
  { onLagged: 'close' },
  {
    summary: 'Lagged is treated as the end of the stream',
    source: 'openai/codex#18212 (review P1, MCP stdio)',
    expected: withUpstreamGaps(['no-false-failure']),
  },
);
