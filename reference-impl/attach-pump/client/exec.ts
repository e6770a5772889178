/**
 * `RestBox::exec` (litebox.rs): create the execution with a POST, then run the attach pump with
 * the chosen variant's policy. A failed POST is an error to the caller (the command never ran).
 */
import type { Ports } from '../../../sim/ports/index.ts';
import { BOX_ID } from '../constants.ts';
import type { PumpPolicy } from '../policy.ts';
import { ApiClient } from './api.ts';
import { AttachPump, type ExecSink, type PumpTimers } from './pump.ts';

export async function runExec(ports: Ports, policy: PumpPolicy, command: string, sink: ExecSink, timers: PumpTimers = {}): Promise<void> {
  const api = new ApiClient(ports);
  const created = await api.exec(BOX_ID, command);
  if (!created.ok) {
    ports.log('exec.failed', { error: created.error.message });
    sink.result({ exitCode: -1, errorMessage: `exec failed: ${created.error.message}` });
    return;
  }
  ports.log('exec.created', { execution: created.id });
  await new AttachPump(ports, api, BOX_ID, created.id, sink, policy, timers).run();
}
