/** When GITHUB_STEP_SUMMARY is set (GitHub Actions), appends a markdown summary of the run. */
import { appendText } from '../host/hostIo.ts';
import type { Reporter, RunSummary, ScenarioReport } from './types.ts';

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export class StepSummaryReporter implements Reporter {
  private readonly rows: ScenarioReport[] = [];
  constructor(private readonly path: string) {}
  onScenario(r: ScenarioReport): void {
    this.rows.push(r);
  }
  onEnd(s: RunSummary): void {
    const lines = [
      `### execsim: ${s.failed === 0 ? '✅' : '❌'} ${s.ok}/${s.total} as expected`,
      '',
      `\`${md(s.command)}\``,
      '',
      '| scenario | target:variant | expected | result |',
      '|---|---|---|---|',
      ...this.rows.map(
        (r) =>
          `| ${md(r.scenario.title ?? r.name)} | ${md(`${r.scenario.target}:${r.scenario.variant}`)} | ${r.scenario.expect === 'pass' ? 'pass' : md(r.scenario.expect.violates.join(', '))} | ${r.ok ? '✅' : '❌'} ${md(r.why)} |`,
      ),
      '',
    ];
    const failed = this.rows.filter((r) => !r.ok);
    if (failed.length > 0) lines.push('Replay a failure:', '', ...failed.slice(0, 10).map((r) => `    ${r.replayCommand}`), '');
    appendText(this.path, lines.join('\n') + '\n');
  }
}
