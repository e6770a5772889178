/**
 * The exec-stream workload: one command's output (chunk sizes, streams and timing, cut from the
 * self-locating tape), how it ends (exit code or signal, a sandbox denial, a grandchild holding
 * the pipes), the server's pump jitter, and the client's event capacities. Capacities are scaled
 * down from upstream's 256 events / 1 MiB (the rules do not depend on the constants), so lag,
 * bounded replay and reorder caps are reachable in a few dozen events and runs stay fast.
 */
import fc from 'fast-check';
import {
  bool,
  either,
  fieldsOf,
  HORIZON_MS,
  int,
  list,
  obj,
  oneOf,
  withLimit,
  type Measured,
  type Static,
  type WorkloadLimits,
} from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';

/** What one workload may ask for: 4 MiB of output in 10,000 chunks (both at once end in seconds), one command, the horizon. */
export const EXEC_LIMITS: WorkloadLimits = { bytes: 4 * 1024 * 1024, steps: 10_000, durationMs: HORIZON_MS, processes: 1 };
const OURS = "exec-stream's";

const CHUNK = obj(
  {
    gapMs: int('time after the previous chunk (or the start)', 'ms'),
    stream: oneOf(['stdout', 'stderr'], 'the stream written'),
    bytes: withLimit(int('bytes of tape written', 'bytes', { min: 1, max: EXEC_LIMITS.bytes }), OURS),
  },
  'one write of the command',
);

const END = either(
  [
    obj({ code: int('the exit status', 'exit code', { max: 255 }) }, 'the command exits with a code'),
    obj({ signal: oneOf(['SIGKILL', 'SIGTERM'], 'the signal that kills it') }, 'the command is killed by a signal'),
  ],
  'how the command ends: {code} or {signal}',
);

export const EXEC_WORKLOAD = obj(
  {
    chunks: withLimit(list(CHUNK, "the command's output, in order", { maxItems: EXEC_LIMITS.steps }), OURS),
    exitAfterMs: int('time from the last chunk to the end', 'ms'),
    end: END,
    sandboxed: bool('runs under a sandbox (the server classifies denials)'),
    denied: bool('writes a denial line on stderr just before exiting non-zero (requires sandboxed)'),
    childHoldsPipesMs: int('a grandchild keeps the pipes open this long after the exit (0: none)', 'ms'),
    pipeJitterMsMax: int('server pipe-read jitter bound', 'ms', { max: 1_000 }),
    sendJitterMsMax: int('server notification-send jitter bound', 'ms', { max: 1_000 }),
    eventCapacity: int('client event log history, live ring and pending reorder cap (upstream 256)', 'events', { min: 1 }),
    eventBytes: int('client event log history bytes (upstream 1 MiB)', 'bytes', { min: 1 }),
  },
  'exec-stream workload: one command, its output and ending, server jitter and client capacities',
  { expected: 'a workload object' },
);

export type ExecWorkload = Static<typeof EXEC_WORKLOAD>;
export type ChunkSpec = ExecWorkload['chunks'][number];
export type EndSpec = ExecWorkload['end'];

export const DENIAL_LINE = 'touch: cannot touch /etc/execsim: Permission denied\n';

export function totalBytes(w: ExecWorkload): number {
  return w.chunks.reduce((n, c) => n + c.bytes, 0) + (w.denied ? DENIAL_LINE.length : 0);
}

/** Ms from spawn to the exit. */
export function exitAtMs(w: ExecWorkload): number {
  return w.chunks.reduce((t, c) => t + c.gapMs, 0) + w.exitAfterMs;
}

/** Output chunks plus exit and close: the seqs the server will assign. */
export function eventCount(w: ExecWorkload): number {
  return w.chunks.length + (w.denied ? 1 : 0) + 2;
}

const chunk = fc.record({
  gapMs: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 40, max: 2_000 }) },
  ),
  stream: fc.constantFrom<'stdout' | 'stderr'>('stdout', 'stdout', 'stderr'),
  bytes: fc.integer({ min: 1, max: 64 }),
});

const plainWorkload: fc.Arbitrary<ExecWorkload> = fc
  .record({
    chunks: fc.array(chunk, { minLength: 0, maxLength: 24 }),
    exitAfterMs: fc.integer({ min: 0, max: 50 }),
    end: fc.oneof(
      { weight: 12, arbitrary: fc.constant<EndSpec>({ code: 0 }) },
      { weight: 4, arbitrary: fc.constantFrom<EndSpec>({ code: 1 }, { code: 2 }, { code: 3 }) },
      { weight: 1, arbitrary: fc.constant<EndSpec>({ signal: 'SIGKILL' }) },
    ),
    sandboxed: fc.boolean(),
    denied: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    childHoldsPipesMs: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }) }),
    pipeJitterMsMax: fc.integer({ min: 0, max: 3 }),
    sendJitterMsMax: fc.integer({ min: 0, max: 3 }),
    eventCapacity: fc.constantFrom(2, 4, 8, 16, 256),
    eventBytes: fc.constantFrom(64, 256, 1024, 1024 * 1024),
  })
  .map((w) => (w.denied ? { ...w, sandboxed: true, end: { code: 1 } } : w));

/**
 * Event log byte capacities next to the sizes of what goes through the log (issue 12): one off a
 * chunk's size or all the output, and the range of the failure texts the client publishes (a
 * `Failed` of about 40 to 100 bytes), so a log that evicts one event at once is drawn often,
 * not only when 64 bytes happens to be chosen.
 */
function sizedEventBytes(w: ExecWorkload): fc.Arbitrary<ExecWorkload> {
  const sizes = [...new Set([...w.chunks.map((c) => c.bytes), totalBytes(w)])].filter((x) => x > 0);
  const near =
    sizes.length === 0
      ? fc.integer({ min: 1, max: 64 })
      : fc.constantFrom(...sizes).chain((x) => fc.integer({ min: Math.max(1, x - 1), max: x + 1 }));
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.constant(w.eventBytes) },
      { weight: 1, arbitrary: near },
      { weight: 1, arbitrary: fc.integer({ min: 32, max: 128 }) },
    )
    .map((eventBytes) => ({ ...w, eventBytes }));
}

/** The workload arbitrary; `sizes` (opt-in, the known-bugs bench's guided profile) draws event log capacities next to message sizes. */
export function workloadArbitraryWith(opts: { sizes: boolean }): fc.Arbitrary<ExecWorkload> {
  return opts.sizes ? plainWorkload.chain(sizedEventBytes) : plainWorkload;
}

export const workloadArbitrary = workloadArbitraryWith({ sizes: false });

/** The rules across fields: a denial needs a sandbox and a failing exit. */
export function workloadRules(value: unknown, path: string): string[] {
  const w = fieldsOf(value);
  const end = fieldsOf(w.end);
  const problems: string[] = [];
  if (w.denied === true && w.sandboxed !== true) problems.push(`${path}.denied: a denial needs sandboxed: true`);
  if (w.denied === true && w.end !== null && typeof w.end === 'object' && (!('code' in end) || end.code === 0))
    problems.push(`${path}.denied: a denial needs a non-zero exit code`);
  return problems;
}

/** The workload's totals for EXEC_LIMITS: output bytes in all, and when the command exits (the sum of its gaps). */
export function measureWorkload(s: Scenario<ExecWorkload>): Measured {
  return {
    bytes: { value: totalBytes(s.workload), path: 'workload.chunks' },
    durationMs: { value: exitAtMs(s.workload), path: 'workload.exitAfterMs' },
  };
}

export function describeWorkload(w: ExecWorkload): string {
  const end = 'code' in w.end ? `exit ${w.end.code}` : `killed by ${w.end.signal}`;
  const parts = [`${w.chunks.length} chunks, ${totalBytes(w)} bytes`, end];
  if (w.denied) parts.push('sandbox denial');
  else if (w.sandboxed) parts.push('sandboxed');
  if (w.childHoldsPipesMs > 0) parts.push(`pipes held ${w.childHoldsPipesMs} ms`);
  parts.push(`event capacity ${w.eventCapacity}`);
  return parts.join(', ');
}
