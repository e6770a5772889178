/**
 * `v1-strict`: our candidate fix on top of #30273. A fallback read that leaves a hole below what
 * it returns fails explicitly, naming the lost seqs (F15: the first returned seq is checked, as a
 * fork does); exit code -1 is unknown, not a real exit (F22); a Closed ahead of any Exited is
 * checked against a read first.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { LATE_FAILED_GAP, v1Pushed } from './v1Pushed.ts';

export const v1Strict = defineVariant(
  'v1-strict',
  v1Pushed,
  { strict: true },
  {
    summary: 'v1-pushed with the gaps closed: a read past a hole is an explicit failure; exit code -1 is not a real exit',
    source: 'candidate fix (F15: first returned seq checked, as a fork does; F22: -1 treated as unknown)',
    // issue 12: the late subscriber's wait on an evicted Failed is still upstream's (v1-stricter)
    expected: [LATE_FAILED_GAP],
  },
);
