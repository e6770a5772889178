/**
 * `trust-any-result`: `fixed` with B2's gate removed, so the first result.toml completes the
 * wait while the daemon still runs its post-exec gates, which may rewrite it (#2034, fixed in
 * 2eae3ea8 by deferring completion while the daemon lives).
 */
import type { WaitPolicy } from '../policy.ts';
import { fixed } from './fixed.ts';

export const trustAnyResult: WaitPolicy = {
  ...fixed,
  name: 'trust-any-result',
  completedResultNeedsDeadDaemon: false,
};
