/** Writes a timeline.html for every scenario that did not meet its expectation, as it happens. */
import { join } from 'node:path';
import { writeTextAtomic } from '../host/hostIo.ts';
import { renderTimelineHtml } from './html.ts';
import type { Reporter, ScenarioReport } from './types.ts';

export function timelineFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.timeline.html`;
}

export function writeTimeline(path: string, r: ScenarioReport): void {
  writeTextAtomic(
    path,
    renderTimelineHtml({
      scenario: r.scenario,
      events: r.events,
      results: r.results,
      properties: r.properties,
      classes: r.classes,
      traceHash: r.traceHash,
      replayCommand: r.replayCommand,
      verdict: r.why,
    }),
  );
}

export class HtmlReporter implements Reporter {
  constructor(
    private readonly dir: string,
    /** Also write timelines for scenarios that met their expectation. */
    private readonly all = false,
  ) {}
  onScenario(r: ScenarioReport): void {
    if (r.ok && !this.all) return;
    const path = join(this.dir, 'timelines', timelineFileName(r.name));
    writeTimeline(path, r);
    r.timeline = path;
  }
}
