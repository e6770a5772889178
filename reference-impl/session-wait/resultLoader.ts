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
export async function refreshResultForWait(ctx: WaitContext): Promise<SessionResult | undefined> {
  const { fs } = ctx.ports;
  const p = ctx.paths;
  const text = await readIfExists(fs, p.result);
  if (text === undefined) return undefined;
  const result = parseResult(text, p.result);
  if (result.eventsCount === undefined) {
    const events = await readIfExists(fs, p.acpEvents);
    if (events !== undefined) {
      result.eventsCount = events.split('\n').filter((l) => l.length > 0).length;
      await writeAtomic(fs, p.result, formatResult(result));
      ctx.ports.log('wait.refresh-enriched', { eventsCount: result.eventsCount });
    }
  }
  return result;
}

/** `load_completed_daemon_result`: a refreshed result, only when the daemon is dead before and after. */
async function loadCompletedDaemonResult(ctx: WaitContext): Promise<SessionResult | undefined> {
  const aliveAtRefreshStart = await sessionHasTerminalProcess(ctx);
  let result: SessionResult | undefined;
  try {
    result = await refreshResultForWait(ctx);
  } catch (e) {
    if (aliveAtRefreshStart) return undefined; // a transient refresh failure while the daemon works
    throw e;
  }
  if (result === undefined) return undefined;
  if (ctx.policy.completedResultNeedsDeadDaemon && (aliveAtRefreshStart || (await sessionHasTerminalProcess(ctx)))) return undefined;
  return result;
}

async function loadOutputResultFallback(ctx: WaitContext): Promise<SessionResult | undefined> {
  const text = await readIfExists(ctx.ports.fs, ctx.paths.outputResult);
  return text === undefined ? undefined : parseResult(text, ctx.paths.outputResult);
}

export async function loadCompletedDaemonResultWithFallback(ctx: WaitContext): Promise<SessionResult | undefined> {
  const result = await loadCompletedDaemonResult(ctx);
  if (result) return result;
  if (!(await sessionHasTerminalProcess(ctx))) {
    const fallback = await loadOutputResultFallback(ctx);
    if (fallback) ctx.ports.log('wait.output-result-fallback', { status: fallback.status });
    return fallback;
  }
  return undefined;
}

/** `retire_if_dead_with_result`: a dead Active session with a result moves to Retired. */
export async function retireIfDeadWithResult(ctx: WaitContext): Promise<void> {
  const { fs } = ctx.ports;
  const p = ctx.paths;
  if (await sessionHasTerminalProcess(ctx)) return;
  const state = await readUsuallyPresent(fs, p.state);
  if (state === undefined || !(await fs.exists(p.result))) return;
  const { phase, tool } = parseState(state, p.state);
  if (phase === 'Active') await fs.writeFile(p.state, formatState('Retired', tool));
}
