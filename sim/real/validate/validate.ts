/**
 * `execsim validate`: runs a workload matrix of real commands through a real executor, behind
 * the fault proxy, with a correct client (v1-strict), and judges every run with the same
 * checkers as the simulator plus the wire-level rules. Verdict per property and fault kind:
 * holds, violated (with evidence and a timeline), or not applicable. The executor is started and
 * stopped here, with every child it made, at the end, on an error and on Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ExecsimError } from '../../errors.ts';
import { startExecutor, type RunningExecutor } from './executor.ts';
import { FAULT_CASES, type FaultCase } from './faultCases.ts';
import { runCase, VALIDATION_CLASSES, VALIDATION_PROPERTIES, type CaseResult } from './runCase.ts';
import type { PropertyClass } from '../../target.ts';
import { WORKLOADS, type Workload } from './workloads.ts';

/** Our side's (and the reference executor's) time runs this many times faster than the wall. */
export const DEFAULT_TIME_FACTOR = 20;

export type Cell = 'holds' | 'violated' | 'not applicable' | 'unknown';

export interface ValidateOptions {
  executor: string;
  version: string;
  runs: number;
  seed: number;
  faults?: readonly string[];
  workloads?: readonly string[];
  /** Our side runs this many times faster than the wall (default 1); the reference executor too. */
  timeFactor?: number;
  onCase?(c: CaseResult, index: number, total: number): void;
}

export interface ValidationReport {
  protocol: 'codex-exec-server';
  executor: { preset: string | null; command: string };
  /** How time was dilated: our side's factor, and whether the executor's ran at it too (and why not). */
  time: { factor: number; executor: string };
  /** Real ms to start and to stop the executor. */
  executorMs: { start: number; stop: number };
  seed: number;
  runs: number;
  properties: Record<string, string>;
  /** Each property's class: a violation is a safety or a liveness one. */
  classes: Record<string, PropertyClass>;
  faultKinds: Record<string, string>;
  matrix: Record<string, Record<string, Cell>>;
  /** Why each not-applicable cell is so (property -> fault kind -> reason). */
  notApplicable: Record<string, Record<string, string>>;
  /** The violated properties by class. */
  violatedByClass: Record<PropertyClass, string[]>;
  conforms: boolean;
  cases: CaseResult[];
}

const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

export interface Preset {
  preset: string | null;
  template: string;
  env: Record<string, string>;
  startTimeoutMs: number;
  /** How the executor's own time relates to our side's dilated one (for the report). */
  time: string;
  cleanup(): void;
}

export function presetCommand(executor: string, version: string, timeFactor = 1): Preset {
  if (executor === 'codex') {
    const home = mkdtempSync(join(tmpdir(), 'execsim-codex-home-'));
    return {
      preset: 'codex',
      template: `npx --yes @openai/codex@${version} exec-server --listen ws://127.0.0.1:{port}`,
      env: { CODEX_HOME: home },
      startTimeoutMs: 600_000,
      // its binary is static (musl): libfaketime cannot be preloaded into it
      time:
        timeFactor === 1
          ? 'the wall'
          : `the wall (a static binary: libfaketime cannot dilate it); its timers are ${timeFactor}x longer than ours, and no case waits on them`,
      cleanup: () => rmSync(home, { recursive: true, force: true }),
    };
  }
  if (executor === 'reference') {
    return {
      preset: 'reference',
      template: `"${process.execPath}" "${BIN}" serve --listen ws://127.0.0.1:{port}${timeFactor === 1 ? '' : ` --time-factor ${timeFactor}`}`,
      env: {},
      startTimeoutMs: 30_000,
      time: timeFactor === 1 ? 'the wall' : `dilated as ours (serve --time-factor ${timeFactor})`,
      cleanup: () => undefined,
    };
  }
  return { preset: null, template: executor, env: {}, startTimeoutMs: 60_000, time: 'its own (the command as given)', cleanup: () => undefined };
}

export function plan(opts: Pick<ValidateOptions, 'faults' | 'workloads'>): Array<{ w: Workload; fc: FaultCase }> {
  const unknownFaults = (opts.faults ?? []).filter((f) => !FAULT_CASES.some((c) => c.name === f));
  if (unknownFaults.length)
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `--faults: unknown ${unknownFaults.join(', ')} (known: ${FAULT_CASES.map((c) => c.name).join(', ')})`,
    );
  const unknownWorkloads = (opts.workloads ?? []).filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknownWorkloads.length)
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `--workloads: unknown ${unknownWorkloads.join(', ')} (known: ${WORKLOADS.map((w) => w.name).join(', ')})`,
    );
  const out: Array<{ w: Workload; fc: FaultCase }> = [];
  for (const fc of FAULT_CASES) {
    if (opts.faults && !opts.faults.includes(fc.name)) continue;
    for (const w of WORKLOADS) {
      if (opts.workloads && !opts.workloads.includes(w.name)) continue;
      if (fc.workloads === '*' || fc.workloads.includes(w.name)) out.push({ w, fc });
    }
  }
  return out;
}

/** Not judged on this run: by the harness (`notApplicable`) or by a checker that found nothing to judge. */
const inapplicable = (r: CaseResult['results'][string]): boolean =>
  r.notApplicable !== undefined || (r.valid === true && r.summary.startsWith('not applicable'));

export function cellOf(results: ReadonlyArray<CaseResult['results'][string] | undefined>): Cell {
  const rs = results.filter((r): r is NonNullable<typeof r> => r !== undefined);
  if (rs.length === 0 || rs.every(inapplicable)) return 'not applicable';
  if (rs.some((r) => r.valid === false)) return 'violated';
  if (rs.some((r) => r.valid === 'unknown')) return 'unknown';
  return 'holds';
}

export function matrixOf(cases: readonly CaseResult[]): Record<string, Record<string, Cell>> {
  const matrix: Record<string, Record<string, Cell>> = {};
  const kinds = [...new Set(cases.map((c) => c.fault))];
  for (const p of Object.keys(VALIDATION_PROPERTIES)) {
    matrix[p] = {};
    for (const k of kinds) (matrix[p] as Record<string, Cell>)[k] = cellOf(cases.filter((c) => c.fault === k).map((c) => c.results[p]));
  }
  return matrix;
}

/** The reason of every not-applicable cell: each distinct reason its runs gave, with the workloads that gave it. */
export function reasonsOf(
  cases: readonly CaseResult[],
  matrix: Record<string, Record<string, Cell>>,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [p, row] of Object.entries(matrix)) {
    for (const [k, cell] of Object.entries(row)) {
      if (cell !== 'not applicable') continue;
      const why = new Map<string, string[]>();
      for (const c of cases.filter((x) => x.fault === k)) {
        const r = c.results[p];
        const reason = r === undefined ? 'not judged' : (r.notApplicable ?? r.summary.replace(/^not applicable:?\s*/, ''));
        why.set(reason, [...(why.get(reason) ?? []), c.workload]);
      }
      (out[p] ??= {})[k] = [...why]
        .map(([reason, ws]) => (why.size > 1 ? `${reason} (${[...new Set(ws)].join(', ')})` : reason))
        .join('; ');
    }
  }
  return out;
}

export async function validate(opts: ValidateOptions, onExecutor?: (e: RunningExecutor) => void): Promise<ValidationReport> {
  const todo = plan(opts);
  const factor = opts.timeFactor ?? 1;
  const preset = presetCommand(opts.executor, opts.version, factor);
  let executor: RunningExecutor | undefined;
  const cases: CaseResult[] = [];
  const executorMs = { start: 0, stop: 0 };
  let t = performance.now();
  try {
    executor = await startExecutor(preset.template, { env: preset.env, startTimeoutMs: preset.startTimeoutMs });
    executorMs.start = performance.now() - t;
    onExecutor?.(executor);
    const total = todo.length * opts.runs;
    for (let run = 0; run < opts.runs; run++) {
      for (const { w, fc } of todo) {
        // a crashed executor ends the case at once instead of at its deadline
        const c = await runCase(executor.url, w, fc, opts.seed + run, executor.exit, factor);
        if (fc.name === 'none' && !c.connected) {
          throw new ExecsimError(
            'EXECSIM_EXECUTOR',
            `the executor at ${executor.url} does not speak the codex exec-server protocol.\nits output ends with:\n${executor.stderrTail().trim() || '(nothing)'}`,
          );
        }
        if (executor.exited()) {
          throw new ExecsimError(
            'EXECSIM_EXECUTOR',
            `the executor exited during the run (after ${cases.length + 1} cases).\nits output ends with:\n${executor.stderrTail().trim() || '(nothing)'}`,
          );
        }
        cases.push(c);
        opts.onCase?.(c, cases.length, total);
      }
    }
  } finally {
    t = performance.now();
    await executor?.stop();
    executorMs.stop = performance.now() - t;
    preset.cleanup();
  }
  const matrix = matrixOf(cases);
  const violatedByClass: Record<PropertyClass, string[]> = { safety: [], liveness: [] };
  for (const [p, row] of Object.entries(matrix))
    if (Object.values(row).includes('violated')) violatedByClass[VALIDATION_CLASSES[p] ?? 'safety'].push(p);
  const faultKinds: Record<string, string> = {};
  for (const fc of FAULT_CASES) if (cases.some((c) => c.fault === fc.name)) faultKinds[fc.name] = fc.summary;
  return {
    protocol: 'codex-exec-server',
    executor: { preset: preset.preset, command: executor?.command ?? preset.template },
    time: { factor, executor: preset.time },
    executorMs: { start: Math.round(executorMs.start), stop: Math.round(executorMs.stop) },
    seed: opts.seed,
    runs: opts.runs,
    properties: VALIDATION_PROPERTIES,
    classes: VALIDATION_CLASSES,
    faultKinds,
    matrix,
    notApplicable: reasonsOf(cases, matrix),
    violatedByClass,
    conforms: Object.values(matrix).every((row) => Object.values(row).every((c) => c !== 'violated')),
    cases,
  };
}
