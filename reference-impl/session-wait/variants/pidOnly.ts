/**
 * `pid-only`: `fixed` with `daemon_pid_is_alive` reduced to `kill(pid, 0)`, as before daemon.pid
 * carried the start time (spec §2). A reused pid answers the probe, so a dead session looks
 * alive: no completion branch runs, reconcile stays blocked, and every cap is a KV-warm exit.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { isProcessAlive, type DaemonPidRecord } from '../liveness.ts';
import type { WaitContext } from '../context.ts';
import { fixed } from './fixed.ts';

export function daemonPidIsAliveByKill(ctx: WaitContext, record: DaemonPidRecord): boolean {
  return isProcessAlive(ctx.ports.proc, record.pid);
}

export const pidOnly = defineVariant(
  'pid-only',
  fixed,
  { daemonPidIsAlive: daemonPidIsAliveByKill },
  {
    summary: 'daemon liveness by kill(pid, 0) alone, fooled by a reused pid',
    source: 'daemon.pid before start ticks (spec §2, daemon_pid_for_signal); the hang of spec scenario 5',
    expected: ['terminates', 'truthful-cap-exit'],
  },
);
