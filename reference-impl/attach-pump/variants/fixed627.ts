/**
 * `fixed-627`: PR #627 (fork 5da30b52, closed upstream without merge). On a disconnect followed by
 * a Terminal probe, re-attach once, immediately (no backoff), so the runner replays its backlog and
 * the pump leaves through the runner's authoritative exit frame. A session-wide flag bounds it to
 * one attempt; a failed connect (404 evicted, 409 old loop still attached, network) or a second
 * Terminal falls back to the probed code, so a runner that never sends exit cannot hang the pump.
 * Known limits (its own PR text): the replay restarts at the backlog head, so bytes already
 * delivered arrive twice; and a 409 on the one drain attempt loses the output again.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import type { PumpPolicy } from '../policy.ts';
import { pre627 } from './pre627.ts';

const onTerminal: PumpPolicy['onTerminal'] = async (p, probe) => {
  if (!p.memory.drainAttempted) {
    p.memory.drainAttempted = true;
    p.ports.log('pump.drain-attach', {});
    const c = await p.connect();
    if (c.ok) return { to: 'session', socket: c.socket };
  }
  return { to: 'result', result: { exitCode: probe.exitCode } };
};

export const fixed627 = defineVariant(
  'fixed-627',
  pre627,
  { onTerminal },
  {
    summary: 'PR #627: one immediate drain re-attach on Terminal; replays from the backlog head (duplicates), loses output on a 409 drain',
    source: 'G4614/boxlite 5da30b52 (fork PR #3 = boxlite-ai/boxlite PR #627, closed without merge)',
    expected: ['no-lost-output', 'no-duplicate-output', 'no-false-success', 'no-false-failure'],
  },
);
