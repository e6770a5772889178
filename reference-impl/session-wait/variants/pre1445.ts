/**
 * `pre-1445`: v0.1.734 (5ab5e3ad), the first parent of the #1445 merge. Two differences from
 * `fixed`, the two commits of the PR reverted:
 * - #1442: after the refresh in B1, the result was kept only when result.toml was newer than
 *   daemon-completion.toml (851d0e8e, #796), or the mtimes tied with packet 0 and result non-zero.
 *   In the normal write order the packet is newer, so a daemon that exits non-zero after writing
 *   `success` reported a failure.
 * - #1439: the cap always exited 124, alive or not; callers read 124 as a failure.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { cdArg, EXIT_TIMEOUT, retryWaitHint } from '../completion.ts';
import type { WaitContext } from '../context.ts';
import { statIfExists, type CompletionPacket, type SessionResult } from '../sessionFiles.ts';
import { fixed } from './fixed.ts';

/** The mtime filter: an unreadable mtime or an older result.toml hands the decision to the packet. */
export function keepResultNewerThanPacket(ctx: WaitContext, result: SessionResult, packet: CompletionPacket): boolean {
  const r = statIfExists(ctx.ports.fs.sync, ctx.paths.result);
  const k = statIfExists(ctx.ports.fs.sync, ctx.paths.packet);
  if (r === undefined || k === undefined) return false;
  const keep = r.mtimeMs > k.mtimeMs || (r.mtimeMs === k.mtimeMs && packet.exitCode === 0 && result.exitCode !== 0);
  if (!keep) ctx.ports.log('wait.result-dropped', { resultMtimeMs: r.mtimeMs, packetMtimeMs: k.mtimeMs });
  return keep;
}

/** The cap before #1439: 124 whatever the session's state. */
export function capExitTimeout(ctx: WaitContext, elapsedSecs: number): number {
  const s = ctx.paths.id;
  const cap = ctx.capSecs;
  ctx.err(`Timeout: session ${s} did not complete within ${cap}s`);
  ctx.err(`<!-- CSA:SESSION_WAIT_TIMEOUT session=${s} elapsed=${elapsedSecs}s cmd="csa session wait --session ${s}${cdArg(ctx.cd)}" -->`);
  ctx.err(
    `Hint: Call \`csa session wait\` again individually (not in a tight loop script). The ${cap}s timeout is designed to let the calling agent generate tokens between waits, keeping its KV cache warm.`,
  );
  ctx.err(retryWaitHint(s, ctx.cd, false));
  ctx.ports.log('wait.timeout', { elapsedSecs });
  return EXIT_TIMEOUT;
}

export const pre1445 = defineVariant(
  'pre-1445',
  fixed,
  { keepRefreshedResult: keepResultNewerThanPacket, capExit: capExitTimeout },
  {
    summary: 'the mtime filter prefers the completion packet; the cap always exits 124',
    source: 'cli-sub-agent 5ab5e3ad (v0.1.734), first parent of #1445; issues #1442 and #1439',
    expected: ['no-false-failure', 'truthful-cap-exit'],
  },
);
