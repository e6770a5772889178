/**
 * The consumer variants, as data. Each field-bug variant is its sibling with one rule changed,
 * so a diff of two entries reads like the upstream change (spec §3, §5).
 */
export interface ConsumerConfig {
  /** `poll`: wake + read (before #30273); `pushed`: ordered events with read fallback (#30273). */
  mode: 'poll' | 'pushed';
  /** On `Lagged`: read from the cursor (#30273), continue (#37207) or treat as closed (#18212). */
  onLagged: 'read' | 'skip' | 'close';
  /** Read when an event's seq jumps past the cursor (bounded replay, ring overflow). */
  gapRead: boolean;
  /** Drop events at or below the cursor (#18212 review: duplicates after lag recovery). */
  dedupe: boolean;
  /** Exited without `sandboxDenied` (a legacy server): read it (#30273), or take it as false (#29424's bug). */
  unknownDenial: 'read' | 'assume-false';
  /** The client publishes in seq order (client.rs) or in arrival order (#18020's bug). */
  ordering: 'seq' | 'arrival';
  /**
   * The candidate fix: a fallback read that leaves a hole below what it returns is an explicit
   * failure naming the lost seqs, never a silent splice (F15); exit code -1 (a lost exit watcher
   * or a signal) is reported with an error, not as a real exit (F22).
   */
  strict: boolean;
}

const V1: ConsumerConfig = {
  mode: 'pushed',
  onLagged: 'read',
  gapRead: true,
  dedupe: true,
  unknownDenial: 'read',
  ordering: 'seq',
  strict: false,
};

export interface VariantDef {
  config: ConsumerConfig;
  summary: string;
  source: string;
}

export const VARIANTS: Record<string, VariantDef> = {
  'v0-poll': {
    config: { ...V1, mode: 'poll' },
    summary: 'wake + read polling: notifications only wake the task, reads are the truth, a final read after close',
    source: 'openai/codex unified exec before #30273 (spawn_exec_server_output_task); #29424 reads sandboxDenied',
  },
  'v1-pushed': {
    config: V1,
    summary: 'ordered pushed events with a read fallback on lag, gap and legacy exit; upstream as it is (F15, F16, F22 unguarded)',
    source: 'openai/codex#30273',
  },
  'v1-strict': {
    config: { ...V1, strict: true },
    summary: 'v1-pushed with the gaps closed: a read past a hole is an explicit failure; exit code -1 is not a real exit',
    source: 'candidate fix (F15: first returned seq checked, as a fork does; F22: -1 treated as unknown)',
  },
  'lag-skips': {
    config: { ...V1, onLagged: 'skip', gapRead: false },
    summary: 'the completion listener continues on Lagged and never notices the jump in seq',
    source: 'openai/codex#37207',
  },
  'lag-closes': {
    config: { ...V1, onLagged: 'close' },
    summary: 'Lagged is treated as the end of the stream',
    source: 'openai/codex#18212 (review P1, MCP stdio)',
  },
  'no-dedupe': {
    config: { ...V1, dedupe: false },
    summary: 'after a lag read recovers through N, events at or below N from the ring are applied again',
    source: 'openai/codex#18212 (review P1, MCP stdio)',
  },
  'arrival-order': {
    config: { ...V1, ordering: 'arrival', gapRead: false },
    summary: 'events are published in arrival order and Closed completes the call as it arrives',
    source: 'openai/codex#18020 (review P1)',
  },
  'legacy-denial': {
    config: { ...V1, unknownDenial: 'assume-false' },
    summary: 'an Exited without sandboxDenied (legacy server) is taken as not denied: a denial becomes an ordinary failure',
    source: 'openai/codex#29424 (motivation; the guard landed in #30273)',
  },
};
