/**
 * The `attach-pump` target: boxlite's REST exec attach (a Go runner with a replay backlog, a
 * Rust client pump with probe, reconnect budget and #627's drain re-attach) and our byte-cursor
 * answer to #1046. Hosts: `client` (the pump, behind a fault proxy), `runner` (the Go runner) and
 * `box` (where the command runs). See README.md for every rule and its source.
 */
import type { Observed, Truth } from '../../sim/check/index.ts';
import type { World } from '../../sim/index.ts';
import type { RunOutcome, Scenario, Target } from '../../sim/target.ts';
import { runExec } from './client/exec.ts';
import { Runner } from './runner/server.ts';
import { CHECKERS, LIVENESS, PROPERTIES, TERMINATION_BOUND_MS, lingeringCostMs, settledAt } from './target/checkers.ts';
import { FAULT_SPECS, FaultHooks, KERNEL_KINDS, defineFaultKinds, faultArbitrary } from './target/faults.ts';
import { ObservedLog, truthOf } from './target/outcome.ts';
import { AttachProxy } from './target/proxy.ts';
import {
  describeWorkload,
  processScript,
  runnerSizes,
  validateWorkload,
  workloadArbitrary,
  type AttachWorkload,
} from './target/workload.ts';
import type { VariantName } from './variants/index.ts';

export type { AttachWorkload } from './target/workload.ts';

async function run(world: World, scenario: Scenario<AttachWorkload>): Promise<RunOutcome<Observed, Truth>> {
  const w = scenario.workload;
  const hooks = new FaultHooks(world);
  const proxy = new AttachProxy(world);
  const box = world.host('box');
  const runner = new Runner(world.host('runner'), box.proc, {
    sizes: runnerSizes(w),
    commands: (command) => (command === w.command ? processScript(w) : undefined),
    hooks,
  });
  defineFaultKinds(world, runner, hooks, proxy);
  const client = world.host('client');
  const log = new ObservedLog(() => client.clock.now());
  // listen registers at once, so the runner is up before the client's first request
  runner.listen().catch((e: unknown) => world.record('runner', 'runner.listen-failed', { error: String(e) }));
  world.spawn('client', () => runExec({ ...client, net: proxy.wrap(client.net) }, scenario.variant as VariantName, w.command, log));
  world.schedule(scenario.faults);
  const horizon = Math.max(w.exit.atMs, settledAt(scenario)) + TERMINATION_BOUND_MS + lingeringCostMs(scenario) + 60_000;
  const r = await world.run(horizon);
  // A world that stalls or idles without a result would stay silent forever: say so.
  const silentForever = log.results.length === 0 && (r.status === 'stalled' || r.status === 'idle');
  return {
    history: world.trace.events,
    observed: log.observed(),
    truth: truthOf(world, scenario, silentForever ? Number.MAX_SAFE_INTEGER : r.timeMs),
  };
}

export const target: Target<AttachWorkload, Observed, Truth> = {
  name: 'attach-pump',
  summary: "boxlite REST exec attach: the Go runner's replay backlog and the client pump's probe, reconnect budget and drain (seed 003)",
  defaultVariant: 'cursor',
  variants: {
    'pre-627': {
      summary: 'upstream before PR #627: a cut then a Terminal probe emits the probed code and drops the backlog',
      source:
        'G4614/boxlite parent of 5da30b52 (litebox.rs attach_ws_pump); upstream HEAD keeps this Terminal path, with #804 and #852 on top',
      expected: ['no-lost-output', 'no-duplicate-output', 'no-false-success', 'no-false-failure'],
    },
    'fixed-627': {
      summary:
        'PR #627: one immediate drain re-attach on Terminal; replays from the backlog head (duplicates), loses output on a 409 drain',
      source: 'G4614/boxlite 5da30b52 (fork PR #3 = boxlite-ai/boxlite PR #627, closed without merge)',
      expected: ['no-lost-output', 'no-duplicate-output', 'no-false-success', 'no-false-failure'],
    },
    'no-probe': {
      summary: 'a naive client: any disconnect (or a failed first attach) is reported as -1 with the cause',
      source: 'spec scenario 3 (a client that bails on the disconnect)',
      // the runner's silent live-channel drops reach it too, behind a clean exit frame
      expected: ['no-false-failure', 'no-lost-output', 'no-false-success'],
    },
    cursor: {
      summary: 'byte cursors per stream on attach, resume from the cursor, explicit gaps for expired cursors (#1046)',
      source: 'boxlite-ai/boxlite issue #1046 (open): our candidate fix, built on PR #627',
      expected: 'pass',
    },
  },
  properties: PROPERTIES,
  checkers: CHECKERS,
  liveness: LIVENESS,
  workload: { arbitrary: workloadArbitrary, validate: validateWorkload, describe: describeWorkload },
  faults: { kernelKinds: KERNEL_KINDS, specs: FAULT_SPECS, arbitrary: faultArbitrary },
  run,
};
