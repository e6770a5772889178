/**
 * Loading the session's result (spec §5 B2): refresh result.toml (which may rewrite it with an
 * enriched `events_count`), trust it only once no session process remains, and fall back to
 * the tool's own `output/result.toml` (#1370) when result.toml is missing and the daemon is
 * dead. A refresh error is ignored while the daemon is alive and fatal once it is dead.
 */
import type { WaitContext } from './context.ts';
import { sessionHasTerminalProcess } from './liveness.ts';
import {
  formatResult,
  formatState,
  parseResult,
  parseState,
  readIfExists,
  readUsuallyPresent,
  writeAtomic,
  type SessionResult,
} from './sessionFiles.ts';

/**
 * `refresh_and_repair_result`: the current result.toml, enriched with `events_count` from
 * `output/acp-events.jsonl` when it lacks one (then rewritten, which moves its mtime: the
 * UNCONFIRMED enrichment path of spec §6a). Throws on a file that does not parse.
 */
export function refreshResultForWait(ctx: WaitContext): SessionResult | undefined {
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  const text = readIfExists(fs, p.result);
  if (text === undefined) return undefined;
  const result = parseResult(text, p.result);
  if (result.eventsCount === undefined) {
    const events = readIfExists(fs, p.acpEvents);
    if (events !== undefined) {
      result.eventsCount = events.split('\n').filter((l) => l.length > 0).length;
      writeAtomic(fs, p.result, formatResult(result));
      ctx.ports.log('wait.refresh-enriched', { eventsCount: result.eventsCount });
    }
  }
  return result;
}

/** `load_completed_daemon_result`: a refreshed result, only when the daemon is dead before and after. */
function loadCompletedDaemonResult(ctx: WaitContext): SessionResult | undefined {
  const aliveAtRefreshStart = sessionHasTerminalProcess(ctx);
  let result: SessionResult | undefined;
  try {
    result = refreshResultForWait(ctx);
  } catch (e) {
    if (aliveAtRefreshStart) return undefined; // a transient refresh failure while the daemon works
    throw e;
  }
  if (result === undefined) return undefined;
  if (ctx.policy.completedResultNeedsDeadDaemon && (aliveAtRefreshStart || sessionHasTerminalProcess(ctx))) return undefined;
  return result;
}

function loadOutputResultFallback(ctx: WaitContext): SessionResult | undefined {
  const text = readIfExists(ctx.ports.fs.sync, ctx.paths.outputResult);
  return text === undefined ? undefined : parseResult(text, ctx.paths.outputResult);
}

export function loadCompletedDaemonResultWithFallback(ctx: WaitContext): SessionResult | undefined {
  const result = loadCompletedDaemonResult(ctx);
  if (result) return result;
  if (!sessionHasTerminalProcess(ctx)) {
    const fallback = loadOutputResultFallback(ctx);
    if (fallback) ctx.ports.log('wait.output-result-fallback', { status: fallback.status });
    return fallback;
  }
  return undefined;
}

/** `retire_if_dead_with_result`: a dead Active session with a result moves to Retired. */
export function retireIfDeadWithResult(ctx: WaitContext): void {
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  if (sessionHasTerminalProcess(ctx)) return;
  const state = readUsuallyPresent(fs, p.state);
  if (state === undefined || !fs.exists(p.result)) return;
  const { phase, tool } = parseState(state, p.state);
  if (phase === 'Active') fs.writeFile(p.state, formatState('Retired', tool));
}
