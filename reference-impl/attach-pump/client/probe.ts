/**
 * `probe_execution_status` (litebox.rs): after a disconnect, a 5 s GET of the execution.
 * 200 completed|killed|timed_out → Terminal (`exit_code.unwrap_or(-1)`); 200 anything else →
 * StillRunning; 404 → Gone; anything else (timeout, network, 5xx, 409, auth) → Unavailable.
 */
import { CLIENT } from '../constants.ts';
import { readTotals, statusPath, type Totals } from '../wire.ts';
import type { ApiClient } from './api.ts';

export type Probe =
  | { kind: 'terminal'; exitCode: number; totals?: Totals }
  | { kind: 'running'; totals?: Totals }
  | { kind: 'gone' }
  | { kind: 'unavailable'; why: string };

const TERMINAL = ['completed', 'killed', 'timed_out'];

export async function probeExecutionStatus(api: ApiClient, box: string, id: string): Promise<Probe> {
  const r = await api.get(statusPath(box, id), CLIENT.probeTimeoutMs);
  if (!r.ok) return r.error.kind === 'NotFound' ? { kind: 'gone' } : { kind: 'unavailable', why: r.error.message };
  const totals = readTotals(r.body);
  if (TERMINAL.includes(String(r.body.status))) {
    const exitCode = Number.isInteger(r.body.exit_code) ? (r.body.exit_code as number) : -1;
    return totals ? { kind: 'terminal', exitCode, totals } : { kind: 'terminal', exitCode };
  }
  return totals ? { kind: 'running', totals } : { kind: 'running' };
}
