/**
 * The policy slots of unified exec's consumer: where the variants differ, and nowhere else
 * (spec §3, §5). The base (`variants/v1Pushed.ts`) is upstream as it is at #30273; each variant
 * overrides only the slots its upstream change touched (`defineVariant` in sim/ports/variant.ts),
 * so `variants/<name>.ts` reads like that PR.
 */
import type { Clock, Log, Variant } from '../../sim/ports/index.ts';
import type { Session } from './client/session.ts';
import type { ConsumerKnobs, ConsumerReport } from './consumer/report.ts';

/** A consuming loop: from a started process's session to one reported outcome. */
export type ConsumeLoop = (
  clock: Clock,
  log: Log,
  session: Session,
  policy: ConsumerPolicy,
  knobs: ConsumerKnobs,
  report: ConsumerReport,
) => Promise<void>;

export interface ConsumerPolicy {
  /** Wake + read (`consumer/poll.ts`, before #30273), or ordered pushed events with a read fallback (`consumer/pushed.ts`, #30273). */
  readonly consume: ConsumeLoop;
  /** On `Lagged`: read from the cursor (#30273), continue (#37207) or treat as closed (#18212). */
  readonly onLagged: 'read' | 'skip' | 'close';
  /** Read when an event's seq jumps past the cursor (bounded replay, ring overflow). */
  readonly gapRead: boolean;
  /** Drop events at or below the cursor (#18212 review: duplicates after lag recovery). */
  readonly dedupe: boolean;
  /** Exited without `sandboxDenied` (a legacy server): read it (#30273), or take it as false (#29424's bug). */
  readonly unknownDenial: 'read' | 'assume-false';
  /** The client publishes in seq order (client.rs) or in arrival order (#18020's bug). */
  readonly ordering: 'seq' | 'arrival';
  /**
   * The candidate fix: a fallback read that leaves a hole below what it returns is an explicit
   * failure naming the lost seqs, never a silent splice (F15); exit code -1 (a lost exit watcher
   * or a signal) is reported with an error, not as a real exit (F22).
   */
  readonly strict: boolean;
  /**
   * A late subscriber asks for the session's state when it already failed: the unsequenced
   * Failed event counts its message against the log's byte cap and, bigger than the cap, is
   * evicted at once (spec §2 publish step 2), so the replay can be empty and nothing follows
   * live (issue 12). The read is synthesized by the client without asking the server.
   */
  readonly readFailureOnSubscribe: boolean;
  /**
   * How long the client retries `initialize{resumeSessionId}` after a disconnect before it fails
   * every session (client_recovery.rs): 25 s in #28512 (spec §2), or null for no client deadline,
   * as codex 0.169 does: it retries until the server answers or refuses the session (-32600
   * unknown session id, once the server's 30 s detached TTL ran out).
   */
  readonly recoveryWindowMs: number | null;
}

export type ConsumerVariant = Variant<ConsumerPolicy>;
