/**
 * What `validate --client` does the same for every real client, whichever target judges it
 * (attach-pump for boxlite and `--client "CMD"`, exec-stream for codex and exec-server consumers):
 * a real case ends in the target's own judgement of the real run, and a report writes one
 * timeline per case with a real violation, linked from its table.
 */
import { join } from 'node:path';
import type { CheckResult, Observed, Truth } from '../../check/index.ts';
import { writeTextAtomic } from '../../host/hostIo.ts';
import { judge, type JudgeOptions } from '../../judge.ts';
import type { AnyTarget } from '../../registry.ts';
import { renderTimelineHtml } from '../../report/html.ts';
import { timelineFileName } from '../../report/htmlReporter.ts';
import type { Scenario } from '../../target.ts';
import type { TraceEvent } from '../../trace.ts';

/** One real case, judged: what every client's case result carries. */
export interface RealCaseResult<W, O> {
  name: string;
  results: Record<string, CheckResult>;
  events: TraceEvent[];
  /** The scenario the checkers judged (faults at real ms since the case started). */
  scenario: Scenario<W>;
  observed: O;
  /** Real ms the case took. */
  wallMs: number;
  /** How the client process ended: `code N`, a signal, or killed at the deadline. */
  exit: string;
}

export interface RealRun<W, O extends Observed> {
  name: string;
  scenario: Scenario<W>;
  events: TraceEvent[];
  observed: O;
  truth: Truth;
  /** How the client process ended (undefined: still running, so we killed it). */
  exit: string | undefined;
  /** Date.now() when the case started. */
  wallStart: number;
}

/** The target's own judgement of a real run, as for a simulated one: its checkers and its liveness property. */
export function judgeRealCase<W, O extends Observed>(target: AnyTarget, run: RealRun<W, O>, opts: JudgeOptions): RealCaseResult<W, O> {
  const checks = judge(target, { scenario: run.scenario, history: run.events, observed: run.observed, truth: run.truth }, opts);
  return {
    name: run.name,
    results: checks.results,
    events: run.events,
    scenario: run.scenario,
    observed: run.observed,
    wallMs: Date.now() - run.wallStart,
    exit: run.exit ?? 'killed at the deadline',
  };
}

export interface TimelineNaming {
  /** The file name's prefix (`client`, `consumer`). */
  prefix: string;
  /** The timeline's title for a case. */
  title(name: string): string;
  /** What the timeline shows as the variant (default: the scenario's). */
  variant?: string;
  /** The command that runs the case again. */
  replay(name: string): string;
  properties: Record<string, string>;
}

/** One timeline per case with a real violation, under `timelines/`; `links` maps a case to its file (relative to dir). */
export function writeViolationTimelines(
  dir: string,
  cases: ReadonlyArray<{ name: string; result: RealCaseResult<unknown, unknown> }>,
  naming: TimelineNaming,
): { timelines: string[]; links: Map<string, string> } {
  const timelines: string[] = [];
  const links = new Map<string, string>();
  for (const c of cases) {
    const bad = Object.entries(c.result.results).filter(([, v]) => v.valid === false);
    if (bad.length === 0) continue;
    const file = join('timelines', timelineFileName(`${naming.prefix}-${c.name}`));
    timelines.push(join(dir, file));
    links.set(c.name, file);
    writeTextAtomic(
      join(dir, file),
      renderTimelineHtml({
        scenario: { ...c.result.scenario, title: naming.title(c.name), ...(naming.variant !== undefined ? { variant: naming.variant } : {}) },
        events: c.result.events,
        results: c.result.results,
        properties: naming.properties,
        traceHash: '(real run: not replayable byte for byte)',
        replayCommand: naming.replay(c.name),
        verdict: `violated: ${bad.map(([p]) => p).join(', ')}`,
      }),
    );
  }
  return { timelines, links };
}

/** HTML text escaping for the reports' tables. */
export const escHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What heads every `validate --client` conformance.json, whichever client. */
export interface ReportHead {
  protocol: string;
  client: unknown;
  model: string;
  timeFactor: number;
  conforms: boolean;
  modelMatches: boolean;
}

export function reportHead(r: ReportHead): ReportHead {
  return { protocol: r.protocol, client: r.client, model: r.model, timeFactor: r.timeFactor, conforms: r.conforms, modelMatches: r.modelMatches };
}
