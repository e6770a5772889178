/**
 * One `validate --client` case: our attach-pump runner served for real on dilated time, the
 * fault proxy in front of it (HTTP and WebSocket), one client process (under libfaketime at the
 * same rate, when asked) that prints its chunks and result as JSON lines; then the attach-pump
 * target's own checkers on what it printed against what the scripted command really did.
 * Every wait is bounded; the client's process group is killed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { target as attachPump } from '../../../../reference-impl/attach-pump/target.ts';
import { terminationDeadline } from '../../../../reference-impl/attach-pump/target/checkers.ts';
import { unrecoverableBecause } from '../../../../reference-impl/attach-pump/target/recoverability.ts';
import { processScript, runnerSizes, type AttachWorkload } from '../../../../reference-impl/attach-pump/target/workload.ts';
import { type DeliveredChunk, type Observed, type ProducedChunk, type Truth } from '../../../check/index.ts';
import { ExecsimError } from '../../../errors.ts';
import { CLOSE, CUT, HALF_OPEN, LAG, REFUSE } from '../../../faults/kernelKinds.ts';
import { validateFaults } from '../../../faults/validate.ts';
import type { Scenario } from '../../../target.ts';
import type { TimerHandle } from '../../../ports/index.ts';
import { serveBoxliteRunner, type RunningBoxliteRunner } from '../../boxliteRest.ts';
import { DilatedClock } from '../../dilatedClock.ts';
import { FaultProxy } from '../../faultProxy.ts';
import { RealTimeline } from '../../ports.ts';
import { drainOutput, killGroup, spawnGroup } from '../../proc.ts';
import { judgeRealCase, type RealCaseResult } from '../realCase.ts';
import type { ClientCase } from './cases.ts';
import { parseClientLine } from './jsonLines.ts';

export interface ClientRunOptions {
  /** The client command; `{url}` becomes the REST base URL (through the proxy). */
  command: string;
  /** Real time runs this many times faster on our side (the client's, under faketime, too). */
  factor: number;
  env?: Record<string, string>;
  /** The variant whose model the scenario names (the differential's sim side). */
  variant: string;
}

export type ClientCaseResult = RealCaseResult<AttachWorkload, Observed>;

/** The scenario of a case: the sim's run of it and the checkers' view of the real one. */
export function scenarioOf(c: ClientCase, variant: string): Scenario<AttachWorkload> {
  return {
    format: 1,
    title: `validate --client: ${c.name}`,
    source: c.summary,
    target: 'attach-pump',
    variant,
    seed: 1,
    mode: 'safety',
    workload: c.workload,
    faults: c.sim.map((f) => ({ ...f })),
    expect: 'pass',
  };
}

const REAL_START_BUDGET_MS = 120_000;

const PROXY_SPECS = [CUT, CLOSE, HALF_OPEN, LAG, REFUSE];

export async function runClientCase(c: ClientCase, opts: ClientRunOptions): Promise<ClientCaseResult> {
  // Checked before anything runs: the first check of a kind compiles its schema (~125 ms here),
  // which at x100 would be 12 s of virtual time between the attach and its faults' time base.
  const problems = validateFaults(c.real, PROXY_SPECS, `case ${c.name}: real faults`);
  if (problems.length > 0)
    throw new ExecsimError('EXECSIM_FAULT_INVALID', `invalid proxy faults:\n  - ${problems.join('\n  - ')}`, problems);
  const clock = new DilatedClock(opts.factor);
  const timeline = new RealTimeline(clock);
  const scenario = scenarioOf(c, opts.variant);
  const streams: Record<string, DeliveredChunk[]> = { stdout: [], stderr: [] };
  const observed: Observed = { streams, notices: [], results: [] };
  let execAt: number | undefined;
  let bad: ExecsimError | undefined;
  let injected = false;
  // eslint-disable-next-line prefer-const
  let proxy: FaultProxy;
  // eslint-disable-next-line prefer-const
  let runner: RunningBoxliteRunner;
  const runnerTimers: TimerHandle[] = [];
  const inject = (): void => {
    if (injected) return;
    injected = true;
    try {
      proxy.inject(c.real.map((f) => ({ ...f, at: f.at + proxy.now() })));
    } catch (e) {
      bad ??= e instanceof ExecsimError ? e : new ExecsimError('EXECSIM_FAULT_INVALID', String(e));
    }
    for (const f of c.runner ?? [])
      runnerTimers.push(
        clock.setTimeout(() => {
          timeline.record('faults', 'fault', { ...f, target: 'runner' });
          const manager = runner.runner.manager;
          if (f.kill === true) for (const id of [...manager.execs.keys()]) manager.kill(id);
          else manager.expireRetention();
        }, f.at),
      );
  };
  runner = await serveBoxliteRunner({
    timeline,
    script: processScript(c.workload),
    sizes: runnerSizes(c.workload),
    onExec: () => {
      if (execAt !== undefined) return;
      execAt = clock.now();
      timeline.record('validate', 'exec.start', {});
      if (c.faultsFrom === 'exec') inject();
    },
    // Faults count from the first attach: the client's start-up latency (real ms, x factor)
    // would otherwise move them around; in the simulator the attach follows the exec at once.
    onAttach: () => {
      if (c.faultsFrom !== 'exec') inject();
    },
  });
  proxy = new FaultProxy(runner.url.replace(/^http/, 'ws'), timeline);
  await proxy.start();
  const url = `http://127.0.0.1:${proxy.port}`;
  const scratch = mkdtempSync(join(tmpdir(), 'execsim-client-'));
  const t0 = Date.now();
  const command = opts.command.split('{url}').join(url);
  const child = spawnGroup(command, { env: { ...process.env, XDG_DATA_HOME: scratch, HOME: scratch, ...opts.env } });
  let exit: string | undefined;
  let stderrTail = '';
  let buf = '';
  child.stderr?.on('data', (b: Buffer) => (stderrTail = (stderrTail + b.toString()).slice(-4000)));
  child.stdout?.on('data', (b: Buffer) => {
    buf += b.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const t = clock.now();
      try {
        const m = parseClientLine(line);
        if (!m) continue;
        timeline.record('client', `client.${m.type}`, m.type === 'stdout' || m.type === 'stderr' ? { data: m.data } : { ...m });
        if (m.type === 'gap') observed.notices.push({ t, kind: 'gap', stream: m.stream, message: m.message });
        else if (m.type === 'result') {
          const outcome =
            m.errorMessage === undefined
              ? { kind: 'exit' as const, code: m.exitCode }
              : { kind: 'exit' as const, code: m.exitCode, error: m.errorMessage };
          observed.results.push({ t, outcome });
        } else (streams[m.type] as DeliveredChunk[]).push({ t, data: new Uint8Array(Buffer.from(m.data)) });
      } catch (e) {
        bad ??= e instanceof ExecsimError ? e : new ExecsimError('EXECSIM_USAGE', String(e));
      }
    }
  });
  child.on('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
  let drained = false;
  child.on('close', () => (drained = true));
  const deadline = (): number | undefined =>
    execAt === undefined
      ? undefined
      : execAt +
        (terminationDeadline(scenario, { outcome: { kind: 'exit', code: 0, signal: null, denied: false, t: c.workload.exit.atMs } }) ?? 0) +
        30_000;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (exit !== undefined || bad) break;
      const by = deadline();
      if (by !== undefined && clock.now() > by) break;
      if (execAt === undefined && Date.now() - t0 > REAL_START_BUDGET_MS) break;
    }
    await drainOutput(() => drained || exit === undefined || bad !== undefined);
  } finally {
    for (const t of runnerTimers) clock.clearTimeout(t);
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    await proxy.stop();
    await runner.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (bad) throw new ExecsimError(bad.code, `${bad.message}\n(client command: ${opts.command})`);
  if (execAt === undefined)
    throw new ExecsimError(
      'EXECSIM_EXECUTOR',
      `the client never started an exec (${exit ?? 'still running, killed'}).\ncommand: ${command}\nits stderr ends with:\n${stderrTail.trim() || '(nothing)'}`,
    );
  const rec = runner.proc.records.find((r) => r.name === 'cmd');
  const produced: Record<string, ProducedChunk[]> = { stdout: [], stderr: [] };
  for (const o of rec?.output ?? []) (produced[o.stream] as ProducedChunk[]).push({ t: o.t, data: o.data });
  const why = unrecoverableBecause(scenario, rec !== undefined);
  const truth: Truth = {
    streams: produced,
    outcome: rec?.exit
      ? { kind: 'exit', code: rec.exit.status.code, signal: rec.exit.status.signal, denied: false, t: rec.exit.t }
      : { kind: 'running' },
    recoverable: why.length === 0,
    unrecoverableBecause: why,
    runEndedAt: clock.now(),
  };
  return judgeRealCase(attachPump, { name: c.name, scenario, events: timeline.events, observed, truth, exit, wallStart: t0 }, { mode: 'safety' });
}
