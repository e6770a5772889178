/**
 * `v0-poll`: unified exec before openai/codex#30273 (`spawn_exec_server_output_task`):
 * notifications only wake the task, every wake reads from the cursor, completion needs a final
 * read that says `closed` (`consumer/poll.ts`). #30273 replaced this loop; nothing else differs.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { pollConsumer } from '../consumer/poll.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const v0Poll = defineVariant(
  'v0-poll',
  v1Pushed,
  { consume: pollConsumer },
  {
    summary: 'wake + read polling: notifications only wake the task, reads are the truth, a final read after close',
    source: 'openai/codex unified exec before #30273 (spawn_exec_server_output_task); #29424 reads sandboxDenied',
    expected: withUpstreamGaps([], 'poll'),
  },
);
