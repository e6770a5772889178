/** The reporters of a run, by name (`--reporter summary,junit,html`); all of them by default. */
import { ExecsimError } from '../errors.ts';
import { HtmlReporter } from '../report/htmlReporter.ts';
import { JunitReporter } from '../report/junit.ts';
import { StepSummaryReporter } from '../report/stepSummary.ts';
import { SummaryJsonReporter } from '../report/summaryJson.ts';
import type { Reporter, RunSummary, ScenarioReport } from '../report/types.ts';

const FACTORIES: Record<string, (dir: string) => Reporter> = {
  summary: (dir) => new SummaryJsonReporter(dir),
  junit: (dir) => new JunitReporter(dir),
  html: (dir) => new HtmlReporter(dir),
};

export const REPORTER_NAMES = Object.keys(FACTORIES);

export class Reporters implements Reporter {
  private readonly list: Reporter[];
  constructor(dir: string, names: readonly string[] = REPORTER_NAMES) {
    const unknown = names.filter((n) => !(n in FACTORIES));
    if (unknown.length > 0)
      throw new ExecsimError('EXECSIM_USAGE', `--reporter: unknown ${unknown.join(', ')} (known: ${REPORTER_NAMES.join(', ')})`);
    this.list = names.map((n) => (FACTORIES[n] as (d: string) => Reporter)(dir));
    const step = process.env.GITHUB_STEP_SUMMARY;
    if (step) this.list.push(new StepSummaryReporter(step));
  }
  onStart(info: { command: string; total: number; reportDir: string }): void {
    for (const r of this.list) r.onStart?.(info);
  }
  onScenario(report: ScenarioReport): void {
    // HTML first, so the summary can point at the timeline it wrote
    for (const r of [...this.list].sort((a, b) => Number(b instanceof HtmlReporter) - Number(a instanceof HtmlReporter)))
      r.onScenario?.(report);
  }
  onEnd(summary: RunSummary): void {
    for (const r of this.list) r.onEnd?.(summary);
  }
}
