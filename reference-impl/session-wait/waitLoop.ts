/**
 * `csa session wait` (spec §5, the #1445 state): take `.wait.lock`, then poll once a second.
 * Each iteration runs, in this order: B1 the daemon's completion packet, B2 a completed
 * result, B3 reconcile, B4 the dead-daemon exit, B5 the memory sample, B6 the cap, B7 sleep.
 * An error escaping the loop (an unparsable packet, a refresh failure once the daemon is dead)
 * is fatal: `Error: ...` on stderr, exit 1.
 */
import { StacklessError } from '../../sim/ports/index.ts';
import { complete, EXIT_FAILURE, EXIT_MEMORY_WARN, memoryWarnMarker } from './completion.ts';
import type { WaitContext } from './context.ts';
import { sessionHasTerminalProcess } from './liveness.ts';
import { ensureTerminalResultForDeadActiveSession } from './reconcile.ts';
import { loadCompletedDaemonResultWithFallback, refreshResultForWait, retireIfDeadWithResult } from './resultLoader.ts';
import { parsePacket, readIfExists, type CompletionPacket, type SessionResult } from './sessionFiles.ts';
import { isAlive } from './toolLiveness.ts';
import { releaseSessionWaitLock, tryAcquireSessionWaitLock } from './waitLock.ts';

export const POLL_INTERVAL_MS = 1_000;
export const MEMORY_SAMPLE_INTERVAL_MS = 15_000;

/** Thrown when the wait's own process was killed while it slept. */
class WaitProcessGone extends StacklessError {}

/** The wait's exit code, or null when its process was killed. */
export async function sessionWait(ctx: WaitContext): Promise<number | null> {
  const session = ctx.paths.id;
  try {
    if (!tryAcquireSessionWaitLock(ctx)) {
      ctx.err(
        `ERROR: another csa session wait is already running for session ${session} (lock held). The existing wait will notify you on completion. Do NOT re-issue.`,
      );
      ctx.ports.log('wait.lock-held', {});
      return EXIT_FAILURE;
    }
    try {
      return await pollUntilTerminal(ctx);
    } finally {
      releaseSessionWaitLock(ctx);
    }
  } catch (e) {
    if (e instanceof WaitProcessGone) return null;
    const message = e instanceof Error ? e.message : String(e);
    ctx.err(`Error: ${message}`);
    ctx.ports.log('wait.fatal', { message });
    return EXIT_FAILURE;
  }
}

function loadDaemonCompletionPacket(ctx: WaitContext): CompletionPacket | undefined {
  const text = readIfExists(ctx.ports.fs.sync, ctx.paths.packet);
  return text === undefined ? undefined : parsePacket(text, ctx.paths.packet);
}

/** B1: the daemon is gone and left its packet. result.toml, when it loads, is authoritative (#1442). */
function completeFromPacket(ctx: WaitContext, packet: CompletionPacket): number {
  let refreshed: SessionResult | undefined;
  try {
    refreshed = refreshResultForWait(ctx);
  } catch (e) {
    ctx.ports.log('wait.refresh-failed', { message: e instanceof Error ? e.message : String(e) });
  }
  const refreshedAvailable = refreshed !== undefined;
  let loaded = refreshed !== undefined && ctx.policy.keepRefreshedResult(ctx, refreshed, packet) ? refreshed : undefined;
  let synthetic = false;
  if (refreshedAvailable) retireIfDeadWithResult(ctx);
  else {
    const reconciled = ensureTerminalResultForDeadActiveSession(ctx);
    synthetic = reconciled.synthetic;
    if (reconciled.resultBecameAvailable) loaded = loadCompletedDaemonResultWithFallback(ctx);
  }
  return complete(ctx, { fallback: packet, synthetic, result: loaded });
}

async function pollUntilTerminal(ctx: WaitContext): Promise<number> {
  const { clock } = ctx.ports;
  const start = clock.now();
  const memoryLimitMb = ctx.memoryWarnMb !== undefined && ctx.memoryWarnMb > 0 ? ctx.memoryWarnMb : undefined;
  let nextSampleAt = memoryLimitMb !== undefined ? start + MEMORY_SAMPLE_INTERVAL_MS : undefined;
  for (;;) {
    ctx.memo.clear();
    // B1
    const packet = loadDaemonCompletionPacket(ctx);
    if (packet && !sessionHasTerminalProcess(ctx)) return completeFromPacket(ctx, packet);
    // B2
    const result = loadCompletedDaemonResultWithFallback(ctx);
    if (result) return complete(ctx, { fallback: result, synthetic: false, result });
    // B3
    const reconciled = ensureTerminalResultForDeadActiveSession(ctx);
    if (reconciled.resultBecameAvailable) {
      const late = loadCompletedDaemonResultWithFallback(ctx);
      if (late) return complete(ctx, { fallback: late, synthetic: reconciled.synthetic, result: late, noteSynthesized: true });
    }
    // B4
    if (!sessionHasTerminalProcess(ctx)) {
      const last = loadCompletedDaemonResultWithFallback(ctx);
      if (last) return complete(ctx, { fallback: last, synthetic: false, result: last });
      if (!isAlive(ctx)) {
        ctx.err(`Session ${ctx.paths.id} has no live daemon process and no terminal result packet.`);
        ctx.err(`Run \`csa session result --session ${ctx.paths.id}\` for diagnostics.`);
        ctx.ports.log('wait.dead-no-result', {});
        return EXIT_FAILURE;
      }
    }
    // The checks above and the cap below are not one atomic step: other processes run in
    // between (spec scenario 10, a daemon dying between B4 and B6).
    await clock.sleep(0, 'wait-iteration');
    if (ctx.stopped()) throw new WaitProcessGone('the wait process was killed');
    ctx.memo.clear();
    // B5
    if (memoryLimitMb !== undefined && nextSampleAt !== undefined && clock.now() >= nextSampleAt) {
      const sample = ctx.sampleRssMb();
      if ('rssMb' in sample) {
        if (sample.rssMb > memoryLimitMb) {
          ctx.out(memoryWarnMarker(ctx.paths.id, sample.rssMb, memoryLimitMb));
          ctx.ports.log('wait.memory-warn', { rssMb: sample.rssMb, limitMb: memoryLimitMb });
          return EXIT_MEMORY_WARN;
        }
        nextSampleAt = clock.now() + MEMORY_SAMPLE_INTERVAL_MS;
      } else nextSampleAt = sample.error === 'unsupported' ? undefined : clock.now() + MEMORY_SAMPLE_INTERVAL_MS;
    }
    // B6: `elapsed` in whole seconds, truncated
    const elapsedSecs = Math.floor((clock.now() - start) / 1000);
    if (elapsedSecs >= ctx.capSecs) return ctx.policy.capExit(ctx, elapsedSecs);
    // B7
    await clock.sleep(POLL_INTERVAL_MS, 'poll');
    if (ctx.stopped()) throw new WaitProcessGone('the wait process was killed');
  }
}
