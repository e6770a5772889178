/**
 * `fixed`, the base: upstream as it is at #1445 (merge 80bd6f0e = beb1fd29 for #1442 +
 * 2e139ece for #1439), every slot filled; the other variants override a slot or two of it.
 * result.toml is authoritative over the daemon's packet, and a session still alive at the cap
 * gets a healthy KV-warm exit 0; 124 is left for a cap with nothing alive.
 */
import { defineBase } from '../../../sim/ports/index.ts';
import { EXIT_KV_WARM, EXIT_TIMEOUT, kvWarmMarker, retryWaitHint, timeoutDeadMarker } from '../completion.ts';
import type { WaitContext } from '../context.ts';
import { daemonPidIsAliveByStartTime, sessionHasTerminalProcess } from '../liveness.ts';
import type { WaitPolicy } from '../policy.ts';
import { isAlive } from '../toolLiveness.ts';

/**
 * The upstream gap of `fixed` found blind in a drawn world (issue 12; scenario
 * found/session-wait-fixed-wait-reuses-daemon-pid.json): the daemon dies, and in a PID space
 * that wraps a later `csa session wait --session S` gets its pid. `find_session_pid` test 1 asks
 * daemon.pid's pid and the cmdline, not its start ticks (spec §2), and the wait's own cmdline
 * names the session: the wait takes itself for the daemon, waits out the cap and says alive.
 * Only in a small or wrapping PID space, so swarm runs in the target's own world never see it;
 * `fixed-ticks` closes it.
 */
export const WAIT_TAKES_ITSELF_GAP = ['truthful-cap-exit', 'terminates'];

/** B6 since #1439: alive (a session process, or any ToolLiveness signal) means KV-warm exit 0. */
export function capExitKvWarm(ctx: WaitContext, elapsedSecs: number): number {
  const s = ctx.paths.id;
  const alive = sessionHasTerminalProcess(ctx) || isAlive(ctx);
  if (alive) {
    ctx.err(`Session ${s} still running after ${ctx.capSecs}s wait cap; returning so caller can warm its KV cache before re-waiting.`);
    ctx.err(kvWarmMarker(s, elapsedSecs, ctx.cd));
    ctx.err(retryWaitHint(s, ctx.cd, true));
    ctx.ports.log('wait.kv-warm', { elapsedSecs });
    return EXIT_KV_WARM;
  }
  // Defensive: nothing alive and no result (spec scenario 10: the daemon died after B4).
  ctx.err(`Timeout: session ${s} did not complete within ${ctx.capSecs}s and no live daemon process remains.`);
  ctx.err(timeoutDeadMarker(s, elapsedSecs, ctx.cd));
  ctx.ports.log('wait.timeout', { elapsedSecs, status: 'dead' });
  return EXIT_TIMEOUT;
}

export const fixed = defineBase<WaitPolicy>(
  'fixed',
  {
    // #1442: trust result.toml whenever the refresh succeeds; the packet is only a fallback.
    keepRefreshedResult: () => true,
    capExit: capExitKvWarm,
    daemonPidIsAlive: daemonPidIsAliveByStartTime,
    completedResultNeedsDeadDaemon: true,
    // find_session_pid test 1 asks the cmdline, not the start ticks (spec §2): WAIT_TAKES_ITSELF_GAP
    sessionPidChecksStartTime: false,
  },
  {
    summary: 'result.toml authoritative over the packet; alive at the cap gives KV-warm exit 0',
    source: 'RyderFreeman4Logos/cli-sub-agent PR #1445 (merge 80bd6f0e: beb1fd29 #1442, 2e139ece #1439)',
    // issue 12: a wait that gets the dead daemon's pid takes itself for the daemon (fixed-ticks closes it)
    expected: WAIT_TAKES_ITSELF_GAP,
  },
);
