/**
 * `v1-stricter`: `v1-strict`, and a subscriber that comes after the session failed reads its
 * failure instead of waiting for the Failed event (issue 12). The unsequenced Failed counts its
 * message against the event log's byte cap and, bigger than the cap, is evicted at once (spec §2
 * publish step 2), so the late subscriber replays nothing and nothing follows live. The default
 * variant and the validate client.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { v1Pushed } from './v1Pushed.ts';

export const v1Stricter = defineVariant(
  'v1-stricter',
  v1Pushed,
  { strict: true, readFailureOnSubscribe: true },
  {
    summary: 'v1-strict, and a subscriber that comes after the session failed reads its failure instead of waiting for an evicted Failed',
    source: 'candidate fix for the upstream gap of issue 12 (spec §2: a Failed bigger than the byte cap is evicted at once)',
    expected: 'pass',
  },
);
