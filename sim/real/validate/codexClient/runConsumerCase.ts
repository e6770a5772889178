/**
 * One `validate --client codex` (or `--client "CMD {url}" --protocol codex-exec-server`) case:
 * the reference exec-server on loopback (the same ExecServer as in the simulator, its process
 * scripted so the truth is known), the fault proxy in front of it, and one consumer process:
 * `codex exec` driven by the mock model (mockResponses.ts), or a generic consumer printing JSON
 * lines. The case's faults are the exec-stream target's own kinds, fired from process/start:
 * the server-side ones on the server, the transport ones through the proxy. The run is judged by
 * the exec-stream target's checkers (sim/judge.ts), its recoverability by the target's own rules.
 * Every wait is bounded; the consumer's process group, the server, the proxy and the mock are
 * stopped at the end, on an error too.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecServer } from '../../../../reference-impl/exec-stream/server/execServer.ts';
import { defaultKnobs } from '../../../../reference-impl/exec-stream/server/knobs.ts';
import { scriptedLauncher } from '../../../../reference-impl/exec-stream/server/launcher.ts';
import { ServerLedger } from '../../../../reference-impl/exec-stream/server/ledger.ts';
import { listenExecServer } from '../../../../reference-impl/exec-stream/server/wsServer.ts';
import { target as execStream } from '../../../../reference-impl/exec-stream/target.ts';
import { settledAtMs, TERMINATES_BOUND_MS } from '../../../../reference-impl/exec-stream/target/checkers.ts';
import { CONNECTION } from '../../../../reference-impl/exec-stream/target/faultKinds.ts';
import type { ExecObserved, ExecTruth } from '../../../../reference-impl/exec-stream/target/history.ts';
import { PROCESS_NAME, scriptedProcess } from '../../../../reference-impl/exec-stream/target/processSource.ts';
import { unrecoverableBecause } from '../../../../reference-impl/exec-stream/target/recoverable.ts';
import { DENIAL_LINE, type ExecWorkload } from '../../../../reference-impl/exec-stream/target/workload.ts';
import type { ProducedChunk, TrueOutcome } from '../../../check/index.ts';
import { ExecsimError } from '../../../errors.ts';
import type { Fault } from '../../../faults/fault.ts';
import type { Scenario } from '../../../target.ts';
import { RealClock } from '../../clock.ts';
import { FaultProxy, PROXY_FROM, PROXY_TO } from '../../faultProxy.ts';
import { realPorts, RealTimeline } from '../../ports.ts';
import { drainOutput, killGroup, shellQuote, spawnGroup } from '../../proc.ts';
import { ScriptedProc } from '../../scriptedProc.ts';
import { armServerFaults, checkServerFaults } from '../../serverFaults.ts';
import { hostEnvironmentInfo } from '../../serve.ts';
import { groupMembers } from '../executor.ts';
import { judgeRealCase, type RealCaseResult } from '../realCase.ts';
import type { ConsumerCase } from './cases.ts';
import { codexConfig } from './codexPreset.ts';
import { startMockModel, type MockModel, type ToolCall } from './mockResponses.ts';
import { Observation, outcomeOf, parseCodexJsonLine, parseConsumerLine, parseToolOutput, type CodexItem } from './observation.ts';

/** The consumer under validation: codex's binary, or a command printing the JSON lines. */
export type Consumer = { kind: 'codex'; binary: string } | { kind: 'command'; command: string };

export interface ConsumerRunOptions {
  consumer: Consumer;
  /** codex: the exec_command's yield_time_ms (and each write_stdin poll's). */
  yieldMs: number;
}

export interface ConsumerCaseResult extends RealCaseResult<ExecWorkload, ExecObserved> {
  truth: ExecTruth;
  /** codex: what the model got back from each tool call, and the `--json` items. */
  toolOutputs: string[];
  items: CodexItem[];
  /** When the server got process/start (ms since the case started). */
  startedAt: number;
}

const START_BUDGET_MS = 60_000;
/** Loopback's one-way latency bound, for the target's start round-trip rule. */
const LOOPBACK_LATENCY_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Maps an exec-stream kernel fault (`client->exec-server`) to the proxy's names, firing now. */
function toProxyFault(f: Fault, now: number): Fault {
  const target = typeof f.target === 'string' ? f.target.split(CONNECTION).join(`${PROXY_FROM}->${PROXY_TO}`) : `${PROXY_FROM}->${PROXY_TO}`;
  return { ...f, at: now, target };
}

/** The seq of a process notification frame, else undefined. */
function seqOfNotification(frame: string): number | undefined {
  try {
    const m = JSON.parse(frame) as { method?: unknown; params?: { seq?: unknown } };
    return typeof m.method === 'string' && m.method.startsWith('process/') && typeof m.params?.seq === 'number' ? m.params.seq : undefined;
  } catch {
    return undefined;
  }
}

export async function runConsumerCase(c: ConsumerCase, opts: ConsumerRunOptions): Promise<ConsumerCaseResult> {
  const clock = new RealClock();
  const timeline = new RealTimeline(clock);
  const ports = realPorts('exec-server', timeline);
  const proc = new ScriptedProc(clock);
  const ledger = new ServerLedger();
  const knobs = { ...defaultKnobs(), pipeJitterMsMax: 0, sendJitterMsMax: 0 };
  const observation = new Observation(c.workload);
  const toolOutputs: string[] = [];
  const items: CodexItem[] = [];
  let bad: ExecsimError | undefined;
  let started: { t: number; processId: string } | undefined;
  // eslint-disable-next-line prefer-const
  let proxy: FaultProxy;
  const script = scriptedLauncher(proc, () => scriptedProcess(c.workload));
  const server = new ExecServer(ports, {
    launcher: {
      launch(params) {
        if (started) throw new Error(`validate: case ${c.name} scripts one process; ${params.processId} is a second`);
        started = { t: clock.now(), processId: params.processId };
        timeline.record('validate', 'process.start', { processId: params.processId, argv: params.argv });
        arming.onStart();
        return script.launch(params);
      },
    },
    knobs,
    ledger,
    environmentInfo: hostEnvironmentInfo(),
  });
  const arming = armServerFaults(server, checkServerFaults(c.faults, `case ${c.name}: faults`, true), {
    clock,
    record: (kind, data) => timeline.record('validate', kind, data),
    transport: (f) => proxy.inject([toProxyFault(f, proxy.now())]),
    onError: (m) => (bad ??= new ExecsimError('EXECSIM_FAULT_INVALID', `case ${c.name}: ${m}`)),
  });
  if (c.dropNotificationSeq !== undefined) {
    const connect = server.connect.bind(server);
    let dropped = false;
    server.connect = (send) =>
      connect((frame) => {
        if (!dropped && seqOfNotification(frame) === c.dropNotificationSeq) {
          dropped = true;
          timeline.record('validate', 'fault.drop-notification', { seq: c.dropNotificationSeq });
          return;
        }
        send(frame);
      });
  }
  const listening = await listenExecServer(ports.net, 0, server);
  proxy = new FaultProxy(listening.url, timeline);
  await proxy.start();
  const scratch = mkdtempSync(join(tmpdir(), 'execsim-consumer-'));
  let mock: MockModel | undefined;
  let child: ChildProcess | undefined;
  let exit: string | undefined;
  let stderrTail = '';
  const wallStart = Date.now();
  const deadline = (): number | undefined =>
    started === undefined ? undefined : started.t + settledAtMs({ workload: c.workload, faults: c.faults, mode: 'safety' }) + TERMINATES_BOUND_MS + 5_000;
  try {
    let command: string;
    let env: Record<string, string>;
    const onLine = (line: string): void => {
      const t = clock.now();
      if (opts.consumer.kind === 'codex') {
        const item = parseCodexJsonLine(line);
        if (item) {
          items.push(item);
          timeline.record('codex', 'codex.item', { ...item });
        }
        return;
      }
      try {
        const l = parseConsumerLine(line);
        if (!l) return;
        timeline.record('consumer', `consumer.${l.type}`, { ...l });
        observation.line(t, l);
      } catch (e) {
        bad ??= e instanceof ExecsimError ? e : new ExecsimError('EXECSIM_USAGE', String(e));
      }
    };
    if (opts.consumer.kind === 'codex') {
      const poll = (sessionId: number): ToolCall => ({ name: 'write_stdin', arguments: { session_id: sessionId, chars: '', yield_time_ms: opts.yieldMs } });
      mock = await startMockModel({
        calls: [{ name: 'exec_command', arguments: { cmd: `execsim-case ${c.name}`, yield_time_ms: opts.yieldMs } }],
        now: () => clock.now(),
        next: (out) => {
          const a = parseToolOutput(out.text);
          toolOutputs.push(out.text);
          timeline.record('codex', 'codex.tool-output', { text: out.text.slice(0, 400) });
          observation.text(out.t, a.output);
          observation.results.push({ t: out.t, outcome: outcomeOf(a) });
          const by = deadline();
          return a.kind === 'running' && (by === undefined || clock.now() < by) ? poll(a.sessionId) : undefined;
        },
      });
      writeFileSync(join(scratch, 'config.toml'), codexConfig(mock.baseUrl));
      command = [opts.consumer.binary, 'exec', '--json', '--skip-git-repo-check', '--ephemeral', 'Run the command.'].map(shellQuote).join(' ');
      env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: scratch,
        CODEX_HOME: scratch,
        EXECSIM_MOCK_API_KEY: 'execsim',
        CODEX_EXEC_SERVER_URL: proxy.url,
      };
    } else {
      command = opts.consumer.command.split('{url}').join(proxy.url);
      env = { ...(process.env as Record<string, string>), HOME: scratch };
    }
    child = spawnGroup(command, { cwd: opts.consumer.kind === 'codex' ? scratch : process.cwd(), env });
    let buf = '';
    child.stdout?.on('data', (b: Buffer) => {
      buf += b.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    child.stderr?.on('data', (b: Buffer) => (stderrTail = (stderrTail + b.toString()).slice(-4_000)));
    child.on('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
    let drained = false;
    child.on('close', () => (drained = true));
    child.on('error', (e) => (bad ??= new ExecsimError('EXECSIM_EXECUTOR', `could not start the consumer: ${e.message}`)));
    for (;;) {
      await sleep(20);
      if (exit !== undefined || bad) break;
      const by = deadline();
      if (by !== undefined && clock.now() > by) break;
      if (started === undefined && Date.now() - wallStart > START_BUDGET_MS) break;
    }
    await drainOutput(() => drained || exit === undefined || bad !== undefined);
  } finally {
    arming.dispose();
    if (child?.pid !== undefined) {
      const pid = child.pid;
      const hard = Date.now() + 5_000;
      do {
        killGroup(pid, 'SIGKILL');
        await sleep(20);
      } while (groupMembers(pid).length > 0 && Date.now() < hard);
    }
    await mock?.stop();
    await proxy.stop();
    await listening.close();
    ports.net.closeAll();
    proc.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  const name = opts.consumer.kind === 'codex' ? 'codex' : opts.consumer.command;
  if (bad) throw new ExecsimError(bad.code, `${bad.message}\n(consumer: ${name})`);
  if (started === undefined)
    throw new ExecsimError(
      'EXECSIM_EXECUTOR',
      `the consumer never started a process (${exit ?? 'still running, killed'}).\nconsumer: ${name}${mock ? `\nmodel requests: ${mock.requests.join(', ') || '(none)'}` : ''}\nits stderr ends with:\n${stderrTail.trim() || '(nothing)'}`,
    );
  const end = clock.now();
  const processId = started.processId;
  const seqs = ledger.seqs.filter((s) => s.processId === processId);
  const observed = observation.history(seqs);
  const rec = proc.records.find((r) => r.name === PROCESS_NAME);
  const produced: Record<string, ProducedChunk[]> = {};
  for (const o of rec?.output ?? []) (produced[o.stream] ??= []).push({ t: o.t, data: o.data });
  let outcome: TrueOutcome = { kind: 'running' };
  if (rec?.exit) {
    const { code, signal } = rec.exit.status;
    const wroteDenial = (rec.output ?? []).some((o) => o.stream === 'stderr' && Buffer.from(o.data).toString() === DENIAL_LINE);
    outcome = { kind: 'exit', code, signal, denied: wroteDenial && code !== null && code !== 0, t: rec.exit.t };
  }
  // the faults at real ms since the case started, as the target's rules read them
  const faults = c.faults.map((f) => ({ ...f, at: f.at + started!.t }));
  const resultAt = observed.results.find((r) => r.outcome.kind !== 'running')?.t;
  const why = unrecoverableBecause({
    faults,
    ledger,
    processId,
    process: {
      exitAt: rec?.exit?.t,
      closedAt: rec?.closedAt,
      outputBytes: (rec?.output ?? []).reduce((n, o) => n + o.data.length, 0),
      outputWrites: rec?.output.length ?? 0,
    },
    runEndedAt: end,
    resultAt,
    eventCapacity: c.workload.eventCapacity,
    latencyMsMax: LOOPBACK_LATENCY_MS,
    lost: ledger.notifications.filter((n) => n.processId === processId).map((n) => n.dropped || n.seq === c.dropNotificationSeq),
  });
  const truth: ExecTruth = {
    streams: produced,
    outcome,
    recoverable: why.length === 0,
    unrecoverableBecause: why,
    runEndedAt: end,
    processId,
    seqs,
  };
  const scenario: Scenario<ExecWorkload> = {
    format: 1,
    title: `validate --client: ${c.name}`,
    source: c.source,
    target: execStream.name,
    variant: 'real consumer',
    seed: 1,
    mode: 'safety',
    workload: c.workload,
    faults,
    expect: 'pass',
  };
  const settledAt = started.t + settledAtMs({ workload: c.workload, faults: c.faults, mode: 'safety' });
  const judged = judgeRealCase(execStream, { name: c.name, scenario, events: timeline.events, observed, truth, exit, wallStart }, { mode: 'safety', settledAt: () => settledAt });
  return { ...judged, truth, toolOutputs, items, startedAt: started.t };
}
