/**
 * `no-dedupe`: openai/codex#18212 (review P1, MCP stdio). After a lag read recovers through N,
 * the events at or below N still in the ring are applied again.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const noDedupe = defineVariant(
  'no-dedupe',
  v1Pushed,
  { dedupe: false },
  {
    summary: 'after a lag read recovers through N, events at or below N from the ring are applied again',
    source: 'openai/codex#18212 (review P1, MCP stdio)',
    expected: withUpstreamGaps(['no-duplicate-output']),
  },
);
