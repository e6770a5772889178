/**
 * `execsim validate` against real executors, repeated: the wall time of every case of the
 * matrix (median and worst over the repetitions), of the whole matrix, and of one whole command
 * (a fresh process: CLI start-up, executor start and stop included), with the flakes: the
 * repetitions of a case whose verdict (the set of properties not holding) differs from the
 * case's most common one. The executor starts once for all repetitions (`--runs`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TIME_FACTOR, validate } from '../../sim/real/validate/validate.ts';
import { median, now } from '../shared.ts';

const BIN = fileURLToPath(new URL('../../sim/cli/bin.js', import.meta.url));

export interface ValidateCaseRow {
  case: string;
  wallMsMedian: number;
  wallMsMax: number;
  flakes: number;
  /** The most common verdict: the properties that did not hold ('' when all held). */
  verdict: string;
  /** Each differing repetition's verdict. */
  differences: string[];
}

export interface ValidateRealResult {
  executor: string;
  timeFactor: number;
  repetitions: number;
  /** Real ms to start and stop the executor (once for every repetition). */
  executorStartMs: number;
  executorStopMs: number;
  /** Per repetition: the sum of its cases' wall times. */
  matrixMsMedian: number;
  matrixMsMax: number;
  /** One whole `execsim validate` process: its wall ms and exit code. */
  command: { wallMs: number; exitCode: number | null; args: string };
  cases: ValidateCaseRow[];
  flakes: number;
  runs: number;
  /** Why it could not run (the executor would not start), if so. */
  error?: string;
}

const verdictOf = (results: Record<string, { valid: boolean | 'unknown' }>): string =>
  Object.entries(results)
    .filter(([, r]) => r.valid !== true)
    .map(([p, r]) => (r.valid === 'unknown' ? `${p}?` : p))
    .join(',');

export async function validateReal(executor: 'reference' | 'codex', repetitions: number): Promise<ValidateRealResult> {
  const version = '0.169.0';
  const timeFactor = DEFAULT_TIME_FACTOR;
  const args = ['validate', '--executor', executor, '--executor-version', version];
  const base: ValidateRealResult = {
    executor,
    timeFactor,
    repetitions,
    executorStartMs: 0,
    executorStopMs: 0,
    matrixMsMedian: 0,
    matrixMsMax: 0,
    command: { wallMs: 0, exitCode: null, args: args.join(' ') },
    cases: [],
    flakes: 0,
    runs: 0,
  };
  // one whole command first (for codex it also fetches the package on first use)
  const dir = mkdtempSync(join(tmpdir(), 'execsim-bench-validate-'));
  try {
    const t0 = now();
    const r = spawnSync(process.execPath, [BIN, ...args, '--report', dir], { encoding: 'utf8', timeout: 600_000 });
    base.command = { wallMs: now() - t0, exitCode: r.status, args: args.join(' ') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let report;
  try {
    report = await validate({ executor, version, runs: repetitions, seed: 1, timeFactor });
  } catch (e) {
    return { ...base, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
  const byCase = new Map<string, Array<{ wallMs: number; verdict: string }>>();
  const perRun = new Map<number, number>();
  const per = report.cases.length / repetitions;
  report.cases.forEach((c, i) => {
    const key = `${c.workload} × ${c.fault}`;
    byCase.set(key, [...(byCase.get(key) ?? []), { wallMs: c.wallMs, verdict: verdictOf(c.results) }]);
    const run = Math.floor(i / per);
    perRun.set(run, (perRun.get(run) ?? 0) + c.wallMs);
  });
  const cases: ValidateCaseRow[] = [];
  for (const [key, runs] of byCase) {
    const counts = new Map<string, number>();
    for (const r of runs) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    const verdict = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const differing = runs.filter((r) => r.verdict !== verdict);
    cases.push({
      case: key,
      wallMsMedian: median(runs.map((r) => r.wallMs)),
      wallMsMax: Math.max(...runs.map((r) => r.wallMs)),
      flakes: differing.length,
      verdict,
      differences: differing.map((r) => r.verdict || 'holds'),
    });
  }
  const matrix = [...perRun.values()];
  return {
    ...base,
    executorStartMs: report.executorMs.start,
    executorStopMs: report.executorMs.stop,
    matrixMsMedian: median(matrix),
    matrixMsMax: Math.max(...matrix),
    cases,
    flakes: cases.reduce((n, c) => n + c.flakes, 0),
    runs: report.cases.length,
  };
}
