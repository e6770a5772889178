/** Runs one loaded scenario and turns it into a report entry. */
import { basename } from 'node:path';
import { ExecsimError } from '../errors.ts';
import { wallMs } from '../host/hostIo.ts';
import { ScenarioProgress } from '../host/progress.ts';
import type { ScenarioReport } from '../report/types.ts';
import type { AnyTarget } from '../registry.ts';
import { meetsExpectation, runScenario, simulatedWorld } from '../runner.ts';
import type { PropertyClass, Scenario } from '../target.ts';
import { classOf, reportedProperties } from '../judge.ts';

export async function executeScenario(
  target: AnyTarget,
  scenario: Scenario,
  meta: { file?: string; name?: string; replayCommand: string },
): Promise<ScenarioReport> {
  const t0 = wallMs();
  // a long single run says how far it has got (virtual time, events/s) every few seconds
  const progress = new ScenarioProgress(meta.file ?? meta.name ?? `${scenario.target}:${scenario.variant}`);
  const run = await runScenario(target, scenario, simulatedWorld, { onProgress: (p) => progress.tick(p) });
  progress.end();
  // a fault that hit nothing makes the scenario test less than it says: refuse it, never pass it
  if (run.noEffect.length > 0) {
    const where = meta.file ?? meta.name ?? 'scenario';
    throw new ExecsimError('EXECSIM_FAULT_NO_EFFECT', `${where}: a fault took no effect:\n  - ${run.noEffect.join('\n  - ')}`, run.noEffect);
  }
  const wall = wallMs() - t0;
  const { violated } = run;
  const verdict = meetsExpectation(scenario, run);
  const properties: Record<string, string> = {};
  const classes: Record<string, PropertyClass> = {};
  for (const p of reportedProperties(target)) {
    properties[p.name] = p.summary;
    classes[p.name] = classOf(target, p.name);
  }
  return {
    ...(meta.file !== undefined ? { file: meta.file } : {}),
    name: meta.name ?? (meta.file ? basename(meta.file, '.json') : `${scenario.target}-${scenario.variant}-seed${scenario.seed}`),
    scenario,
    ok: verdict.ok,
    why: verdict.why,
    violated,
    results: run.checks.results,
    properties,
    classes,
    traceHash: run.traceHash,
    events: run.world.trace.events,
    virtualMs: run.world.now(),
    wallMs: wall,
    replayCommand: meta.replayCommand,
  };
}
