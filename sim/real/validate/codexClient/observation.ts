/**
 * The observation adapter of `validate --client codex`: what codex's consumer handed its user (the
 * `function_call_output` text sent back to the model, and the `--json` item), and what a generic
 * consumer printed as JSON lines, turned into the exec-stream history its checkers judge.
 *
 * codex merges stdout and stderr into one text. The scripted command writes the self-locating
 * tape (sim/workload/tape.ts: 8-byte records `o000001\n`, `e000001\n`), in chunks of whole
 * records, so each record of the merged text names its stream and offset: the delivered bytes go
 * back to their streams exactly. The seqs codex applied are not on its surface; they are inferred
 * from the bytes (an output seq counts as applied when every byte of its chunk was delivered).
 */
import type { DeliveredChunk, ReportedOutcome, ReportedResult } from '../../../check/index.ts';
import { ExecsimError } from '../../../errors.ts';
import type { LedgerSeq } from '../../../../reference-impl/exec-stream/server/ledger.ts';
import type { ExecObserved } from '../../../../reference-impl/exec-stream/target/history.ts';
import { DENIAL_LINE, type ExecWorkload } from '../../../../reference-impl/exec-stream/target/workload.ts';

/** One answer of codex's exec tool, as the model got it. */
export type ToolAnswer =
  | { kind: 'exited'; code: number; output: string }
  | { kind: 'running'; sessionId: number; output: string }
  /** Anything else: an error codex reports instead of an exit (a failed process, a denial). */
  | { kind: 'error'; message: string; output: string };

/** Parses `Process exited with code N ... Output:\n...` or `Process running with session ID N ...`. */
export function parseToolOutput(text: string): ToolAnswer {
  const at = text.indexOf('\nOutput:\n');
  const head = at >= 0 ? text.slice(0, at) : text;
  const output = at >= 0 ? text.slice(at + '\nOutput:\n'.length) : '';
  const exited = /^Process exited with code (-?\d+)\s*$/m.exec(head);
  if (exited) return { kind: 'exited', code: Number(exited[1]), output };
  const running = /^Process running with session ID (\d+)\s*$/m.exec(head);
  if (running) return { kind: 'running', sessionId: Number(running[1]), output };
  return { kind: 'error', message: text.trim().slice(0, 2_000), output };
}

/** A tool answer as the history's terminal result (a `running` answer is not terminal). */
export function outcomeOf(a: ToolAnswer): ReportedOutcome {
  if (a.kind === 'exited') return { kind: 'exit', code: a.code };
  if (a.kind === 'running') return { kind: 'running', message: `session ${a.sessionId}` };
  return { kind: 'failure', message: a.message };
}

/** `item.completed` of a command execution in codex's `--json` stream. */
export interface CodexItem {
  aggregatedOutput: string;
  exitCode: number | null;
  status: string;
}

export function parseCodexJsonLine(line: string): CodexItem | undefined {
  if (!line.startsWith('{')) return undefined;
  let v: { type?: unknown; item?: Record<string, unknown> };
  try {
    v = JSON.parse(line) as typeof v;
  } catch {
    return undefined;
  }
  const item = v.item;
  if (v.type !== 'item.completed' || item?.type !== 'command_execution') return undefined;
  return {
    aggregatedOutput: typeof item.aggregated_output === 'string' ? item.aggregated_output : '',
    exitCode: typeof item.exit_code === 'number' ? item.exit_code : null,
    status: String(item.status),
  };
}

const RECORD = /^[oe][0-9a-z]{6}\n/;

/**
 * Splits delivered text back into its streams by the tape's records; the denial line goes to
 * stderr at `denialOffset` (it follows every stderr record); anything else is `other`.
 */
export function splitByTape(t: number, text: string, into: Record<string, DeliveredChunk[]>, denialOffset: number): void {
  let i = 0;
  let other = '';
  const flushOther = () => {
    if (other) (into.other ??= []).push({ t, data: new Uint8Array(Buffer.from(other)) });
    other = '';
  };
  while (i < text.length) {
    const rest = text.slice(i, i + 8);
    if (RECORD.test(rest)) {
      flushOther();
      const stream = rest[0] === 'o' ? 'stdout' : 'stderr';
      const offset = parseInt(rest.slice(1, 7), 36) * 8;
      const list = (into[stream] ??= []);
      const last = list[list.length - 1];
      // contiguous records of one answer are one delivered chunk
      if (last && last.t === t && last.offset !== undefined && last.offset + last.data.length === offset)
        list[list.length - 1] = { t, offset: last.offset, data: new Uint8Array(Buffer.concat([last.data, Buffer.from(rest)])) };
      else list.push({ t, offset, data: new Uint8Array(Buffer.from(rest)) });
      i += 8;
    } else if (text.startsWith(DENIAL_LINE, i)) {
      flushOther();
      (into.stderr ??= []).push({ t, offset: denialOffset, data: new Uint8Array(Buffer.from(DENIAL_LINE)) });
      i += DENIAL_LINE.length;
    } else {
      other += text[i];
      i += 1;
    }
  }
  flushOther();
}

/**
 * The seqs a surface without seqs applied, inferred from the bytes: an output seq is applied
 * when every byte of its chunk was delivered (by stream offset), at the time its last byte came.
 */
export function inferDeliveries(streams: Record<string, DeliveredChunk[]>, seqs: readonly LedgerSeq[]): ExecObserved['deliveries'] {
  const out: ExecObserved['deliveries'] = [];
  for (const s of seqs) {
    if (s.type !== 'output') continue;
    let need = s.bytes;
    let t = 0;
    for (const d of streams[s.stream] ?? []) {
      if (d.offset === undefined) continue;
      const from = Math.max(d.offset, s.offset);
      const to = Math.min(d.offset + d.data.length, s.offset + s.bytes);
      if (to > from) {
        need -= to - from;
        t = Math.max(t, d.t);
      }
    }
    if (need <= 0) out.push({ t, seq: s.seq });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** The JSON lines a generic exec-server consumer prints (README.md, "Validating an exec-server consumer"). */
export type ConsumerLine =
  | { type: 'output'; stream: string; data: string; seq?: number }
  | { type: 'gap'; afterSeq: number; throughSeq: number }
  | { type: 'result'; exitCode: number | null; denied?: boolean; errorMessage?: string }
  | { type: 'failure'; message: string };

export function parseConsumerLine(line: string): ConsumerLine | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  const bad = (why: string) =>
    new ExecsimError('EXECSIM_USAGE', `consumer output line ${JSON.stringify(text.slice(0, 200))}: ${why} (see README.md, "Validating an exec-server consumer")`);
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('not JSON');
  }
  const optInt = (k: string) => {
    if (o[k] !== undefined && !Number.isInteger(o[k])) throw bad(`$.${k}: expected an integer`);
    return o[k] as number | undefined;
  };
  switch (o.type) {
    case 'output': {
      if (o.stream !== 'stdout' && o.stream !== 'stderr') throw bad('$.stream: expected "stdout" or "stderr"');
      if (typeof o.data !== 'string') throw bad('$.data: expected a string');
      const seq = optInt('seq');
      return { type: 'output', stream: o.stream, data: o.data, ...(seq !== undefined ? { seq } : {}) };
    }
    case 'gap': {
      const afterSeq = optInt('afterSeq');
      const throughSeq = optInt('throughSeq');
      if (afterSeq === undefined || throughSeq === undefined) throw bad('$.afterSeq and $.throughSeq: expected integers');
      return { type: 'gap', afterSeq, throughSeq };
    }
    case 'result': {
      if (o.exitCode !== null && !Number.isInteger(o.exitCode)) throw bad('$.exitCode: expected an integer or null');
      if (o.denied !== undefined && typeof o.denied !== 'boolean') throw bad('$.denied: expected a boolean');
      if (o.errorMessage !== undefined && typeof o.errorMessage !== 'string') throw bad('$.errorMessage: expected a string');
      return {
        type: 'result',
        exitCode: o.exitCode as number | null,
        ...(o.denied !== undefined ? { denied: o.denied as boolean } : {}),
        ...(o.errorMessage !== undefined ? { errorMessage: o.errorMessage as string } : {}),
      };
    }
    case 'failure':
      if (typeof o.message !== 'string') throw bad('$.message: expected a string');
      return { type: 'failure', message: o.message };
    default:
      throw bad('$.type: expected "output", "gap", "result" or "failure"');
  }
}

/** What one run of a consumer showed, in arrival order, before it becomes the history. */
export class Observation {
  readonly streams: Record<string, DeliveredChunk[]> = {};
  readonly results: ReportedResult[] = [];
  readonly gaps: ExecObserved['gaps'] = [];
  readonly notices: ExecObserved['notices'] = [];
  /** Deliveries the consumer named by seq (generic consumers may). */
  private readonly named: ExecObserved['deliveries'] = [];
  /** Where the denial line sits on stderr: after the workload's stderr tape. */
  private readonly denialOffset: number;

  constructor(w: ExecWorkload) {
    this.denialOffset = w.chunks.filter((c) => c.stream === 'stderr').reduce((n, c) => n + c.bytes, 0);
  }

  /** Text the consumer handed its user: split by the tape, positioned. */
  text(t: number, text: string): void {
    splitByTape(t, text, this.streams, this.denialOffset);
  }

  line(t: number, l: ConsumerLine): void {
    if (l.type === 'output') {
      if (l.seq !== undefined) this.named.push({ t, seq: l.seq });
      this.text(t, l.data);
    } else if (l.type === 'gap') {
      this.gaps.push({ t, afterSeq: l.afterSeq, throughSeq: l.throughSeq });
      this.notices.push({ t, kind: 'gap', message: `gap after seq ${l.afterSeq} through ${l.throughSeq}` });
    } else if (l.type === 'failure') this.results.push({ t, outcome: { kind: 'failure', message: l.message } });
    else
      this.results.push({
        t,
        outcome: {
          kind: 'exit',
          code: l.exitCode,
          ...(l.denied !== undefined ? { denied: l.denied } : {}),
          ...(l.errorMessage !== undefined ? { error: l.errorMessage } : {}),
        },
      });
  }

  history(seqs: readonly LedgerSeq[]): ExecObserved {
    return {
      streams: this.streams,
      notices: this.notices,
      results: this.results,
      deliveries: this.named.length > 0 ? this.named : inferDeliveries(this.streams, seqs),
      gaps: this.gaps,
    };
  }
}
