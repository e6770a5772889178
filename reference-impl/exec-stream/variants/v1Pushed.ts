/**
 * `v1-pushed`, the base: unified exec's consumer upstream as it is at openai/codex#30273, every
 * slot filled; the other variants override a slot or two of it. Ordered pushed events with a read
 * fallback on lag, on a seq gap and on a legacy exit; F15 (a read past evicted output spliced
 * silently) and F22 (a lost exit watcher's -1 reported as a real exit) unguarded. Its client
 * recovers as codex 0.169.0 does (issue 15, `validate --client codex@0.169.0`): no client
 * deadline on the resume, so a cut of 27 s resumes (exit 0 @27.6 s for real) and only the
 * server's detached TTL ends it (a cut beyond 30 s fails on -32600 unknown session id @30.6 s).
 */
import { defineBase } from '../../../sim/ports/index.ts';
import { pushedConsumer } from '../consumer/pushed.ts';
import type { ConsumerPolicy } from '../policy.ts';

/**
 * What every variant built on upstream inherits (found blind on v0-poll and v1-pushed alike):
 * F22 and F15.
 */
const UPSTREAM_GAPS = ['truthful-exit', 'no-false-failure', 'no-lost-output', 'authoritative-completion'];

/**
 * The upstream gap every pushed consumer inherits, v1-strict included (issue 12): a subscriber
 * that comes after the session failed can wait forever, because the unsequenced Failed event,
 * bigger than the event log's byte cap, was evicted at once (spec §2). v1-stricter closes it;
 * v0-poll reads, so it never waits on the Failed event.
 */
export const LATE_FAILED_GAP = 'terminates';

/** What a variant built on upstream violates: its field bug's own properties, then the upstream gaps. */
export function withUpstreamGaps(own: string[], loop: 'pushed' | 'poll' = 'pushed'): string[] {
  const gaps = loop === 'poll' ? UPSTREAM_GAPS : [...UPSTREAM_GAPS, LATE_FAILED_GAP];
  return [...own, ...gaps.filter((p) => !own.includes(p))];
}

export const v1Pushed = defineBase<ConsumerPolicy>(
  'v1-pushed',
  {
    consume: pushedConsumer,
    onLagged: 'read',
    gapRead: true,
    dedupe: true,
    unknownDenial: 'read',
    ordering: 'seq',
    strict: false,
    readFailureOnSubscribe: false,
    // codex 0.169.0 observed: no client deadline (it does not come from the
    // unbounded_connection_retries feature, which is the model stream's; switched off, 0.169 still
    // resumed after 27 s). The server's 30 s detached TTL bounds it.
    recoveryWindowMs: null,
  },
  {
    summary:
      'ordered pushed events with a read fallback on lag, gap and legacy exit; resume retried until the server refuses the session (codex 0.169); upstream as it is (F15, F16, F22 unguarded)',
    source: 'openai/codex#30273',
    expected: withUpstreamGaps([]),
  },
);
