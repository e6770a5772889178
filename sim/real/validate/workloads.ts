/**
 * The validation workloads: real commands whose output and ending are known in advance, so the
 * truth of each run is known by construction (what the command writes is not the executor's to
 * tell). Generated output is tape content, written by emit.mjs.
 */
import { fileURLToPath } from 'node:url';
import type { ProducedChunk, TrueOutcome } from '../../check/history.ts';
import type { Signal } from '../../ports/proc.ts';
import { tape } from '../../workload/tape.ts';

const EMIT = fileURLToPath(new URL('./emit.mjs', import.meta.url));

export interface PlanStep {
  stream: 'stdout' | 'stderr';
  bytes: number;
  delayMs?: number;
}

export interface Workload {
  name: string;
  summary: string;
  argv: string[];
  pipeStdin: boolean;
  /** Writes to stdin: each `{ text, writeId, repeat }`; a repeat resends the same writeId (a retry). */
  writes: Array<{ text: string; writeId: string; repeat: number }>;
  streams: Record<string, ProducedChunk[]>;
  end: { code: number } | { signal: Signal };
  /** About how long it runs (ms), for deadlines. */
  durationMs: number;
  /** The command at a time factor: its own waits shrink with our side's (ours to scale: emit.mjs). */
  argvAt?(timeFactor: number): string[];
}

/** The command a run starts, its waits scaled to the run's time factor. */
export function argvOf(w: Workload, timeFactor: number): string[] {
  return w.argvAt && timeFactor !== 1 ? w.argvAt(timeFactor) : w.argv;
}

/**
 * `scaled`: its waits shrink with the run's time factor (they are protocol timing: slow output
 * for mid-output cuts and lag). A burst keeps the wall's rate: how many bytes it writes while a
 * reconnect's real latency (which no factor shrinks) runs is what its case is about.
 */
function emit(name: string, summary: string, steps: PlanStep[], end: Workload['end'], scaled = true): Workload {
  const offsets: Record<string, number> = { stdout: 0, stderr: 0 };
  const streams: Record<string, ProducedChunk[]> = {};
  for (const s of steps) {
    (streams[s.stream] ??= []).push({ t: 0, data: Buffer.from(tape(s.stream, offsets[s.stream] as number, s.bytes)) });
    offsets[s.stream] = (offsets[s.stream] as number) + s.bytes;
  }
  const plan = { steps, end: 'signal' in end ? { signal: end.signal } : { code: end.code } };
  const argvAt = (timeFactor: number) => [process.execPath, EMIT, JSON.stringify(timeFactor === 1 ? plan : { ...plan, timeFactor })];
  return {
    name,
    summary,
    argv: argvAt(1),
    ...(scaled ? { argvAt } : {}),
    pipeStdin: false,
    writes: [],
    streams,
    end,
    durationMs: steps.reduce((n, s) => n + (s.delayMs ?? 0), 0),
  };
}

const text = (s: string): ProducedChunk[] => [{ t: 0, data: Buffer.from(s) }];

export const WORKLOADS: Workload[] = [
  {
    name: 'true',
    summary: 'fast exit, no output (`true`)',
    argv: ['true'],
    pipeStdin: false,
    writes: [],
    streams: {},
    end: { code: 0 },
    durationMs: 0,
  },
  {
    name: 'echo',
    summary: 'fast exit with one line (`echo hello`)',
    argv: ['echo', 'hello'],
    pipeStdin: false,
    writes: [],
    streams: { stdout: text('hello\n') },
    end: { code: 0 },
    durationMs: 0,
  },
  emit('exit-1', 'a little output, exit 1', [{ stream: 'stdout', bytes: 40 }], { code: 1 }),
  emit(
    'exit-3',
    'stdout and stderr, exit 3',
    [
      { stream: 'stderr', bytes: 24 },
      { stream: 'stdout', bytes: 16 },
    ],
    { code: 3 },
  ),
  emit(
    'interleaved',
    'stdout and stderr interleaved, 12 writes 40 ms apart',
    Array.from({ length: 12 }, (_, i): PlanStep => ({ stream: i % 2 ? 'stderr' : 'stdout', bytes: 24 + i, delayMs: 40 })),
    { code: 0 },
  ),
  emit('signal', 'output, then killed by SIGKILL', [{ stream: 'stdout', bytes: 32 }], { signal: 'SIGKILL' }),
  emit(
    'trickle',
    'slow trickle: 12 lines 150 ms apart',
    Array.from({ length: 12 }, (): PlanStep => ({ stream: 'stdout', bytes: 16, delayMs: 150 })),
    { code: 0 },
  ),
  emit(
    'large',
    '1.5 MiB in 64 KiB writes, beyond the 1 MiB retention',
    Array.from({ length: 24 }, (_, i): PlanStep => ({ stream: 'stdout', bytes: 65_536, delayMs: i === 0 ? 100 : 20 })),
    { code: 0 },
    false,
  ),
  {
    name: 'stdin-echo',
    summary: 'stdin echoed (`head -c 10`), one write retried with the same writeId',
    argv: ['head', '-c', '10'],
    pipeStdin: true,
    writes: [
      { text: 'ping\n', writeId: 'w1', repeat: 2 },
      { text: 'pong\n', writeId: 'w2', repeat: 1 },
    ],
    streams: { stdout: text('ping\npong\n') },
    end: { code: 0 },
    durationMs: 0,
  },
];

export function truthOutcome(w: Workload, t: number): TrueOutcome {
  return 'signal' in w.end
    ? { kind: 'exit', code: null, signal: w.end.signal, denied: false, t }
    : { kind: 'exit', code: w.end.code, signal: null, denied: false, t };
}
