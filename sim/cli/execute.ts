/** Runs one loaded scenario and turns it into a report entry. */
import { basename } from 'node:path';
import { wallMs } from '../host/hostIo.ts';
import type { ScenarioReport } from '../report/types.ts';
import type { AnyTarget } from '../registry.ts';
import { meetsExpectation, runScenario } from '../runner.ts';
import type { Scenario } from '../target.ts';
import { violationsOf } from '../explore/explore.ts';

export async function executeScenario(
  target: AnyTarget,
  scenario: Scenario,
  meta: { file?: string; name?: string; replayCommand: string },
): Promise<ScenarioReport> {
  const t0 = wallMs();
  const run = await runScenario(target, scenario);
  const wall = wallMs() - t0;
  const violated = violationsOf(run);
  const results = { ...run.checks.results };
  if (run.world.errors.length > 0) {
    results['no-crash'] = {
      valid: false,
      summary: run.world.errors.map((e) => `${e.actor} threw at t=${(e.t / 1000).toFixed(3)}s: ${e.message}`).join('; '),
      evidence: run.world.errors.map((e) => ({ t: e.t, note: e.message })),
    };
  }
  const verdict = meetsExpectation(scenario, { violated, checks: run.checks });
  const properties: Record<string, string> = {
    'no-crash': 'no actor of the world throws (a crash in the implementation or the target glue)',
  };
  for (const p of target.properties) properties[p.name] = p.summary;
  return {
    ...(meta.file !== undefined ? { file: meta.file } : {}),
    name: meta.name ?? (meta.file ? basename(meta.file, '.json') : `${scenario.target}-${scenario.variant}-seed${scenario.seed}`),
    scenario,
    ok: verdict.ok,
    why: verdict.why,
    violated,
    results,
    properties,
    traceHash: run.traceHash,
    events: run.world.trace.events,
    virtualMs: run.world.now(),
    wallMs: wall,
    replayCommand: meta.replayCommand,
  };
}
