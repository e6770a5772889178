/**
 * The exec-stream workload: one command's output (chunk sizes, streams and timing, cut from the
 * self-locating tape), how it ends (exit code or signal, a sandbox denial, a grandchild holding
 * the pipes), the server's pump jitter, and the client's event capacities. Capacities are scaled
 * down from upstream's 256 events / 1 MiB (the rules do not depend on the constants), so lag,
 * bounded replay and reorder caps are reachable in a few dozen events and runs stay fast.
 */
import fc from 'fast-check';
import { FieldCheck, show } from '../../../sim/index.ts';

export interface ChunkSpec {
  /** Ms after the previous chunk (or the start). */
  gapMs: number;
  stream: 'stdout' | 'stderr';
  bytes: number;
}

export type EndSpec = { code: number } | { signal: 'SIGKILL' | 'SIGTERM' };

export interface ExecWorkload {
  chunks: ChunkSpec[];
  /** Ms from the last chunk to the end. */
  exitAfterMs: number;
  end: EndSpec;
  /** Runs under a sandbox (the server classifies denials). */
  sandboxed: boolean;
  /** Writes a denial line on stderr just before exiting non-zero (requires sandboxed). */
  denied: boolean;
  /** A grandchild keeps the pipes open this long after the exit (0: none). */
  childHoldsPipesMs: number;
  /** Server pipe-read and notification-send jitter bounds (ms). */
  pipeJitterMsMax: number;
  sendJitterMsMax: number;
  /** Client event log history, live ring and pending reorder cap (events; upstream 256). */
  eventCapacity: number;
  /** Client event log history bytes (upstream 1 MiB). */
  eventBytes: number;
}

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

export const workloadArbitrary: fc.Arbitrary<ExecWorkload> = fc
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

export function validateWorkload(value: unknown, path: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [`${path}: expected a workload object, got ${show(value)}`];
  const o = value as Record<string, unknown>;
  const c = new FieldCheck(o, path)
    .only([
      'chunks',
      'exitAfterMs',
      'end',
      'sandboxed',
      'denied',
      'childHoldsPipesMs',
      'pipeJitterMsMax',
      'sendJitterMsMax',
      'eventCapacity',
      'eventBytes',
    ])
    .int('exitAfterMs')
    .bool('sandboxed')
    .bool('denied')
    .int('childHoldsPipesMs')
    .int('pipeJitterMsMax', { max: 1_000 })
    .int('sendJitterMsMax', { max: 1_000 })
    .int('eventCapacity', { min: 1 })
    .int('eventBytes', { min: 1 });
  if (!Array.isArray(o.chunks)) c.problems.push(`${path}.chunks: expected a list of {gapMs, stream, bytes}, got ${show(o.chunks)}`);
  else
    o.chunks.forEach((ch: unknown, i) => {
      const p = `${path}.chunks[${i}]`;
      if (ch === null || typeof ch !== 'object') c.problems.push(`${p}: expected {gapMs, stream, bytes}, got ${show(ch)}`);
      else
        c.problems.push(
          ...new FieldCheck(ch as Record<string, unknown>, p)
            .only(['gapMs', 'stream', 'bytes'])
            .int('gapMs')
            .str('stream', { oneOf: ['stdout', 'stderr'] })
            .int('bytes', { min: 1 }).problems,
        );
    });
  const end = o.end as Record<string, unknown> | null;
  if (end === null || typeof end !== 'object') c.problems.push(`${path}.end: expected {code} or {signal}, got ${show(o.end)}`);
  else if ('code' in end) c.problems.push(...new FieldCheck(end, `${path}.end`).only(['code']).int('code', { max: 255 }).problems);
  else c.problems.push(...new FieldCheck(end, `${path}.end`).only(['signal']).str('signal', { oneOf: ['SIGKILL', 'SIGTERM'] }).problems);
  if (o.denied === true && o.sandboxed !== true) c.problems.push(`${path}.denied: a denial needs sandboxed: true`);
  if (o.denied === true && end && typeof end === 'object' && (!('code' in end) || end.code === 0))
    c.problems.push(`${path}.denied: a denial needs a non-zero exit code`);
  return c.problems;
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
