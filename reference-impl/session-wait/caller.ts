/**
 * The caller: an agent that runs `csa session wait` as a process, reads its exit code and its
 * output, and re-waits after a KV-warm exit as the CALLER_HINT tells it to. Any other exit ends
 * its waiting (before #1439, a 124 read as a failure ended it too).
 */
import type { Ports, ProcessHandle } from '../../sim/ports/index.ts';
import type { RssSample, WaitContext } from './context.ts';
import type { FlockTable } from './flock.ts';
import type { WaitPolicy } from './policy.ts';
import type { SessionPaths } from './sessionFiles.ts';
import { resolveDaemonWaitTimeoutSecs } from './waitConfig.ts';
import { sessionWait } from './waitLoop.ts';

/** One `csa session wait` process as its caller saw it. */
export interface WaitRun {
  host: string;
  attempt: number;
  pid: number;
  startedAt: number;
  endedAt: number;
  capSecs: number;
  /** null when the wait process was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface CallerOptions {
  paths: SessionPaths;
  policy: WaitPolicy;
  flocks: FlockTable;
  memoryWarnMb: number | undefined;
  sampleRssMb: () => RssSample;
  /** Think time before a re-wait. */
  rewaitDelayMs: number;
  cd?: string;
  /** A test double's `LOCK_FILE_STALE_SECS` in ms (issue 12); the source's 60 s when absent. */
  lockFileStaleMs?: number;
  /** Told the cap each wait resolves (a `cap-length` fault's effect is a wait resolving its cap). */
  onCap?: (capSecs: number) => void;
}

export const WAIT_PROCESS_NAME = 'csa-wait';

export function isKvWarmExit(run: Pick<WaitRun, 'exitCode' | 'stderr'>): boolean {
  return run.exitCode === 0 && run.stderr.includes('<!-- CSA:SESSION_WAIT_KV_WARM ');
}

/**
 * One wait process's context: a class, so a wait costs one object and no closure per method
 * (the loop asks `stopped` every poll).
 */
class WaitProcessContext implements WaitContext {
  readonly memo = new Map<string, unknown>();
  readonly self: { pid: number; startTimeTicks: number };
  readonly paths: SessionPaths;
  readonly policy: WaitPolicy;
  readonly flocks: FlockTable;
  readonly cd: string | undefined;
  readonly memoryWarnMb: number | undefined;
  readonly sampleRssMb: () => RssSample;
  readonly lockFileStaleMs?: number;
  constructor(
    readonly ports: Ports,
    private readonly p: ProcessHandle,
    opts: CallerOptions,
    readonly capSecs: number,
  ) {
    this.self = { pid: p.pid, startTimeTicks: p.startTimeTicks };
    this.paths = opts.paths;
    this.policy = opts.policy;
    this.flocks = opts.flocks;
    this.cd = opts.cd;
    this.memoryWarnMb = opts.memoryWarnMb;
    this.sampleRssMb = opts.sampleRssMb;
    if (opts.lockFileStaleMs !== undefined) this.lockFileStaleMs = opts.lockFileStaleMs;
  }
  stopped(): boolean {
    return this.p.exitStatus !== undefined;
  }
  out(line: string): void {
    this.p.write('stdout', line + '\n');
  }
  err(line: string): void {
    this.p.write('stderr', line + '\n');
  }
  outRaw(text: string): void {
    this.p.write('stdout', text);
  }
}

export async function runOneWait(ports: Ports, opts: CallerOptions, attempt: number): Promise<WaitRun> {
  const { proc, clock, fs } = ports;
  const p = proc.spawn({ name: WAIT_PROCESS_NAME, cmdline: `csa session wait --session ${opts.paths.id}` });
  let stdout = '';
  let stderr = '';
  let exitedAt: number | undefined;
  p.on('exit', () => {
    exitedAt = clock.now();
  });
  p.on('output', (stream, chunk) => {
    // decoded in place (a view, not a copy of the chunk)
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
    if (stream === 'stdout') stdout += text;
    else stderr += text;
  });
  const startedAt = clock.now();
  const capSecs = resolveDaemonWaitTimeoutSecs(fs.sync, (line) => p.write('stderr', line + '\n'));
  opts.onCap?.(capSecs);
  const code = await sessionWait(new WaitProcessContext(ports, p, opts, capSecs));
  if (code !== null && p.exitStatus === undefined) p.exit(code);
  const exitCode = p.exitStatus?.code ?? null;
  return { host: ports.host, attempt, pid: p.pid, startedAt, endedAt: exitedAt ?? clock.now(), capSecs, exitCode, stdout, stderr };
}

/** Waits, and re-waits after each KV-warm exit (or a killed wait), until a terminal exit. */
export async function runCaller(ports: Ports, opts: CallerOptions, onRun: (run: WaitRun) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const run = await runOneWait(ports, opts, attempt);
    onRun(run);
    if (!isKvWarmExit(run) && run.exitCode !== null) return;
    if (opts.rewaitDelayMs > 0) await ports.clock.sleep(opts.rewaitDelayMs, 'think');
  }
}
