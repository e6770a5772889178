/** What reporters are told as a run goes. */
import type { CheckResult } from '../check/result.ts';
import type { PropertyClass, Scenario } from '../target.ts';
import type { TraceEvent } from '../trace.ts';

export interface ScenarioReport {
  /** The scenario file, or where a found scenario was saved. */
  file?: string;
  /** A stable short name for reports and JUnit (file name or target-variant-seed). */
  name: string;
  scenario: Scenario;
  /** Did the run meet the scenario's expectation? */
  ok: boolean;
  why: string;
  violated: string[];
  results: Record<string, CheckResult>;
  properties: Record<string, string>;
  /** Each property's class: a violation is a safety or a liveness one. */
  classes: Record<string, PropertyClass>;
  traceHash: string;
  events: readonly TraceEvent[];
  virtualMs: number;
  wallMs: number;
  replayCommand: string;
  /** Set by the HTML reporter when it wrote a timeline. */
  timeline?: string;
}

export interface RunSummary {
  command: string;
  total: number;
  ok: number;
  failed: number;
  wallMs: number;
  /** Scenarios refused after their run (a fault took no effect): the command exits 2. */
  refused?: string[];
  /** Set by `explore`: what was searched, so a clean exploration leaves a report too. */
  exploration?: ExplorationSummary;
}

export interface ExplorationSummary {
  target: string;
  variant: string;
  mode: string;
  seed: number;
  commit?: string;
  shard?: string;
  runs: number;
  runsExecuted: number;
  batches: number;
  faultKinds: string[];
  /** The --budget ran out before every run. */
  interrupted: boolean;
  violation: { file: string; violated: string[]; foundAtRun: number } | null;
  runsPerSec: number;
}

export interface Reporter {
  onStart?(info: { command: string; total: number; reportDir: string }): void;
  onScenario?(report: ScenarioReport): void;
  onEnd?(summary: RunSummary): void;
}
