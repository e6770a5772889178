/**
 * The attach-pump workload: what the command in the box does (its writes per stream, with times,
 * and its exit), plus optional test-scaled runner buffers. Output is tape content (self-locating,
 * so the output checker aligns it exactly) unless a step gives literal `text` (field-bug
 * scenarios: `echo hello`). Times are ms after the process starts.
 */
import fc from 'fast-check';
import {
  fieldsOf,
  HORIZON_MS,
  int,
  list,
  obj,
  oneOf,
  optional,
  str,
  withLimit,
  type Measured,
  type Static,
  type WorkloadLimits,
} from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import type { ProcessScript, ScriptStep } from '../../../sim/ports/index.ts';
import { tape } from '../../../sim/workload/tape.ts';
import { RUNNER } from '../constants.ts';
import type { RunnerSizes } from '../runner/execManager.ts';
import type { StreamName } from '../wire.ts';

/**
 * What one workload may ask for: 4 MiB of output in 10,000 writes (a run at both limits ends in
 * a few seconds; 200 MiB took 2.9 GB and 10^10 bytes crashed), one command, the world's horizon.
 */
export const ATTACH_LIMITS: WorkloadLimits = { bytes: 4 * 1024 * 1024, steps: 10_000, durationMs: HORIZON_MS, processes: 1 };
const OURS = "attach-pump's";

const STEP = obj(
  {
    atMs: int('when the command writes, after it starts', 'ms'),
    stream: oneOf(['stdout', 'stderr'], 'the stream written'),
    bytes: optional(
      withLimit(int("bytes of tape, continuing the stream's tape (or text)", 'bytes', { min: 1, max: ATTACH_LIMITS.bytes }), OURS),
    ),
    text: optional(withLimit(str('literal UTF-8 text (or bytes)', { maxLength: ATTACH_LIMITS.bytes }), OURS)),
    hex: optional(
      withLimit(
        str('literal bytes as hex, e.g. "c3" then "a90a": a UTF-8 character split across writes', {
          pattern: '^([0-9a-fA-F]{2})+$',
          expected: 'an even number of hex digits',
          maxLength: 2 * ATTACH_LIMITS.bytes,
        }),
        OURS,
      ),
    ),
  },
  'one write of the command: bytes of tape, literal text or literal bytes (hex)',
);

export const ATTACH_WORKLOAD = obj(
  {
    command: str('what the user ran (for logs and reports)'),
    steps: withLimit(
      list(STEP, "the command's writes, in order", { expected: 'a list of {atMs, stream, bytes|text}', maxItems: ATTACH_LIMITS.steps }),
      OURS,
    ),
    exit: obj(
      { atMs: int('when the command exits, after it starts', 'ms'), code: int('the exit status', 'exit code', { max: 255 }) },
      'how the command ends',
    ),
    runner: optional(
      obj(
        {
          backlogBytesMax: optional(int('replay backlog cap (test scale)', 'bytes', { min: 1 })),
          subscriberChunksMax: optional(int('per-subscriber channel cap (test scale)', 'chunks', { min: 1 })),
        },
        'test scale: smaller runner buffers, so overflow needs only small outputs',
      ),
    ),
  },
  'attach-pump workload: what the command in the box writes and when it exits',
  { expected: 'a workload object {command, steps, exit}' },
);

export type AttachWorkload = Static<typeof ATTACH_WORKLOAD>;
export type OutputStep = AttachWorkload['steps'][number];

export function runnerSizes(w: AttachWorkload): RunnerSizes {
  return {
    backlogBytesMax: w.runner?.backlogBytesMax ?? RUNNER.backlogBytesMax,
    subscriberChunksMax: w.runner?.subscriberChunksMax ?? RUNNER.subscriberChunksMax,
  };
}

/** One long tape per stream, cut into slices: the same bytes as `tape`, built once per process. */
const tapes: Record<StreamName, string> = { stdout: '', stderr: '' };
function tapeSlice(stream: StreamName, offset: number, length: number): string {
  const end = offset + length;
  if (tapes[stream].length < end) tapes[stream] = tape(stream, 0, Math.max(end, 2 * tapes[stream].length, 64 * 1024));
  return tapes[stream].slice(offset, end);
}

export function processScript(w: AttachWorkload): ProcessScript {
  const at: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  const steps: ScriptStep[] = w.steps.map((s) => {
    const data =
      s.hex !== undefined ? new Uint8Array(Buffer.from(s.hex, 'hex')) : (s.text ?? tapeSlice(s.stream, at[s.stream], s.bytes ?? 0));
    at[s.stream] += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    return { atMs: s.atMs, stream: s.stream, data };
  });
  return { steps, end: { atMs: w.exit.atMs, code: w.exit.code } };
}

// ---- arbitrary ---------------------------------------------------------------------------------

const stream = fc.constantFrom<StreamName>('stdout', 'stdout', 'stdout', 'stderr');
const exitCode = fc.constantFrom(0, 0, 0, 0, 1, 2, 127);

/** Writes spaced by gaps drawn from `gapMsMax`, then the exit `exitAfterMsMax` later. */
function shape(
  name: string,
  o: {
    writes: [number, number];
    gapMsMax: number;
    firstMsMin?: number;
    firstMsMax?: number;
    bytes: [number, number];
    exitAfterMsMax: number;
    runner?: fc.Arbitrary<Partial<RunnerSizes>>;
  },
): fc.Arbitrary<AttachWorkload> {
  return fc
    .record({
      first: fc.integer({ min: o.firstMsMin ?? 0, max: o.firstMsMax ?? (o.firstMsMin ?? 0) + o.gapMsMax }),
      writes: fc.array(
        fc.record({ gapMs: fc.integer({ min: 0, max: o.gapMsMax }), bytes: fc.integer({ min: o.bytes[0], max: o.bytes[1] }), stream }),
        {
          minLength: o.writes[0],
          maxLength: o.writes[1],
        },
      ),
      exitAfterMs: fc.integer({ min: 0, max: o.exitAfterMsMax }),
      code: exitCode,
      runner: o.runner ?? fc.constant(undefined),
    })
    .map(({ first, writes, exitAfterMs, code, runner }) => {
      let t = first;
      const steps: OutputStep[] = writes.map((wr, i) => {
        if (i > 0) t += wr.gapMs;
        return { atMs: t, stream: wr.stream, bytes: wr.bytes };
      });
      const w: AttachWorkload = { command: name, steps, exit: { atMs: t + exitAfterMs, code } };
      if (runner) w.runner = runner;
      return w;
    });
}

/** Scaled runner buffers: a few chunks per channel, a few KiB of backlog. */
const scaled = fc.record({ backlogBytesMax: fc.integer({ min: 256, max: 4096 }), subscriberChunksMax: fc.integer({ min: 2, max: 8 }) });

/**
 * Shapes of commands. Every write is at least one tape record (8 bytes): a shorter delivery
 * (say a replayed 1-byte "o") matches many places of the tape, and the content aligner may then
 * name a duplicate as out-of-order bytes; 8 bytes always locate themselves.
 */
export const workloadArbitrary: fc.Arbitrary<AttachWorkload> = fc.oneof(
  { weight: 3, arbitrary: shape('fast', { writes: [0, 2], gapMsMax: 5, bytes: [8, 48], exitAfterMsMax: 10 }) },
  { weight: 4, arbitrary: shape('chatty', { writes: [1, 8], gapMsMax: 1_500, bytes: [8, 300], exitAfterMsMax: 1_000 }) },
  { weight: 2, arbitrary: shape('long', { writes: [1, 6], gapMsMax: 20_000, bytes: [8, 200], exitAfterMsMax: 30_000 }) },
  {
    weight: 1,
    arbitrary: shape('silent', { writes: [0, 2], firstMsMin: 10_000, gapMsMax: 30_000, bytes: [8, 64], exitAfterMsMax: 20_000 }),
  },
  {
    weight: 2,
    arbitrary: shape('burst', {
      writes: [8, 40],
      gapMsMax: 3,
      firstMsMax: 2_000,
      bytes: [16, 256],
      exitAfterMsMax: 200,
      runner: scaled.map((r) => r as Partial<RunnerSizes>),
    }),
  },
);

// ---- validation --------------------------------------------------------------------------------

/** The rules across fields: a step is tape or text, and comes before the exit. */
export function workloadRules(value: unknown, path: string): string[] {
  const w = fieldsOf(value);
  const exitAt = fieldsOf(w.exit).atMs;
  const problems: string[] = [];
  (Array.isArray(w.steps) ? w.steps : []).forEach((v: unknown, i) => {
    if (v === null || typeof v !== 'object') return;
    const s = fieldsOf(v);
    const p = `${path}.steps[${i}]`;
    const given = [s.bytes, s.text, s.hex].filter((x) => x !== undefined).length;
    if (given !== 1)
      problems.push(
        s.hex === undefined
          ? `${p}: expected exactly one of bytes (tape) or text (literal)`
          : `${p}: expected exactly one of bytes (tape), text (literal) or hex (literal bytes)`,
      );
    if (typeof s.atMs === 'number' && typeof exitAt === 'number' && s.atMs > exitAt)
      problems.push(`${p}.atMs: ${s.atMs} is after the exit (${exitAt}); a process writes nothing once it has exited`);
  });
  return problems;
}

const stepBytes = (x: OutputStep): number =>
  x.hex !== undefined ? x.hex.length / 2 : x.text !== undefined ? Buffer.byteLength(x.text) : (x.bytes ?? 0);

/** The workload's totals for ATTACH_LIMITS (the schema holds each write, and their number): output bytes in all. */
export function measureWorkload(s: Scenario<AttachWorkload>): Measured {
  return { bytes: { value: s.workload.steps.reduce((n, x) => n + stepBytes(x), 0), path: 'workload.steps' } };
}

export function describeWorkload(w: AttachWorkload): string {
  const bytes = (s: StreamName) => w.steps.filter((x) => x.stream === s).reduce((n, x) => n + stepBytes(x), 0);
  const scale = w.runner
    ? `, runner scaled (${w.runner.backlogBytesMax ?? RUNNER.backlogBytesMax} B backlog, ${w.runner.subscriberChunksMax ?? RUNNER.subscriberChunksMax} chunks)`
    : '';
  return `${w.command}: ${w.steps.length} writes, ${bytes('stdout')} B stdout, ${bytes('stderr')} B stderr, exit ${w.exit.code} at ${w.exit.atMs} ms${scale}`;
}
