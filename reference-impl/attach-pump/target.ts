/**
 * The `attach-pump` target: boxlite's REST exec attach (a Go runner with a replay backlog, a
 * Rust client pump with probe, reconnect budget and #627's drain re-attach) and our byte-cursor
 * answer to #1046. Hosts: `client` (the pump, behind a fault proxy), `runner` (the Go runner) and
 * `box` (where the command runs). See README.md for every rule and its source.
 */
import type { Observed, Truth } from '../../sim/check/index.ts';
import type { World } from '../../sim/index.ts';
import { variantInfos } from '../../sim/ports/index.ts';
import type { RunOutcome, Scenario, Target } from '../../sim/target.ts';
import { runExec } from './client/exec.ts';
import type { PumpTimers } from './client/pump.ts';
import { Runner } from './runner/server.ts';
import {
  CHECKERS,
  LIVENESS,
  PROPERTIES,
  type AttachObserved,
  TERMINATION_BOUND_MS,
  lingeringCostMs,
  settledAt,
} from './target/checkers.ts';
import { FAULT_SPECS, FaultHooks, KERNEL_KINDS, defineFaultKinds, faultArbitrary, faultNames } from './target/faults.ts';
import { ObservedLog, truthOf } from './target/outcome.ts';
import { AttachProxy } from './target/proxy.ts';
import {
  ATTACH_LIMITS,
  describeWorkload,
  measureWorkload,
  processScript,
  runnerSizes,
  ATTACH_WORKLOAD,
  workloadRules,
  workloadArbitrary,
  type AttachWorkload,
} from './target/workload.ts';
import { VARIANTS } from './variants/index.ts';

export type { AttachWorkload } from './target/workload.ts';

/**
 * Runs one scenario. Test doubles (issue 12: the oracles must catch them; none in the source):
 * `timers` retune the pump's constants; `rewire` gets the runner before it listens, so a test can
 * swap a layer of it (a runner bug that the client masks).
 */
export async function runAttach(
  world: World,
  scenario: Scenario<AttachWorkload>,
  timers: PumpTimers = {},
  rewire?: (runner: Runner) => void,
): Promise<RunOutcome<AttachObserved, Truth>> {
  const w = scenario.workload;
  const variant = VARIANTS[scenario.variant];
  if (!variant) throw new Error(`attach-pump: unknown variant ${scenario.variant}`);
  const hooks = new FaultHooks(world);
  const proxy = new AttachProxy(world);
  const box = world.host('box');
  const runner = new Runner(world.host('runner'), box.proc, {
    sizes: runnerSizes(w),
    commands: (command) => (command === w.command ? processScript(w) : undefined),
    hooks,
  });
  rewire?.(runner);
  defineFaultKinds(world, runner, hooks, proxy);
  const client = world.host('client');
  const log = new ObservedLog(() => client.clock.now());
  // listen registers at once, so the runner is up before the client's first request
  runner.listen().catch((e: unknown) => world.record('runner', 'runner.listen-failed', { error: String(e) }));
  world.spawn('client', () => runExec({ ...client, net: proxy.wrap(client.net) }, variant.slots, w.command, log, timers));
  world.schedule(scenario.faults);
  const horizon = Math.max(w.exit.atMs, settledAt(scenario)) + TERMINATION_BOUND_MS + lingeringCostMs(scenario) + 60_000;
  const r = await world.run(horizon);
  // A world that stalls or idles without a result would stay silent forever: say so.
  const silentForever = log.results.length === 0 && (r.status === 'stalled' || r.status === 'idle');
  return {
    history: world.trace.events,
    observed: { ...log.observed(), wire: proxy.wire },
    truth: truthOf(world, scenario, silentForever ? Number.MAX_SAFE_INTEGER : r.timeMs, log.results[0]?.t),
  };
}

export const target: Target<AttachWorkload, AttachObserved, Truth> = {
  name: 'attach-pump',
  summary: "boxlite REST exec attach: the Go runner's replay backlog and the client pump's probe, reconnect budget and drain (seed 003)",
  defaultVariant: 'cursor',
  variants: variantInfos(VARIANTS),
  properties: PROPERTIES,
  checkers: CHECKERS,
  liveness: LIVENESS,
  workload: {
    arbitrary: workloadArbitrary,
    schema: ATTACH_WORKLOAD,
    rules: workloadRules,
    describe: describeWorkload,
    limits: ATTACH_LIMITS,
    measure: measureWorkload,
  },
  faults: { kernelKinds: KERNEL_KINDS, specs: FAULT_SPECS, arbitrary: faultArbitrary, names: faultNames },
  run: (world, scenario) => runAttach(world, scenario),
};
