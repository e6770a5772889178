/**
 * One validation run: a fresh client session (v1-stricter, the correct consumer) through the fault
 * proxy to the executor, one workload command, the case's faults; then probe reads for the
 * nextSeq rules. The run is judged like a simulated one (sim/judge.ts), with the exec-stream
 * target's own properties and checkers: the server's record is what the executor said on the
 * wire, the liveness bound is the target's from the case's own settle time, and a property the
 * run cannot judge is reported not applicable with the reason. Every wait is bounded.
 */
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ExecClient, DEFAULT_CLIENT_OPTIONS } from '../../../reference-impl/exec-stream/client/execClient.ts';
import { pushedConsumer } from '../../../reference-impl/exec-stream/consumer/pushed.ts';
import { ConsumerKnobs } from '../../../reference-impl/exec-stream/consumer/report.ts';
import { v1Stricter } from '../../../reference-impl/exec-stream/variants/v1Stricter.ts';
import { METHOD, toBase64, type StartParams } from '../../../reference-impl/exec-stream/protocol/wire.ts';
import { target as execStream, PROCESS_ID } from '../../../reference-impl/exec-stream/target.ts';
import { RecordingReport } from '../../../reference-impl/exec-stream/target/collect.ts';
import type { ExecObserved, ExecTruth } from '../../../reference-impl/exec-stream/target/history.ts';
import { wireLedger } from '../../../reference-impl/exec-stream/target/wireLedger.ts';
import type { CheckResult, DeliveredChunk } from '../../check/index.ts';
import { classOf, judge } from '../../judge.ts';
import type { Fault } from '../../faults/fault.ts';
import type { PropertyClass, Scenario } from '../../target.ts';
import type { TraceEvent } from '../../trace.ts';
import { performance } from 'node:perf_hooks';
import { DilatedClock } from '../dilatedClock.ts';
import { FaultProxy } from '../faultProxy.ts';
import { realPorts, RealTimeline } from '../ports.ts';
import type { FaultCase } from './faultCases.ts';
import { RecordingNet, Wire, type WireFrame } from './wire.ts';
import { argvOf, truthOutcome, type Workload } from './workloads.ts';

/** What a validation run records beyond its timeline: every frame, for the wire properties. */
const RECORDS = ['wire'];

/** The properties a validation judges, in report order: the exec-stream target's own. */
export const VALIDATION_PROPERTIES: Record<string, string> = Object.fromEntries(execStream.properties.map((p) => [p.name, p.summary]));

/** Each property's class (safety or liveness), for reports. */
export const VALIDATION_CLASSES: Record<string, PropertyClass> = Object.fromEntries(
  execStream.properties.map((p) => [p.name, classOf(execStream, p.name)]),
);

export interface CaseResult {
  workload: string;
  fault: string;
  recoverable: boolean;
  results: Record<string, CheckResult>;
  events: TraceEvent[];
  faults: Array<Record<string, unknown>>;
  /** The client completed the handshake with the executor. */
  connected: boolean;
  /** When (virtual ms) the faults were scheduled from: the first output; null if none came (the faults never ran). */
  faultsFrom: number | null;
  /** Real ms the case took, start to judged. */
  wallMs: number;
  /** Virtual ms it lasted on our side's (dilated) clock. */
  virtualMs: number;
}

export async function runCase(
  executorUrl: string,
  w: Workload,
  fc: FaultCase,
  seed: number,
  abort: Promise<void> = new Promise(() => undefined),
  timeFactor = 1,
): Promise<CaseResult> {
  const t0 = performance.now();
  // our side (client, proxy, deadlines, the workload's own waits) runs `timeFactor` times faster
  // than the wall; every constant is unchanged in virtual ms
  const clock = new DilatedClock(timeFactor);
  const timeline = new RealTimeline(clock);
  const wire = new Wire(timeline);
  const base = realPorts('client', timeline, seed);
  const net = new RecordingNet(base.net, wire);
  const ports = { ...base, net };
  const proxy = new FaultProxy(executorUrl, timeline);
  await proxy.start();
  // The case's faults are timed from the process's first output (its first output or exit
  // notification), not from the start of the run: the handshake's and the command's start-up
  // real latency does not shrink with the time factor, and a cut meant for mid-output must
  // land mid-output, not in the handshake or before the command wrote anything.
  let faults = fc.faults(seed % 97);
  const report = new RecordingReport(clock, ports.log);
  // the run settles once the command ended and the fault's cost is spent; the target's bound applies from there
  let settledAt = w.durationMs + fc.costMs;
  const deadline = settledAt + (execStream.liveness?.boundMs ?? 0);
  let expire: () => void = () => undefined;
  const timer = new Promise<void>((r) => (expire = r));
  let deadlineTimer = clock.setTimeout(() => expire(), deadline).unref();
  let faultsFrom: number | null = null;
  const started = () => {
    if (faultsFrom !== null) return;
    faultsFrom = clock.now();
    const at = proxy.now();
    faults = faults.map((f) => ({ ...f, at: f.at + at }));
    proxy.inject(faults);
    settledAt += clock.now();
    clock.clearTimeout(deadlineTimer);
    deadlineTimer = clock.setTimeout(() => expire(), deadline).unref();
  };
  wire.onFrame = (f) => {
    if (f.dir === 'in' && (f.message?.method === METHOD.output || f.message?.method === METHOD.exited)) started();
  };
  let client: ExecClient | undefined;
  let connected = false;
  try {
    client = await ExecClient.connect(ports, { ...DEFAULT_CLIENT_OPTIONS, url: proxy.url, clientName: 'execsim-validate' });
    connected = true;
    const params: StartParams = {
      processId: PROCESS_ID,
      argv: argvOf(w, timeFactor),
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
      await pushedConsumer(clock, ports.log, session, v1Stricter.slots, new ConsumerKnobs(), report);
    })();
    await Promise.race([consumed, timer, abort]);
    if (report.results.length > 0) {
      // probe reads for the nextSeq rules: without and with maxBytes
      for (const maxBytes of [null, 1]) {
        await Promise.race([
          call.call(METHOD.read, { processId: PROCESS_ID, afterSeq: 0, maxBytes, waitMs: 0 }).catch(() => undefined),
          new Promise<void>((r) => clock.setTimeout(r, 5_000).unref()),
        ]);
      }
    }
  } catch (e) {
    report.result({ kind: 'failure', message: `could not speak to the executor: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    clock.clearTimeout(deadlineTimer);
    client?.close();
    net.closeAll();
    await proxy.stop();
  }
  const frames = wire.frames;
  const streams: ExecObserved['streams'] = {};
  for (const d of report.raw) (streams[d.stream] ??= []).push({ t: d.t, data: d.chunk } satisfies DeliveredChunk);
  const observed: ExecObserved = {
    streams,
    notices: report.notices,
    results: report.results,
    deliveries: report.raw.map((d) => ({ t: d.t, seq: d.seq })),
    gaps: report.gaps,
    frames,
  };
  const end = clock.now();
  const truth: ExecTruth = {
    streams: w.streams,
    outcome: truthOutcome(w, 0),
    recoverable: fc.recoverable,
    unrecoverableBecause: fc.recoverable ? [] : [fc.summary],
    runEndedAt: end,
    processId: PROCESS_ID,
    seqs: wireLedger(frames, PROCESS_ID),
  };
  const scenario: Scenario = {
    format: 1,
    title: `${w.name} under ${fc.name}`,
    target: execStream.name,
    variant: 'v1-strict',
    seed,
    mode: 'safety',
    workload: { name: w.name, argv: w.argv },
    faults: faults.map((f): Fault => ({ ...f, at: typeof f.at === 'number' ? f.at : 0, kind: String(f.kind) })),
    expect: 'pass',
  };
  const checks = judge(
    execStream,
    { scenario, history: timeline.events, observed, truth },
    { mode: 'safety', records: RECORDS, settledAt: () => settledAt },
  );
  return {
    workload: w.name,
    fault: fc.name,
    recoverable: fc.recoverable,
    results: checks.results,
    events: timeline.events,
    faults: faults.map((f) => ({ ...f })),
    connected,
    faultsFrom,
    wallMs: performance.now() - t0,
    virtualMs: end,
  };
}
