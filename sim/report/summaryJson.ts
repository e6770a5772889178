/**
 * reports/summary.json, rewritten (atomically) after every scenario so an interrupted run still
 * leaves it. Everything but `timing` is a function of the scenarios: same input, same file.
 */
import { writeTextAtomic } from '../real/hostIo.ts';
import type { Reporter, RunSummary, ScenarioReport } from './types.ts';
import { join } from 'node:path';

export class SummaryJsonReporter implements Reporter {
  private readonly rows: Array<Record<string, unknown>> = [];
  private command = '';
  private wallMs = 0;
  constructor(private readonly dir: string) {}

  onStart(info: { command: string }): void {
    this.command = info.command;
    this.write(false);
  }

  onScenario(r: ScenarioReport): void {
    this.wallMs += r.wallMs;
    this.rows.push({
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
    });
    this.write(false);
  }

  onEnd(s: RunSummary): void {
    this.wallMs = s.wallMs;
    this.write(true);
  }

  private write(done: boolean): void {
    const ok = this.rows.filter((r) => r.ok).length;
    const summary = {
      command: this.command,
      complete: done,
      total: this.rows.length,
      ok,
      failed: this.rows.length - ok,
      scenarios: this.rows,
      timing: { wallMs: Math.round(this.wallMs) },
    };
    writeTextAtomic(join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }
}
