/**
 * The consumer before #30273 (spec §3.1, `spawn_exec_server_output_task`): notifications only
 * raise a wake counter; every wake costs a `process/read` from the cursor, which is the source
 * of truth, and completion needs a final read that says `closed`. Loss is possible only when
 * the server's retention evicted output before the read, and it goes unnoticed.
 */
import type { Clock, Log } from '../../../sim/ports/index.ts';
import type { Session } from '../client/session.ts';
import { fromBase64 } from '../protocol/wire.ts';
import type { ConsumerPolicy } from '../policy.ts';
import { ProcessState, type ConsumerKnobs, type ConsumerReport } from './report.ts';

export async function pollConsumer(
  clock: Clock,
  _log: Log,
  session: Session,
  policy: ConsumerPolicy,
  knobs: ConsumerKnobs,
  report: ConsumerReport,
): Promise<void> {
  const state = new ProcessState();
  const wake = session.subscribeWake();
  let cursor: number | null = null;
  for (;;) {
    await knobs.hold(clock, knobs.stalledUntil(clock.now()), 'consumer-stall');
    let r;
    try {
      r = await session.read(cursor, null, 0);
    } catch (e) {
      state.failure = e instanceof Error ? e.message : String(e);
      return report.result(state.outcome(policy.strict));
    }
    for (const c of r.chunks) report.output(c.seq, c.stream, fromBase64(c.chunk));
    if (r.failure !== null) {
      state.failure = r.failure;
      return report.result(state.outcome(policy.strict));
    }
    if (r.exited) {
      state.exitCode = r.exitCode;
      state.sandboxDenied = r.sandboxDenied ?? false;
    }
    if (r.closed) return report.result(state.outcome(policy.strict));
    cursor = r.nextSeq === 0 ? null : r.nextSeq - 1;
    if (!(await wake.changed())) {
      state.failure = 'exec-server wake channel closed';
      return report.result(state.outcome(policy.strict));
    }
  }
}
