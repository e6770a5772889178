/**
 * `no-probe`: a naive client (spec scenario 3) that treats any disconnect, and a failed first
 * attach, as the end: it reports -1 with the cause at once, without asking the runner whether
 * the command is still running or already finished.
 */
import { AttachPump, type Next } from '../client/pump.ts';

export class NoProbePump extends AttachPump {
  protected override async onConnectFailure(cause: string): Promise<Next> {
    return { to: 'result', result: { exitCode: -1, errorMessage: cause } };
  }

  protected override async onDisconnect(cause: string): Promise<Next> {
    this.ports.log('pump.disconnect', { cause });
    return { to: 'result', result: { exitCode: -1, errorMessage: cause } };
  }
}
