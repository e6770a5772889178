/**
 * What the callers observed, read the way an agent reads a wait: its exit code and the marker
 * lines on stdout and stderr. Each wait process becomes one `WaitSeen`; the completion's stdout
 * before the first `<!-- CSA:` marker is the stdout.log copy, delivered as the `stdout` stream.
 */
import type { DeliveredChunk, Observed, ReportedOutcome, ReportedResult } from '../../../sim/check/index.ts';
import type { WaitRun } from '../caller.ts';

export type WaitVerdict =
  | { kind: 'completed'; status: string; exit: number; synthetic: boolean }
  | { kind: 'kv-warm' }
  | { kind: 'timeout'; status: 'dead' | 'unstated' }
  | { kind: 'dead' }
  | { kind: 'lock-held' }
  | { kind: 'memory-warn' }
  | { kind: 'fatal'; message: string }
  | { kind: 'killed' }
  | { kind: 'unrecognized' };

export interface WaitSeen extends WaitRun {
  verdict: WaitVerdict;
}

export interface WaitObserved extends Observed {
  /** Every wait process of every caller, in the order they ended. */
  waits: WaitSeen[];
}

const COMPLETED = /<!-- CSA:SESSION_WAIT_COMPLETED session=\S+ status=(\S+) exit=(\d+) synthetic=(true|false) -->/;
const TIMEOUT = /<!-- CSA:SESSION_WAIT_TIMEOUT session=\S+ elapsed=\d+s( status=dead)? /;

export function classify(run: Pick<WaitRun, 'exitCode' | 'stdout' | 'stderr'>): WaitVerdict {
  const both = run.stdout + run.stderr;
  const done = COMPLETED.exec(both);
  if (done) return { kind: 'completed', status: done[1] as string, exit: Number(done[2]), synthetic: done[3] === 'true' };
  if (run.exitCode === null) return { kind: 'killed' };
  if (run.exitCode === 0 && run.stderr.includes('<!-- CSA:SESSION_WAIT_KV_WARM ')) return { kind: 'kv-warm' };
  const timeout = TIMEOUT.exec(run.stderr);
  if (run.exitCode === 124 && timeout) return { kind: 'timeout', status: timeout[1] ? 'dead' : 'unstated' };
  if (run.exitCode === 33 && run.stdout.includes('<!-- CSA:MEMORY_WARN ')) return { kind: 'memory-warn' };
  if (run.exitCode === 1) {
    if (run.stderr.includes('(lock held)')) return { kind: 'lock-held' };
    if (run.stderr.includes('has no live daemon process and no terminal result packet')) return { kind: 'dead' };
    const err = /^Error: (.*)$/m.exec(run.stderr);
    if (err) return { kind: 'fatal', message: err[1] as string };
  }
  return { kind: 'unrecognized' };
}

/** The session answer a verdict gives its caller; `running` answers are not terminal. */
export function reported(v: WaitVerdict): ReportedOutcome {
  switch (v.kind) {
    case 'completed':
      return { kind: 'exit', code: v.exit };
    case 'kv-warm':
      return { kind: 'running', message: 'KV-warm: alive at the cap, re-wait' };
    case 'lock-held':
      return { kind: 'running', message: 'refused: another wait holds .wait.lock and will notify' };
    case 'killed':
      return { kind: 'running', message: 'the wait process was killed' };
    case 'timeout':
      return { kind: 'failure', message: `timeout at the cap (exit 124, status=${v.status})` };
    case 'dead':
      return { kind: 'failure', message: 'no live daemon process and no terminal result (exit 1)' };
    case 'memory-warn':
      return { kind: 'failure', message: 'memory warning (exit 33)' };
    case 'fatal':
      return { kind: 'failure', message: `error: ${v.message}` };
    case 'unrecognized':
      return { kind: 'failure', message: 'an exit without a recognizable marker' };
  }
}

export function observe(runs: readonly WaitRun[]): WaitObserved {
  const waits = runs.map((r) => ({ ...r, verdict: classify(r) })).sort((a, b) => a.endedAt - b.endedAt);
  const results: ReportedResult[] = waits.map((w) => ({ t: w.endedAt, outcome: reported(w.verdict) }));
  const stdout: DeliveredChunk[] = [];
  for (const w of waits) {
    if (w.verdict.kind !== 'completed') continue;
    const at = w.stdout.indexOf('<!-- CSA:');
    const copied = at < 0 ? w.stdout : w.stdout.slice(0, at);
    if (copied.length > 0) stdout.push({ t: w.endedAt, data: Buffer.from(copied) });
  }
  return { streams: { stdout }, notices: [], results, waits };
}
