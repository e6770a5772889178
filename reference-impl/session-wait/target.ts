/**
 * The `session-wait` target: `csa session wait` (RyderFreeman4Logos/cli-sub-agent) against a
 * simulated session daemon, in four variants that share everything but the field bug or fix
 * they model. See README.md for every rule and its source.
 */
import { variantInfos } from '../../sim/ports/index.ts';
import type { Target } from '../../sim/target.ts';
import { CHECKERS, LIFE_AFTER_DEATH_MS, LIVENESS, TERMINATES_BOUND_MS } from './target/checkers.ts';
import { FAULT_SPECS, faultArbitrary, faultNames, KERNEL_KINDS } from './target/faults.ts';
import type { WaitObserved } from './target/observe.ts';
import { runSessionWait } from './target/run.ts';
import type { SessionTruth } from './target/truth.ts';
import { measureWorkload, SESSION_WAIT_LIMITS, SESSION_WAIT_WORKLOAD, workloadRules } from './target/workloadSchema.ts';
import { describeWorkload, workloadArbitrary, type SessionWaitWorkload } from './target/workload.ts';
import { VARIANTS } from './variants/index.ts';

const s = (ms: number) => `${ms / 1000} s`;

export const target: Target<SessionWaitWorkload, WaitObserved, SessionTruth> = {
  name: 'session-wait',
  summary: 'csa session wait: polls a daemon session dir until result, death or cap (cli-sub-agent, #1445 and its parents)',
  defaultVariant: 'fixed',
  variants: variantInfos(VARIANTS),
  properties: [
    {
      name: 'no-false-failure',
      summary: 'a session whose final result is success never makes a wait exit 1 or 124 (whatever the packet, mtimes or granularity)',
    },
    {
      name: 'no-false-success',
      summary: 'COMPLETED exit=0 only for a successful final result, and no completion before the final result exists',
    },
    {
      name: 'truthful-cap-exit',
      summary: `124 only with no session process alive and no result; KV-warm exit 0 only with no COMPLETED marker, and only within ${s(LIFE_AFTER_DEATH_MS)} of a live session process`,
    },
    {
      name: 'terminates',
      summary: `some caller gets a terminal answer within ${s(TERMINATES_BOUND_MS)} (plus its re-wait think time) of the later of the session's end, its first wait and the heal: a reused pid never keeps it waiting`,
      liveness: true,
    },
    { name: 'no-lost-output', summary: 'a completion streams every stdout.log byte the daemon wrote before it' },
  ],
  checkers: CHECKERS,
  liveness: LIVENESS,
  workload: {
    arbitrary: workloadArbitrary,
    schema: SESSION_WAIT_WORKLOAD,
    rules: workloadRules,
    describe: describeWorkload,
    limits: SESSION_WAIT_LIMITS,
    measure: measureWorkload,
  },
  faults: { kernelKinds: KERNEL_KINDS, specs: FAULT_SPECS, arbitrary: faultArbitrary, names: faultNames },
  // A real pid space: pids do not wrap within a run, so only the pid-reuse fault reuses one.
  worldOptions: () => ({ proc: { pidMin: 300, pidMax: 32_767 } }),
  run: runSessionWait,
};
