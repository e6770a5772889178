/**
 * One validation run: a fresh client session (v1-strict, the correct consumer) through the fault
 * proxy to the executor, one workload command, the case's faults; then probe reads for the
 * nextSeq rules, and every check on the real timeline. Every wait is bounded.
 */
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ExecClient, DEFAULT_CLIENT_OPTIONS } from '../../../reference-impl/exec-server/client/execClient.ts';
import { pushedConsumer } from '../../../reference-impl/exec-server/consumer/pushed.ts';
import { ConsumerKnobs } from '../../../reference-impl/exec-server/consumer/report.ts';
import { VARIANTS } from '../../../reference-impl/exec-server/consumer/variants.ts';
import { METHOD, toBase64, type StartParams } from '../../../reference-impl/exec-server/protocol/wire.ts';
import { RecordingReport } from '../../../reference-impl/exec-server/target/collect.ts';
import { nextSeqRule, seqDiscipline } from '../../../reference-impl/exec-server/target/wireCheckers.ts';
import {
  compose,
  noDuplicateOutput,
  noFalseFailure,
  noLostOutput,
  orderedOutput,
  singleResult,
  terminates,
  truthfulExit,
  type CheckResult,
  type DeliveredChunk,
  type Observed,
  type Truth,
} from '../../check/index.ts';
import type { TraceEvent } from '../../trace.ts';
import { RealClock } from '../clock.ts';
import { FaultProxy } from '../faultProxy.ts';
import { realPorts, RealTimeline } from '../ports.ts';
import type { FaultCase } from './faultCases.ts';
import { RecordingNet, Wire, type WireFrame } from './wire.ts';
import { truthOutcome, type Workload } from './workloads.ts';

/** The properties a validation judges, in report order. */
export const VALIDATION_PROPERTIES: Record<string, string> = {
  'no-lost-output': 'every byte the command wrote reaches the client, or the client is told',
  'no-duplicate-output': 'no byte is delivered twice (writeId retries included)',
  'ordered-output': 'each stream arrives in the order it was written, nothing invented',
  'truthful-exit': 'the exit status is the real one (a signal is not exit 0)',
  'no-false-failure': 'no failure when the faults stayed within what the protocol survives',
  'single-result': 'one terminal result per call',
  terminates: 'a result within the fault, the 25 s recovery window and 10 s',
  'seq-discipline': 'a seq names one event; Exited before Closed; Closed is the largest seq',
  'next-seq': 'process/read nextSeq follows the rules (with and without maxBytes)',
};

export interface CaseResult {
  workload: string;
  fault: string;
  recoverable: boolean;
  results: Record<string, CheckResult>;
  events: TraceEvent[];
  faults: Array<Record<string, unknown>>;
  /** The client completed the handshake with the executor. */
  connected: boolean;
  wallMs: number;
}

const PROCESS_ID = 'p1';

export async function runCase(
  executorUrl: string,
  w: Workload,
  fc: FaultCase,
  seed: number,
  abort: Promise<void> = new Promise(() => undefined),
): Promise<CaseResult> {
  const clock = new RealClock();
  const timeline = new RealTimeline(clock);
  const wire = new Wire(timeline);
  const base = realPorts('client', timeline, seed);
  const net = new RecordingNet(base.net, wire);
  const ports = { ...base, net };
  const proxy = new FaultProxy(executorUrl, timeline);
  await proxy.start();
  const faults = fc.faults(seed % 97);
  proxy.inject(faults);
  const report = new RecordingReport(clock, ports.log);
  const deadline = w.durationMs + fc.costMs + 25_000 + 10_000;
  let client: ExecClient | undefined;
  let connected = false;
  try {
    client = await ExecClient.connect(ports, { ...DEFAULT_CLIENT_OPTIONS, url: proxy.url, clientName: 'execsim-validate' });
    connected = true;
    const params: StartParams = {
      processId: PROCESS_ID,
      argv: w.argv,
      cwd: pathToFileURL(tmpdir()).href,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
      tty: false,
      pipeStdin: w.pipeStdin,
      arg0: null,
    };
    const call = client;
    const consumed = (async () => {
      let session;
      try {
        session = await call.start(params);
      } catch (e) {
        return report.result({ kind: 'failure', message: `process/start failed: ${e instanceof Error ? e.message : String(e)}` });
      }
      for (const write of w.writes) {
        for (let i = 0; i < write.repeat; i++) {
          await call
            .call(METHOD.write, { processId: PROCESS_ID, chunk: toBase64(Buffer.from(write.text)), writeId: write.writeId })
            .catch(() => undefined);
        }
      }
      await pushedConsumer(clock, ports.log, session, VARIANTS['v1-strict']!.config, new ConsumerKnobs(), report);
    })();
    const timer = new Promise<void>((r) => setTimeout(r, deadline).unref());
    await Promise.race([consumed, timer, abort]);
    if (report.results.length > 0) {
      // probe reads for the nextSeq rules: without and with maxBytes
      for (const maxBytes of [null, 1]) {
        await Promise.race([
          call.call(METHOD.read, { processId: PROCESS_ID, afterSeq: 0, maxBytes, waitMs: 0 }).catch(() => undefined),
          new Promise((r) => setTimeout(r, 5_000).unref()),
        ]);
      }
    }
  } catch (e) {
    report.result({ kind: 'failure', message: `could not speak to the executor: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    client?.close();
    net.closeAll();
    await proxy.stop();
  }
  const observed: Observed = { streams: {}, notices: report.notices, results: report.results };
  for (const d of report.raw) (observed.streams[d.stream] ??= []).push({ t: d.t, data: d.chunk } satisfies DeliveredChunk);
  const end = clock.now();
  const truth: Truth = {
    streams: w.streams,
    outcome: truthOutcome(w, 0),
    recoverable: fc.recoverable,
    unrecoverableBecause: fc.recoverable ? [] : [fc.summary],
    runEndedAt: end,
  };
  const frames: readonly WireFrame[] = wire.frames;
  const input = { truth, observed, frames };
  const checks = compose(
    {
      'no-lost-output': noLostOutput,
      'no-duplicate-output': noDuplicateOutput,
      'ordered-output': orderedOutput,
      'truthful-exit': truthfulExit,
      'no-false-failure': noFalseFailure,
      'single-result': singleResult,
      terminates: terminates(() => deadline),
      'seq-discipline': seqDiscipline(PROCESS_ID),
      'next-seq': nextSeqRule(PROCESS_ID),
    },
    input,
  );
  return {
    workload: w.name,
    fault: fc.name,
    recoverable: fc.recoverable,
    results: checks.results,
    events: timeline.events,
    faults: faults.map((f) => ({ ...f })),
    connected,
    wallMs: end,
  };
}
