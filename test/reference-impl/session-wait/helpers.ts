/**
 * Test helpers for session-wait: whole scenarios through the target (`story`), and a bench that
 * lays out a session dir by hand and runs one `csa session wait` process on it (`bench`), for
 * the rules the daemon model never produces on its own (legacy records, zombies, a retired phase).
 */
import type { Fault } from '../../../sim/index.ts';
import type { Ports } from '../../../sim/ports/index.ts';
import { runScenario, type ScenarioRun } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { createWorld, type World } from '../../../sim/world.ts';
import { runOneWait, type WaitRun } from '../../../reference-impl/session-wait/caller.ts';
import type { RssSample, WaitContext } from '../../../reference-impl/session-wait/context.ts';
import { FlockTable } from '../../../reference-impl/session-wait/flock.ts';
import { formatState, GLOBAL_CONFIG, type SessionPaths } from '../../../reference-impl/session-wait/sessionFiles.ts';
import { target } from '../../../reference-impl/session-wait/target.ts';
import { PATHS, SESSION_ID } from '../../../reference-impl/session-wait/target/faults.ts';
import { classify, type WaitObserved, type WaitSeen } from '../../../reference-impl/session-wait/target/observe.ts';
import type { SessionTruth } from '../../../reference-impl/session-wait/target/truth.ts';
import type { SessionWaitWorkload } from '../../../reference-impl/session-wait/target/workload.ts';
import { VARIANTS } from '../../../reference-impl/session-wait/variants/index.ts';

export { PATHS, SESSION_ID };
export const S = SESSION_ID;

/** A plain story: one success at 2 s, exit 0 at 2.4 s; the caller waits from 0.5 s with a 240 s cap. */
export function workload(over: Partial<SessionWaitWorkload> = {}, wait: Partial<SessionWaitWorkload['wait']> = {}): SessionWaitWorkload {
  return {
    results: [{ atMs: 2_000, status: 'success', exitCode: 0 }],
    enrichedResults: true,
    exitAtMs: 2_400,
    exitCode: 0,
    stdout: [{ atMs: 1_000, bytes: 24 }],
    stderrEveryMs: 0,
    tool: null,
    mtimeGranularity: 'ns',
    rssMb: 100,
    ...over,
    wait: { startMs: 500, capSecs: 240, rewaitDelayMs: 0, memoryWarnMb: null, sampler: 'ok', ...wait },
  };
}

export function scenario(variant: string, w: SessionWaitWorkload, faults: Fault[] = [], seed = 1): Scenario<SessionWaitWorkload> {
  return { format: 1, target: 'session-wait', variant, seed, mode: 'safety', workload: w, faults, expect: 'pass' };
}

export interface StoryRun extends ScenarioRun {
  waits: WaitSeen[];
  truth: SessionTruth;
}

export async function story(variant: string, w: SessionWaitWorkload, faults: Fault[] = [], seed = 1): Promise<StoryRun> {
  const run = await runScenario(target, scenario(variant, w, faults, seed));
  return { ...run, waits: (run.outcome.observed as WaitObserved).waits, truth: run.outcome.truth as SessionTruth };
}

/** The marker lines of a wait's stderr (and stdout), without the long hints. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

export interface Bench {
  world: World;
  /** The host that lays out files and processes (the daemon's side). */
  daemon: Ports;
  wait: Ports;
  paths: SessionPaths;
  flocks: FlockTable;
}

/** A world with an empty Active session dir, the global config absent (so the cap is 240 s). */
export function bench(seed = 1, granularity: 'ns' | '1s' | '2s' = 'ns'): Bench {
  const world = createWorld({ seed, proc: { pidMin: 300, pidMax: 32_767 } });
  const fs = { fs: { mtimeGranularity: granularity } };
  return { world, daemon: world.host('daemon', fs), wait: world.host('wait', fs), paths: PATHS, flocks: new FlockTable() };
}

export async function layout(b: Bench, phase = 'Active'): Promise<void> {
  await b.daemon.fs.mkdir(b.paths.locks, { recursive: true });
  await b.daemon.fs.mkdir(`${b.paths.dir}/output`, { recursive: true });
  await b.daemon.fs.writeFile(b.paths.state, formatState(phase, 'codex'));
}

export async function setCap(p: Ports, capSecs: number): Promise<void> {
  await p.fs.mkdir(GLOBAL_CONFIG.slice(0, GLOBAL_CONFIG.lastIndexOf('/')), { recursive: true });
  await p.fs.writeFile(GLOBAL_CONFIG, `[kv_cache]\nlong_poll_seconds = ${capSecs}\n`);
}

export interface WaitOptions {
  memoryWarnMb?: number;
  sampleRssMb?: () => RssSample;
}

/** One wait process on the bench's `wait` host, as a caller runs it. */
export async function waitOnce(b: Bench, variant = 'fixed', o: WaitOptions = {}): Promise<WaitSeen> {
  const policy = VARIANTS[variant]?.slots;
  if (!policy) throw new Error(`no variant ${variant}`);
  const run: WaitRun = await runOneWait(
    b.wait,
    {
      paths: b.paths,
      policy,
      flocks: b.flocks,
      memoryWarnMb: o.memoryWarnMb,
      sampleRssMb: o.sampleRssMb ?? (() => ({ rssMb: 1 })),
      rewaitDelayMs: 0,
    },
    1,
  );
  return { ...run, verdict: classify(run) };
}

/** A WaitContext for calling liveness functions directly from the bench's `wait` host. */
export function probeContext(b: Bench, variant = 'fixed'): WaitContext {
  return {
    ports: b.wait,
    paths: b.paths,
    policy: VARIANTS[variant]?.slots as WaitContext['policy'],
    flocks: b.flocks,
    self: { pid: 1, startTimeTicks: 0 },
    cd: undefined,
    capSecs: 240,
    memoryWarnMb: undefined,
    sampleRssMb: () => ({ rssMb: 0 }),
    memo: new Map(),
    stopped: () => false,
    out: () => undefined,
    err: () => undefined,
    outRaw: () => undefined,
  };
}
