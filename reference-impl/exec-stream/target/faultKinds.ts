/**
 * The fault kinds exec-stream adds, one name everywhere (spec §6 "Fault knobs"). Each validates
 * its parameters with JSON-path messages and is aimed at the workload's timeline by its
 * arbitrary, which shrinks toward fewer, earlier, shorter faults (fast-check integers shrink
 * toward their minimum). The server and consumer only read knobs; these kinds set them.
 */
import fc from 'fast-check';
import {
  bindable,
  bool,
  faultSpec,
  isFault,
  type BindableKind,
  type FaultEffectHandle,
  int,
  optional,
  type Fault,
  type FaultKind,
  type FaultNames,
  type FaultOf,
  type FaultSpec,
  type Props,
} from '../../../sim/index.ts';
import type { FaultDraw, Scenario } from '../../../sim/target.ts';
import type { ConsumerKnobs } from '../consumer/report.ts';
import type { ExecServer } from '../server/execServer.ts';
import { SPEC_DETACHED_SESSION_TTL_MS, SPEC_RECOVERY_WINDOW_MS } from './spec.ts';
import { eventCount, exitAtMs, totalBytes, type ExecWorkload } from './workload.ts';

export const CONNECTION = 'client->exec-server';

export interface FaultTargets {
  server: ExecServer;
  consumer: ConsumerKnobs;
  /** Schedules kernel faults (the transport cut is kernel `cut` plus a `refuse` window). */
  schedule(faults: Fault[]): void;
  /** The fault being applied, for a kind whose effect comes later (World.faults.applying). */
  applying(): FaultEffectHandle;
}

const kind = <P extends Props>(spec: FaultSpec<P>, apply: (t: FaultTargets) => (f: FaultOf<P>) => void) => bindable(spec, apply);

export const SUBSCRIBER_DELAY = faultSpec({
  kind: 'subscriber-delay',
  summary: 'the consumer subscribes to process events this long after process/start returns (bounded replay, F1/F2)',
  params: { delayMs: int('delay before subscribing', 'ms', { min: 1 }) },
  // its effect is the consumer's late subscription: none once it has subscribed
  reportsEffect: true,
});

export const CONSUMER_STALL = faultSpec({
  kind: 'consumer-stall',
  summary: 'the consumer task does not run for durationMs, so its event receiver falls behind (Lagged, F3/F15/F16)',
  params: { durationMs: int('how long the consumer does not run', 'ms', { min: 1 }) },
  // its effect is the consumer held: none if the consumer does not come to run in its window
  reportsEffect: true,
});

export const NOTIFICATION_REORDER = faultSpec({
  kind: 'notification-reorder',
  summary: 'the server task sending the notification of seq is descheduled for holdMs, so later seqs overtake it (F5)',
  params: { seq: int('the seq held back', 'seq', { min: 1 }), holdMs: int('how long it is held back', 'ms', { min: 1 }) },
  // its effect is the send of that seq, held: none if the seq was sent before it fired
  reportsEffect: true,
});

export const LEGACY_SERVER = faultSpec({
  kind: 'legacy-server',
  summary: 'the executor is a pre-#30273 build: process/exited carries no sandboxDenied (F6); oldNextSeq: the old nextSeq rule too',
  params: { oldNextSeq: optional(bool('also answer nextSeq = last chunk + 1 without maxBytes (default false)')) },
  // its effect is an answer the legacy build gives differently: none if no process exits after it (nor a read meets the old rule)
  reportsEffect: true,
});

export const READ_ERROR = faultSpec({
  kind: 'read-error',
  summary: 'the next count process/read requests fail with -32603',
  params: { count: optional(int('reads that fail (default 1)', 'reads', { min: 1 })) },
  // its effect is a read that fails: none if nothing reads after it
  reportsEffect: true,
});

export const TRANSPORT_CUT = faultSpec({
  kind: 'transport-cut',
  summary: 'the client-server WebSocket is cut (kernel cut, 1006) and reconnects are refused for refuseMs (F10/F11/F13)',
  params: { refuseMs: int('how long reconnects are refused (0: the first retry succeeds)', 'ms') },
  // its effect is the kernel cut's (or refusal's): a cut after the process is gone hits nothing
  reportsEffect: true,
});

export const RETENTION_SIZE = faultSpec({
  kind: 'retention-size',
  summary: "the server's retained output per process is capped at bytes and chunks (upstream 1 MiB / 50,000; F13/F15)",
  params: {
    bytes: int('retained output cap per process', 'bytes', { min: 1 }),
    chunks: int('retained chunk cap per process', 'chunks', { min: 1 }),
  },
  // its effect is output its caps evict: none if no process outgrows them (before a later one replaces them)
  reportsEffect: true,
});

export const EXIT_WATCHER_LOST = faultSpec({
  kind: 'exit-watcher-lost',
  summary: "the server's exit channel of every running process is dropped: exit code -1 is reported (F22)",
  params: {},
  // its effect is the processes whose exit was still to come: none before the first start or after the last exit
  reportsEffect: true,
});

// Callbacks are named before they are stored in a knob: V8 allocates a closure assigned straight to a
// property in old space, which keeps the whole run alive through minor GCs (target.ts, onResult).
const KINDS: BindableKind<FaultTargets>[] = [
  kind(SUBSCRIBER_DELAY, (t) => {
    let longest: FaultEffectHandle | undefined;
    return (f) => {
      const fault = t.applying();
      if (f.delayMs <= t.consumer.subscribeDelayMs)
        return fault.miss(`a subscriber-delay of ${t.consumer.subscribeDelayMs} ms was set already`);
      longest?.miss(`a longer subscriber-delay (${f.delayMs} ms, at ${f.at} ms) replaced it`);
      longest = fault;
      t.consumer.subscribeDelayMs = f.delayMs;
      fault.miss('the consumer did not subscribe after it (it had already, or never started)');
      const subscribed = (): void => fault.hit("the consumer's subscription");
      t.consumer.onDelayedSubscribe = subscribed;
    };
  }),
  kind(CONSUMER_STALL, (t) => (f) => {
    const fault = t.applying();
    fault.miss(`the consumer did not come to run in its ${f.durationMs} ms (it waited for events, had finished, or a longer stall held it)`);
    t.consumer.stall(f.at, f.durationMs, () => fault.hit('the consumer'));
  }),
  kind(NOTIFICATION_REORDER, (t) => (f) => {
    const fault = t.applying();
    fault.miss(`seq ${f.seq} was not sent after it (sent already, or never)`);
    t.server.knobs.holds.set(f.seq, { ms: f.holdMs, held: (processId) => fault.hit(`seq ${f.seq} of ${processId}`) });
  }),
  kind(LEGACY_SERVER, (t) => (f) => {
    const fault = t.applying();
    const knobs = t.server.knobs;
    if (knobs.legacyExited && (f.oldNextSeq !== true || knobs.oldNextSeq))
      return fault.miss('the server was that legacy build already (an earlier legacy-server)');
    knobs.legacyExited = true;
    if (f.oldNextSeq === true) knobs.oldNextSeq = true;
    fault.miss(
      f.oldNextSeq === true
        ? 'no process exited after it, and no process/read got another nextSeq from the old rule'
        : 'no process exited after it',
    );
    const answered = (what: string): void => fault.hit(what);
    knobs.legacyAnswered = answered;
  }),
  kind(READ_ERROR, (t) => (f) => {
    const fault = t.applying();
    fault.miss('no process/read request came after it');
    t.server.knobs.readErrors.push({ left: f.count ?? 1, failed: (processId) => fault.hit(`process/read of ${processId}`) });
  }),
  kind(TRANSPORT_CUT, (t) => (f) => {
    // The refusal goes first, so the client's first reconnect already meets it.
    const kernel: Fault[] = f.refuseMs > 0 ? [{ at: f.at, kind: 'refuse', target: CONNECTION, scope: 'ws', durationMs: f.refuseMs }] : [];
    kernel.push({ at: f.at, kind: 'cut', target: CONNECTION });
    t.schedule(kernel);
  }),
  kind(RETENTION_SIZE, (t) => {
    let current: FaultEffectHandle | undefined;
    return (f) => {
      const fault = t.applying();
      const knobs = t.server.knobs;
      current?.miss(`a later retention-size (at ${f.at} ms) replaced its caps before any output outgrew them`);
      current = fault;
      knobs.retainedBytesMax = f.bytes;
      knobs.retainedChunksMax = f.chunks;
      fault.miss(`no process's retained output outgrew ${f.bytes} bytes or ${f.chunks} chunks after it`);
      const evicted = (processId: string, seqs: number[]): void => fault.hit(`seq ${seqs.join(', ')} of ${processId}`);
      knobs.retentionEvicted = evicted;
    };
  }),
  kind(EXIT_WATCHER_LOST, (t) => () => {
    const fault = t.applying();
    const ids = t.server.dropExitWatchers();
    if (ids.length > 0) fault.hit(ids.map((id) => `exit watcher of ${id}`));
    else fault.miss('no process had an exit still to come (none started yet, or each had exited)');
  }),
];

export const EXEC_FAULT_SPECS: readonly FaultSpec[] = KINDS.map((k) => k.spec);
export const KERNEL_KINDS = ['lag'] as const;

/** The one connection a kernel fault can hit: the client's WebSocket to the exec-server. */
export const faultNames = (): FaultNames => ({ connections: [CONNECTION] });

/** A notification-reorder of a seq the server never assigns would hold nothing back. */
export function checkFaults(s: Scenario<ExecWorkload>): string[] {
  const last = eventCount(s.workload);
  return s.faults.flatMap((f, i) =>
    isFault(NOTIFICATION_REORDER, f) && f.seq > last
      ? [`faults[${i}].seq: ${f.seq} is past the last seq of this workload (${last}: its chunks, a denial, the exit and the close)`]
      : [],
  );
}

export function execFaultKinds(t: FaultTargets): FaultKind[] {
  return KINDS.map((k) => k.bind(t));
}

/** A fault's numeric parameter, 0 when absent. */
function param(f: Fault, k: string): number {
  const v = f[k];
  return typeof v === 'number' ? v : 0;
}

/** When a fault's effect is over (virtual ms), for the liveness deadline. */
export function faultEndMs(f: Fault): number {
  switch (f.kind) {
    case 'subscriber-delay':
      return f.at + param(f, 'delayMs');
    case 'consumer-stall':
      return f.at + param(f, 'durationMs');
    case 'notification-reorder':
      return f.at + param(f, 'holdMs');
    case 'transport-cut':
      return f.at + param(f, 'refuseMs');
    case 'lag':
      return f.at + param(f, 'durationMs') + param(f, 'extraMs');
    default:
      return f.at;
  }
}

/**
 * The protocol's windows (spec.ts): the 25 s recovery window and the 30 s session TTL and
 * retention. Boundary-biased draws land within 1.5 s of one (issue 12: a delay just past the
 * recovery window is what a late subscriber after a session failure needs).
 */
const WINDOWS = [SPEC_RECOVERY_WINDOW_MS, SPEC_DETACHED_SESSION_TTL_MS];

/** Draws within 1.5 s of one of the protocol's windows (at most maxMs). */
const nearWindow = (maxMs: number) =>
  fc.constantFrom(...WINDOWS.filter((x) => x <= maxMs)).chain((x) => fc.integer({ min: x - 1_500, max: Math.min(maxMs, x + 1_500) }));

/** Short, medium and long waits, small first: lags rarely, but reaches the 25 s and 30 s windows. */
const waitOf = (boundary: boolean) => (maxMs: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 2, arbitrary: fc.integer({ min: 300, max: 5_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: maxMs }) },
    ...(boundary ? [{ weight: 1, arbitrary: nearWindow(maxMs) }] : []),
  );

/** A focused kind's waits (the co-occurrence schedule, Target.faults.arbitrary): mostly at the windows, sometimes short or long. */
const focusedWait = (maxMs: number) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 4, arbitrary: nearWindow(maxMs) },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: maxMs }) },
  );

/** Fault arbitraries; `boundary` (the default) adds draws next to the protocol's windows, and `draw.focus` keeps them there. */
export function faultArbitraryWith(opts: { boundary: boolean }) {
  const plain = waitOf(opts.boundary);
  return (kind: string, w: ExecWorkload, draw?: FaultDraw) => faultArbitraryOf(kind, w, draw?.focus ? focusedWait : plain, plain);
}

export const faultArbitrary = faultArbitraryWith({ boundary: true });

function faultArbitraryOf(
  kind: string,
  w: ExecWorkload,
  wait: (maxMs: number) => fc.Arbitrary<number>,
  plainWait: (maxMs: number) => fc.Arbitrary<number>,
): fc.Arbitrary<Fault> {
  const span = exitAtMs(w) + w.childHoldsPipesMs + 50;
  const at = fc.integer({ min: 0, max: span });
  switch (kind) {
    case 'subscriber-delay':
      return wait(40_000).map((delayMs) => ({ at: 0, kind, delayMs }));
    case 'consumer-stall':
      // a stall meets the event log's capacity, not a protocol window: never focused
      return fc.record({ at, durationMs: plainWait(40_000) }).map((r) => ({ at: r.at, kind, durationMs: r.durationMs }));
    case 'notification-reorder':
      return fc
        .record({ seq: fc.integer({ min: 1, max: eventCount(w) }), holdMs: fc.integer({ min: 1, max: 500 }) })
        .map((r) => ({ at: 0, kind, seq: r.seq, holdMs: r.holdMs }));
    case 'legacy-server':
      return fc.constant({ at: 0, kind });
    case 'read-error':
      return fc.record({ at, count: fc.integer({ min: 1, max: 3 }) }).map((r) => ({ at: r.at, kind, count: r.count }));
    case 'transport-cut':
      return fc
        .record({ at, refuseMs: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: wait(30_000) }) })
        .map((r) => ({ at: r.at, kind, refuseMs: r.refuseMs }));
    case 'retention-size': {
      // Caps below one chunk (64 bytes) or a few chunks are not drawn: upstream's cap is 16,000
      // times the largest chunk, and a smaller one would evict the denial line before the server
      // classifies it, a server artefact rather than a consumer's behaviour.
      const bytes = Math.max(64, totalBytes(w));
      return fc
        .record({ bytes: fc.integer({ min: 64, max: bytes * 2 }), chunks: fc.integer({ min: 4, max: Math.max(4, w.chunks.length + 2) }) })
        .map((r) => ({ at: 0, kind, bytes: r.bytes, chunks: r.chunks }));
    }
    case 'exit-watcher-lost':
      return at.map((t) => ({ at: t, kind }));
    case 'lag':
      return fc
        .record({ at, durationMs: fc.integer({ min: 1, max: 2_000 }), extraMs: fc.integer({ min: 1, max: 300 }) })
        .map((r) => ({ at: r.at, kind, target: CONNECTION, durationMs: r.durationMs, extraMs: r.extraMs }));
    default:
      throw new Error(
        `exec-stream: unknown fault kind ${JSON.stringify(kind)} (known: ${[...EXEC_FAULT_SPECS.map((k) => k.kind), ...KERNEL_KINDS].join(', ')})`,
      );
  }
}
