/**
 * One session-wait run: the daemon (host `daemon`) plays its story, the caller (host `wait`)
 * waits and re-waits, a `second-wait` fault adds callers (`wait2`, ...), and the run ends when
 * every caller has its answer, or at a horizon past every bound the checkers use.
 */
import { faultKind, isFault, type Fault, type FaultEffectHandle } from '../../../sim/index.ts';
import type { Ports } from '../../../sim/ports/index.ts';
import type { RunOutcome, Scenario } from '../../../sim/target.ts';
import type { World } from '../../../sim/world.ts';
import { runCaller, type WaitRun } from '../caller.ts';
import type { RssSample } from '../context.ts';
import { DAEMON_NAME, SessionDaemon } from '../daemon.ts';
import { FlockTable } from '../flock.ts';
import { GLOBAL_CONFIG } from '../sessionFiles.ts';
import { VARIANTS } from '../variants/index.ts';
import { DEFAULT_WAIT_CAP_SECS } from '../waitConfig.ts';
import { TERMINATES_BOUND_MS } from './checkers.ts';
import { CAP_LENGTH, DAEMON_EXIT_CODE, INTERMEDIATE_RESULT, PATHS, SECOND_WAIT } from './faults.ts';
import { observe, type WaitObserved } from './observe.ts';
import { collectTruth, ResultLog, type SessionTruth } from './truth.ts';
import { daemonPlan, plannedEndMs, TOOL_NAME, type SessionWaitWorkload } from './workload.ts';

/** The user sets the cap: `[kv_cache].long_poll_seconds` in the global config. */
function writeCapConfig(config: Ports, capSecs: number): void {
  config.fs.sync.mkdir(GLOBAL_CONFIG.slice(0, GLOBAL_CONFIG.lastIndexOf('/')), { recursive: true });
  config.fs.sync.writeFile(GLOBAL_CONFIG, `[kv_cache]\nlong_poll_seconds = ${capSecs}\n`);
}

/** A run's end: past the planned end, every fault, the first wait and the heal, by the terminates bound and a full cap. */
export function horizonMs(scenario: Scenario<SessionWaitWorkload>): number {
  const w = scenario.workload;
  const capMaxSecs = Math.max(w.wait.capSecs, ...scenario.faults.map((f) => (isFault(CAP_LENGTH, f) ? f.capSecs : 0)));
  const from = Math.max(plannedEndMs(w), w.wait.startMs, scenario.healAtMs ?? 0, ...scenario.faults.map((f) => f.at));
  return from + TERMINATES_BOUND_MS + w.wait.rewaitDelayMs + (capMaxSecs + 2) * 1_000;
}

export async function runSessionWait(
  world: World,
  scenario: Scenario<SessionWaitWorkload>,
  /** Timers a test double retunes (tests of the oracle, issue 12); the source's when absent. */
  tuning: { lockFileStaleMs?: number } = {},
): Promise<RunOutcome<WaitObserved, SessionTruth>> {
  const w = scenario.workload;
  const policy = VARIANTS[scenario.variant]?.slots;
  if (!policy) throw new Error(`session-wait: no variant ${scenario.variant}`);
  const fsOpts = { fs: { mtimeGranularity: w.mtimeGranularity } };
  const daemonHost = world.host('daemon', fsOpts);
  const log = new ResultLog();
  const daemon = new SessionDaemon(daemonHost, PATHS, daemonPlan(w), log);
  const flocks = new FlockTable();
  const runs: WaitRun[] = [];

  // RSS of the session's tree, as /proc would give it: the workload's figure while a session process runs.
  const sampleRssMb = (): RssSample => {
    if (w.wait.sampler === 'unsupported') return { error: 'unsupported' };
    const running = daemonHost.proc.list().some((p) => p.state !== 'Z' && (p.name === 'csa-daemon' || p.name === TOOL_NAME));
    return { rssMb: running ? w.rssMb : 0 };
  };
  // The cap the config sets now, and the cap-length fault that set it: a wait resolving it is its effect.
  let capSecs = w.wait.capSecs;
  let capFault: { fault: FaultEffectHandle; capSecs: number } | undefined;
  const startCaller = (host: Ports, delayMs: number): void => {
    world.spawn(host.host, async () => {
      if (delayMs > 0) await host.clock.sleep(delayMs, 'caller');
      const memoryWarnMb = w.wait.memoryWarnMb ?? undefined;
      const onCap = (secs: number) => {
        if (capFault && secs === capFault.capSecs) capFault.fault.hit(`the cap resolved by ${host.host} (${secs} s)`);
      };
      await runCaller(
        host,
        { paths: PATHS, policy, flocks, memoryWarnMb, sampleRssMb, rewaitDelayMs: w.wait.rewaitDelayMs, onCap, ...tuning },
        (r) => runs.push(r),
      );
    });
  };

  // The user's config (the cap) exists before anything runs.
  const config = world.host('config', fsOpts);
  // (no config file resolves to the default 240 s)
  if (w.wait.capSecs !== DEFAULT_WAIT_CAP_SECS) world.spawn('config', async () => writeCapConfig(config, w.wait.capSecs));
  world.spawn('daemon', () => daemon.run());
  startCaller(world.host('wait', fsOpts), w.wait.startMs);

  // A fault whose own file write fails is a harness bug: it shows as an error (no-crash).
  const failed = (f: Fault, e: unknown) =>
    world.spawn('faults', () => Promise.reject(e instanceof Error ? e : new Error(`${f.kind}: ${String(e)}`)));
  let extraWaits = 1;
  // The exit-code fault the daemon would exit with now: a later one replaces it.
  let exitCodeFault: FaultEffectHandle | undefined;
  const kinds = [
    // It takes effect when the daemon exits on its own with the code, and the code is new.
    faultKind(DAEMON_EXIT_CODE, (f) => {
      const fault = world.faults.applying();
      const gone = daemon.gone();
      if (gone !== undefined) {
        world.record('faults', 'fault.no-effect', { kind: f.kind, reason: gone });
        return fault.miss(gone);
      }
      if (daemon.plannedExitCode === f.code) return fault.miss(`the daemon was to exit ${f.code} already`);
      exitCodeFault?.miss(`a later daemon-exit-code (at ${f.at} ms) replaced its code before the daemon exited`);
      exitCodeFault = fault;
      fault.miss('the daemon never exited on its own after it (a signal ended it, or it still ran when the run ended)');
      daemon.setExitCode(f.code, () => fault.hit(`${DAEMON_NAME} exited ${f.code}`));
    }),
    // It takes effect when result.toml is written (not once the daemon is gone or the final result is in).
    faultKind(INTERMEDIATE_RESULT, (f) => {
      const fault = world.faults.applying();
      let why: string | undefined;
      try {
        why = daemon.writeIntermediateResult(f.status, f.exitCode);
      } catch (e) {
        return failed(f, e);
      }
      if (why === undefined) return fault.hit(PATHS.result);
      world.record('faults', 'fault.no-effect', { kind: f.kind, reason: why });
      fault.miss(why);
    }),
    faultKind(SECOND_WAIT, () => startCaller(world.host(`wait${++extraWaits}`, fsOpts), 0)),
    faultKind(CAP_LENGTH, (f) => {
      const fault = world.faults.applying();
      if (f.capSecs === capSecs) return fault.miss(`the cap was ${capSecs} s already`);
      capFault?.fault.miss(`a later cap-length (at ${f.at} ms) replaced its cap before a wait resolved it`);
      capSecs = f.capSecs;
      capFault = { fault, capSecs: f.capSecs };
      fault.miss('no wait resolved its cap after it (each had started already)');
      try {
        writeCapConfig(config, f.capSecs);
      } catch (e) {
        failed(f, e);
      }
    }),
  ];
  for (const k of kinds) world.faults.define(k);
  world.schedule(scenario.faults);

  const r = await world.run(horizonMs(scenario));
  const truth = collectTruth(world, scenario, log, r.timeMs);
  return { history: world.trace.events, observed: observe(runs), truth };
}
