/**
 * `arrival-order`: openai/codex#18020 (review P1). The client publishes events in arrival order,
 * and the consumer, with no seq cursor to notice a jump, completes on Closed as it arrives.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const arrivalOrder = defineVariant(
  'arrival-order',
  v1Pushed,
  { ordering: 'arrival', gapRead: false },
  {
    summary: 'events are published in arrival order and Closed completes the call as it arrives',
    source: 'openai/codex#18020 (review P1)',
    expected: withUpstreamGaps(['authoritative-completion']),
  },
);
