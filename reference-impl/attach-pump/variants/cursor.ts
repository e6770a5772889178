/**
 * `cursor`: our answer to boxlite #1046, built on PR #627. The client keeps a byte cursor per
 * stream (bytes delivered so far) and attaches with it; the runner resumes each stream at its
 * cursor and sends positioned frames, so a re-attach neither repeats nor skips bytes. A cursor
 * older than the runner's backlog is answered with an explicit gap frame, which the client hands
 * to its user as a gap notice. The exit frame and the status carry each stream's length, so the
 * client knows when it has everything:
 * - an exit frame or a Terminal probe with every byte delivered → the result, at once;
 * - bytes missing → drain: one immediate re-attach (as #627), then the ordinary reconnect loop
 *   (409s are retried, unlike #627); a 404 that the status confirms means evicted: the result
 *   carries an explicit error and gap notices name the missing ranges;
 * - the first attach failing (#804, #1546) is handled like any disconnect, never a silent exit;
 * - a live frame that skips bytes (the runner's channel overflowed) ends the session, and the
 *   re-attach fetches the skipped bytes from the backlog.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import type { AttachPump, ExecResult, Next } from '../client/pump.ts';
import type { PumpPolicy } from '../policy.ts';
import { attachPath, STREAMS, type Totals } from '../wire.ts';
import { pre627 } from './pre627.ts';

const slots: Partial<PumpPolicy> = {
  attachPath: (p) => attachPath(p.box, p.execId, p.memory.cursor),

  // the first attach failing is any other disconnect
  onConnectFailure: async (p, cause) => p.policy.onDisconnect(p, cause),

  onTerminal: async (p, probe, cause) => {
    if (complete(p, probe.totals)) return { to: 'result', result: { exitCode: probe.exitCode } };
    return drain(p, probe.exitCode, probe.totals, cause);
  },

  onExitFrame: async (p, end) => {
    if (complete(p, end.totals)) return { to: 'result', result: { exitCode: end.exitCode } };
    return drain(p, end.exitCode, end.totals, 'exit frame before every byte arrived');
  },

  /** A 404 on the upgrade may come from a proxy: only a 404 on the status too means evicted. */
  retries: async (p, c) => c.error.kind !== 'NotFound' || (await p.probe()).kind !== 'gone',

  emitOrFallback: async (p, cause) => {
    const probe = await p.probe();
    if (probe.kind !== 'terminal') return { exitCode: -1, errorMessage: cause };
    if (complete(p, probe.totals)) return { exitCode: probe.exitCode };
    return incomplete(p, probe.exitCode, probe.totals, cause);
  },

  onOutput: (p, f) => {
    if (f.offset === undefined) return 'unpositioned output on a cursor attach';
    const at = p.memory.cursor[f.stream];
    if (f.offset > at) return `live ${f.stream} skipped bytes ${at}-${f.offset - 1} (the runner dropped them)`;
    const skip = at - f.offset;
    if (skip >= f.data.length) return undefined;
    const data = skip > 0 ? f.data.subarray(skip) : f.data;
    p.sink.output(f.stream, data, at);
    p.memory.cursor[f.stream] = at + data.length;
    return undefined;
  },

  onGap: (p, f) => {
    const at = p.memory.cursor[f.stream];
    if (f.to <= at) return;
    p.sink.notice('gap', f.stream, `bytes ${at}-${f.to - 1} of ${f.stream} expired from the runner's backlog`);
    p.ports.log('pump.gap', { stream: f.stream, from: at, to: f.to });
    p.memory.cursor[f.stream] = f.to;
  },
};

async function drain(p: AttachPump, exitCode: number, totals: Totals | undefined, cause: string): Promise<Next> {
  if (!p.memory.drainAttempted) {
    p.memory.drainAttempted = true;
    p.ports.log('pump.drain-attach', { cursor: { ...p.memory.cursor } });
    const c = await p.connect();
    if (c.ok) return { to: 'session', socket: c.socket };
    if (!(await p.policy.retries(p, c)))
      return { to: 'result', result: incomplete(p, exitCode, totals, 'execution evicted before its output was drained') };
  }
  return { to: 'reconnect', cause };
}

function complete(p: AttachPump, totals: Totals | undefined): boolean {
  return totals !== undefined && STREAMS.every((s) => p.memory.cursor[s] >= totals[s]);
}

/** The probed code, with every missing range named: lost output is never silent. */
function incomplete(p: AttachPump, exitCode: number, totals: Totals | undefined, why: string): ExecResult {
  const cursor = p.memory.cursor;
  for (const s of STREAMS) {
    const total = totals?.[s];
    if (total === undefined) p.sink.notice('gap', s, `${s} may be incomplete after byte ${cursor[s]}: ${why}`);
    else if (total > cursor[s]) p.sink.notice('gap', s, `bytes ${cursor[s]}-${total - 1} of ${s} never arrived: ${why}`);
  }
  return { exitCode, errorMessage: `output incomplete: ${why}` };
}

export const cursor = defineVariant('cursor', pre627, slots, {
  summary: 'byte cursors per stream on attach, resume from the cursor, explicit gaps for expired cursors (#1046)',
  source: 'boxlite-ai/boxlite issue #1046 (open): our candidate fix, built on PR #627',
  expected: 'pass',
});
