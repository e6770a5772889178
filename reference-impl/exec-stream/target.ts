/**
 * The `exec-stream` target: codex exec-server's process protocol, event log and unified-exec
 * completion (issue 4; spec /shared/specs/codex-exec-server.md). One command runs on the
 * `exec-server` host, the consumer and client library on `client`; the variant picks the
 * consumer. Faults: the kinds in target/faultKinds.ts plus kernel `lag`.
 */
import { noDuplicateOutput, noFalseFailure, noLostOutput, orderedOutput, singleResult } from '../../sim/check/index.ts';
import { variantInfos } from '../../sim/ports/index.ts';
import type { RunOutcome, Scenario, Target } from '../../sim/target.ts';
import type { TraceEvent } from '../../sim/trace.ts';
import type { World } from '../../sim/world.ts';
import { DEFAULT_CLIENT_OPTIONS, ExecClient } from './client/execClient.ts';
import { ConsumerKnobs } from './consumer/report.ts';
import { runCommand } from './consumer/runCommand.ts';
import type { StartParams } from './protocol/wire.ts';
import { ExecServer } from './server/execServer.ts';
import { defaultKnobs } from './server/knobs.ts';
import { scriptedLauncher } from './server/launcher.ts';
import { ServerLedger } from './server/ledger.ts';
import { listenExecServer } from './server/wsServer.ts';
import {
  authoritativeCompletion,
  deadlineMs,
  failedIsTerminal,
  settledAtMs,
  TERMINATES_BOUND_MS,
  truthfulExitExec,
} from './target/checkers.ts';
import { RecordingReport, observedOf, truthOf } from './target/collect.ts';
import { EXEC_FAULT_SPECS, KERNEL_KINDS, checkFaults, execFaultKinds, faultArbitrary, faultNames } from './target/faultKinds.ts';
import type { ExecCheckInput, ExecObserved, ExecTruth } from './target/history.ts';
import { scriptedProcess } from './target/processSource.ts';
import { nextSeqRule, seqDiscipline, wireFramesOf, type Frame } from './target/wireCheckers.ts';
import { recordWire } from './target/wireTap.ts';
import {
  describeWorkload,
  EXEC_LIMITS,
  EXEC_WORKLOAD,
  measureWorkload,
  workloadArbitrary,
  workloadArbitraryWith,
  workloadRules,
  type ExecWorkload,
} from './target/workload.ts';
import { VARIANTS } from './variants/index.ts';

export const SERVER_HOST = 'exec-server';
export const CLIENT_HOST = 'client';
export const SERVER_PORT = 4000;
export const PROCESS_ID = 'p1';

export const target: Target<ExecWorkload, ExecObserved, ExecTruth> = {
  name: 'exec-stream',
  summary: "codex exec-server: a process's output, exit and close over a JSON-RPC WebSocket, an event log, and unified exec's completion",
  defaultVariant: 'v1-stricter',
  variants: variantInfos(VARIANTS),
  properties: [
    {
      name: 'no-lost-output',
      summary: 'I1: every byte the process wrote reaches the caller in seq order, unless a gap or failure was reported',
    },
    { name: 'no-duplicate-output', summary: 'I2: each seq is delivered at most once' },
    { name: 'ordered-output', summary: 'I3: delivered output follows seq order' },
    {
      name: 'authoritative-completion',
      summary: "I4: success only after Closed, every lower seq applied, the server's exit code and denial state",
    },
    {
      name: 'terminates',
      summary: 'I5: a result by the later of close and the last fault, plus the 25 s recovery window and 10 s',
      liveness: true,
    },
    { name: 'no-false-failure', summary: 'I6: a failure only for an unrecoverable run (or a process that really failed)' },
    { name: 'failed-is-terminal', summary: 'I7: no failure after completion, nothing after a failure' },
    { name: 'single-result', summary: 'at most one terminal result' },
    { name: 'truthful-exit', summary: 'a reported exit status (without an error) is the real one: code, signal, denial' },
    // the executor's own numbering, judged on the frames: a real run keeps them whole, a simulated one in its history
    { name: 'seq-discipline', summary: 'a seq names one event; Exited before Closed; Closed is the largest seq', needs: ['wire'] },
    { name: 'next-seq', summary: 'process/read nextSeq follows the rules (with and without maxBytes)', needs: ['wire'] },
  ],
  checkers: {
    'no-lost-output': noLostOutput,
    'no-duplicate-output': noDuplicateOutput,
    'ordered-output': orderedOutput,
    'authoritative-completion': authoritativeCompletion,
    'no-false-failure': noFalseFailure,
    'failed-is-terminal': failedIsTerminal,
    'single-result': singleResult,
    'truthful-exit': truthfulExitExec,
    'seq-discipline': (i) => seqDiscipline(PROCESS_ID)({ frames: framesOf(i) }),
    'next-seq': (i) => nextSeqRule(PROCESS_ID)({ frames: framesOf(i) }),
  },
  // I5: a terminal result once the process closed and the faults settled, within the recovery window and the call
  liveness: {
    property: 'terminates',
    pending: 'terminal result',
    boundMs: TERMINATES_BOUND_MS,
    settledAt: (i: ExecCheckInput) => settledAtMs(i.scenario),
  },
  workload: {
    arbitrary: workloadArbitrary,
    boundaryArbitrary: workloadArbitraryWith({ sizes: true }),
    schema: EXEC_WORKLOAD,
    rules: workloadRules,
    describe: describeWorkload,
    limits: EXEC_LIMITS,
    measure: measureWorkload,
  },
  faults: { kernelKinds: KERNEL_KINDS, specs: EXEC_FAULT_SPECS, arbitrary: faultArbitrary, names: faultNames, check: checkFaults },
  run: (world, scenario) => runExecStream(world, scenario),
};

// the wire record of the last history read: both wire checkers judge it, one after the other
let recordOf: readonly TraceEvent[] | undefined;
let recordLength = 0;
let record: readonly Frame[] = [];

/** The frames a run recorded: a real run's whole frames, else the wire record in the history. */
function framesOf(i: ExecCheckInput): readonly Frame[] {
  if (i.observed.frames) return i.observed.frames;
  if (i.history !== recordOf || i.history.length !== recordLength) {
    record = wireFramesOf(i.history, CLIENT_HOST);
    recordOf = i.history;
    recordLength = i.history.length;
  }
  return record;
}

/** Timers a test double may retune (tests of the oracle: a wrong timer must be caught, issue 12). */
export interface ExecTuning {
  /** The server's DETACHED_SESSION_TTL (default 30 s). */
  detachedTtlMs?: number;
  /** The client's recovery window (default: the variant's, policy.ts). */
  recoveryWindowMs?: number;
}

/**
 * Runs one scenario. Test doubles (issue 12: the oracles must catch them; none in the source):
 * `tuning` retunes timers; `rewire` gets the server before it listens, so a test can swap a layer
 * of it (a server bug that the client masks).
 */
export async function runExecStream(
  world: World,
  scenario: Scenario<ExecWorkload>,
  tuning: ExecTuning = {},
  rewire?: (server: ExecServer) => void,
): Promise<RunOutcome<ExecObserved, ExecTruth>> {
  const w = scenario.workload;
  const variant = VARIANTS[scenario.variant];
  if (!variant) throw new Error(`exec-stream: unknown variant ${scenario.variant}`);
  const policy = variant.slots;
  const serverPorts = world.host(SERVER_HOST);
  const hostPorts = world.host(CLIENT_HOST);
  // the client's frames go through the wire record (the `wire` the wire checkers judge)
  const clientPorts = { ...hostPorts, net: recordWire(hostPorts.net, hostPorts.log) };
  const ledger = new ServerLedger();
  const knobs = { ...defaultKnobs(), pipeJitterMsMax: w.pipeJitterMsMax, sendJitterMsMax: w.sendJitterMsMax };
  const server = new ExecServer(serverPorts, {
    launcher: scriptedLauncher(serverPorts.proc, () => scriptedProcess(w)),
    knobs,
    ledger,
    ...(tuning.detachedTtlMs !== undefined ? { detachedTtlMs: tuning.detachedTtlMs } : {}),
  });
  rewire?.(server);
  const consumer = new ConsumerKnobs();
  for (const kind of execFaultKinds({ server, consumer, schedule: (f) => world.schedule(f), applying: () => world.faults.applying() }))
    world.faults.define(kind);
  world.faults.onHeal(() => {
    consumer.heal();
    knobs.holds.clear();
    knobs.readErrors.length = 0;
  });

  const report = new RecordingReport(clientPorts.clock, clientPorts.log);
  const deadline = deadlineMs(scenario);
  // Keeps the world running to the deadline while the consumer has no result, so a hang is seen as one.
  const watchdog = clientPorts.clock.setTimeout(() => clientPorts.log('consumer.deadline'), deadline, 'watchdog');
  // named first: V8 allocates a closure assigned straight to a property in old space, and it would keep
  // this run (its context) alive through every minor GC, until a major one
  const onResult = (): void => clientPorts.clock.clearTimeout(watchdog);
  report.onResult = onResult;

  world.spawn(SERVER_HOST, () => listenExecServer(serverPorts.net, SERVER_PORT, server).then(() => undefined), { daemon: true });
  world.spawn(CLIENT_HOST, async () => {
    let client: ExecClient;
    try {
      client = await ExecClient.connect(clientPorts, {
        ...DEFAULT_CLIENT_OPTIONS,
        recoveryWindowMs: tuning.recoveryWindowMs !== undefined ? tuning.recoveryWindowMs : policy.recoveryWindowMs,
        url: `ws://${SERVER_HOST}:${SERVER_PORT}`,
        session: {
          ...DEFAULT_CLIENT_OPTIONS.session,
          ordering: policy.ordering,
          pendingEventsMax: w.eventCapacity,
          eventCapacity: w.eventCapacity,
          eventBytes: w.eventBytes,
        },
      });
    } catch (e) {
      return report.result({ kind: 'failure', message: `connect failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    const params: StartParams = {
      processId: PROCESS_ID,
      argv: ['sh', '-c', 'execsim-workload'],
      cwd: 'file:///tmp',
      env: {},
      tty: false,
      pipeStdin: false,
      arg0: null,
    };
    await runCommand(clientPorts, client, params, policy, consumer, report);
  });
  world.schedule(scenario.faults);
  const r = await world.run(deadline + 5_000);

  const resultAt = report.results[0]?.t;
  const truth = truthOf({
    world,
    ledger,
    processId: PROCESS_ID,
    faults: scenario.faults,
    eventCapacity: w.eventCapacity,
    resultAt,
    runEndedAt: r.timeMs,
    serverHost: SERVER_HOST,
    ...(scenario.mode === 'liveness' && scenario.healAtMs !== undefined ? { healedAt: scenario.healAtMs } : {}),
  });
  return { history: world.trace.events, observed: observedOf(report, ledger, PROCESS_ID), truth, records: ['wire'] };
}
