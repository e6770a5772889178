/**
 * `v0-poll`: unified exec before openai/codex#30273 (`spawn_exec_server_output_task`):
 * notifications only wake the task, every wake reads from the cursor, completion needs a final
 * read that says `closed` (`consumer/poll.ts`). #30273 replaced this loop. Its client gives up
 * the resume after #28512's 25 s (client_recovery.rs of that time: SESSION_RECOVERY_TIMEOUT 25 s,
 * retried every 100 ms); the unbounded resume of codex 0.169 (v1-pushed) came later.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { RECOVERY_WINDOW_MS } from '../client/execClient.ts';
import { pollConsumer } from '../consumer/poll.ts';
import { v1Pushed, withUpstreamGaps } from './v1Pushed.ts';

export const v0Poll = defineVariant(
  'v0-poll',
  v1Pushed,
  { consume: pollConsumer, recoveryWindowMs: RECOVERY_WINDOW_MS },
  {
    summary: 'wake + read polling: notifications only wake the task, reads are the truth, a final read after close',
    source: 'openai/codex unified exec before #30273 (spawn_exec_server_output_task); #29424 reads sandboxDenied',
    expected: withUpstreamGaps([], 'poll'),
  },
);
