/**
 * reports/summary.json, rewritten (atomically) after every scenario so an interrupted run still
 * leaves it. Everything but the `timing` objects is a function of the scenarios: same input,
 * same file.
 */
import { writeTextAtomic } from '../host/hostIo.ts';
import { join } from 'node:path';
import type { Validity } from '../check/result.ts';
import type { Scenario } from '../target.ts';
import type { Reporter, RunSummary, ScenarioReport } from './types.ts';

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
  properties: Record<string, { valid: Validity; summary: string }>;
  traceHash: string;
  virtualMs: number;
  timeline: string | null;
  replay: string;
  timing: { wallMs: number };
}

export function rowOf(r: ScenarioReport): SummaryRow {
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
    properties: Object.fromEntries(Object.entries(r.results).map(([k, v]) => [k, { valid: v.valid, summary: v.summary }])),
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
  scenarios: SummaryRow[];
  timing: { wallMs: number };
}

export function summaryOf(command: string, rows: SummaryRow[], complete: boolean, wallMs: number): Summary {
  const ok = rows.filter((r) => r.ok).length;
  return { command, complete, total: rows.length, ok, failed: rows.length - ok, scenarios: rows, timing: { wallMs: Math.round(wallMs) } };
}

export class SummaryJsonReporter implements Reporter {
  private readonly rows: SummaryRow[] = [];
  private command = '';
  private wallMs = 0;
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
    this.write(true);
  }

  private write(done: boolean): void {
    writeTextAtomic(join(this.dir, 'summary.json'), JSON.stringify(summaryOf(this.command, this.rows, done, this.wallMs), null, 2) + '\n');
  }
}
