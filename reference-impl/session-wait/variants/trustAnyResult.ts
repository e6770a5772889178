/**
 * `trust-any-result`: `fixed` with B2's gate removed, so the first result.toml completes the
 * wait while the daemon still runs its post-exec gates, which may rewrite it (#2034, fixed in
 * 2eae3ea8 by deferring completion while the daemon lives).
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { fixed } from './fixed.ts';

export const trustAnyResult = defineVariant(
  'trust-any-result',
  fixed,
  { completedResultNeedsDeadDaemon: false },
  {
    summary: 'completes on the first result.toml while the daemon still runs its post-exec gates',
    source: 'cli-sub-agent issue #2034 (fixed in 2eae3ea8); spec scenarios 6 and 7',
    expected: ['no-false-success', 'no-false-failure'],
  },
);
