/**
 * reports/summary.json, rewritten (atomically) after every scenario so an interrupted run still
 * leaves it. Everything but the `timing` objects is a function of the scenarios: same input,
 * same file.
 */
import { writeTextAtomic } from '../host/hostIo.ts';
import { join } from 'node:path';
import type { Validity } from '../check/result.ts';
import type { PropertyClass, Scenario } from '../target.ts';
import type { ExplorationSummary, Reporter, RunSummary, ScenarioReport } from './types.ts';

/** One scenario in summary.json (also what merge-reports and JUnit are built from). */
export interface SummaryRow {
  name: string;
  file: string | null;
  title: string | null;
  source: string | null;
  target: string;
  variant: string;
  seed: number;
  mode: string;
  expect: Scenario['expect'];
  ok: boolean;
  why: string;
  violated: string[];
  /** The violated properties by class: a safety violation (something bad happened) or a liveness one (no answer in time). */
  violatedByClass: Record<PropertyClass, string[]>;
  /** Why a failing scenario failed: a safety or liveness violation it did not expect, or an expected violation that did not happen. */
  failedAs: FailureClass | null;
  properties: Record<string, PropertyRow>;
  traceHash: string;
  virtualMs: number;
  timeline: string | null;
  replay: string;
  timing: { wallMs: number };
}

export type FailureClass = PropertyClass | 'expectation';

export interface PropertyRow {
  valid: Validity;
  summary: string;
  class: PropertyClass;
  /** Set when the run did not judge the property: why. */
  notApplicable?: string;
}

/**
 * A failing scenario's class: an expected violation that did not happen, else the class of what
 * it violated (an unexpected safety violation outranks a liveness one).
 */
export function failureClassOf(ok: boolean, expect: Scenario['expect'], byClass: Record<PropertyClass, string[]>): FailureClass | null {
  if (ok) return null;
  const violated = [...byClass.safety, ...byClass.liveness];
  if (expect !== 'pass' && expect.violates.some((p) => !violated.includes(p))) return 'expectation';
  if (byClass.safety.length > 0) return 'safety';
  return byClass.liveness.length > 0 ? 'liveness' : 'expectation';
}

export function rowOf(r: ScenarioReport): SummaryRow {
  const violatedByClass: Record<PropertyClass, string[]> = { safety: [], liveness: [] };
  for (const p of r.violated) violatedByClass[r.classes[p] ?? 'safety'].push(p);
  return {
    name: r.name,
    file: r.file ?? null,
    title: r.scenario.title ?? null,
    source: r.scenario.source ?? null,
    target: r.scenario.target,
    variant: r.scenario.variant,
    seed: r.scenario.seed,
    mode: r.scenario.mode,
    expect: r.scenario.expect,
    ok: r.ok,
    why: r.why,
    violated: r.violated,
    violatedByClass,
    failedAs: failureClassOf(r.ok, r.scenario.expect, violatedByClass),
    properties: Object.fromEntries(
      Object.entries(r.results).map(([k, v]): [string, PropertyRow] => [
        k,
        {
          valid: v.valid,
          summary: v.summary,
          class: r.classes[k] ?? 'safety',
          ...(v.notApplicable !== undefined ? { notApplicable: v.notApplicable } : {}),
        },
      ]),
    ),
    traceHash: r.traceHash,
    virtualMs: r.virtualMs,
    timeline: r.timeline ?? null,
    replay: r.replayCommand,
    timing: { wallMs: Math.round(r.wallMs) },
  };
}

export interface Summary {
  command: string;
  complete: boolean;
  total: number;
  ok: number;
  failed: number;
  /** The failed scenarios by class (see SummaryRow.failedAs). */
  failedAs: Record<FailureClass, number>;
  scenarios: SummaryRow[];
  exploration?: ExplorationSummary;
  status?: 'bad-input';
  refused?: string[];
  timing: { wallMs: number };
}

export function summaryOf(command: string, rows: SummaryRow[], complete: boolean, wallMs: number): Summary {
  const ok = rows.filter((r) => r.ok).length;
  const failedAs: Record<FailureClass, number> = { safety: 0, liveness: 0, expectation: 0 };
  for (const r of rows) if (r.failedAs) failedAs[r.failedAs]++;
  return {
    command,
    complete,
    total: rows.length,
    ok,
    failed: rows.length - ok,
    failedAs,
    scenarios: rows,
    timing: { wallMs: Math.round(wallMs) },
  };
}

export class SummaryJsonReporter implements Reporter {
  private readonly rows: SummaryRow[] = [];
  private command = '';
  private wallMs = 0;
  private exploration: ExplorationSummary | undefined;
  private refused: string[] | undefined;
  constructor(private readonly dir: string) {}

  onStart(info: { command: string }): void {
    this.command = info.command;
    this.write(false);
  }

  onScenario(r: ScenarioReport): void {
    this.wallMs += r.wallMs;
    this.rows.push(rowOf(r));
    this.write(false);
  }

  onEnd(s: RunSummary): void {
    this.wallMs = s.wallMs;
    this.exploration = s.exploration;
    this.refused = s.refused;
    this.write(true);
  }

  private write(done: boolean): void {
    const summary: Summary = summaryOf(this.command, this.rows, done, this.wallMs);
    if (this.exploration) summary.exploration = this.exploration;
    if (this.refused) Object.assign(summary, { status: 'bad-input', refused: this.refused });
    writeTextAtomic(join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }
}
