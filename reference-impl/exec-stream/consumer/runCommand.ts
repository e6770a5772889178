/**
 * One exec call as unified exec makes it: start the process on the exec-server, subscribe (the
 * subscriber-delay fault makes this late), consume with the variant's loop, report one outcome.
 */
import type { Ports } from '../../../sim/ports/index.ts';
import type { ExecClient } from '../client/execClient.ts';
import type { ConsumerPolicy } from '../policy.ts';
import type { StartParams } from '../protocol/wire.ts';
import type { ConsumerKnobs, ConsumerReport } from './report.ts';

export async function runCommand(
  ports: Ports,
  client: ExecClient,
  params: StartParams,
  policy: ConsumerPolicy,
  knobs: ConsumerKnobs,
  report: ConsumerReport,
): Promise<void> {
  let session;
  try {
    session = await client.start(params);
  } catch (e) {
    return report.result({ kind: 'failure', message: `process/start failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  ports.log('consumer.started', { processId: params.processId, sandboxType: session.sandboxType ?? null });
  if (knobs.subscribeDelayMs > 0) knobs.onDelayedSubscribe?.();
  await knobs.hold(ports.clock, ports.clock.now() + knobs.subscribeDelayMs, 'subscriber-delay');
  await policy.consume(ports.clock, ports.log, session, policy, knobs, report);
}
