/**
 * `no-probe`: a naive client (spec scenario 3) that treats any disconnect, and a failed first
 * attach, as the end: it reports -1 with the cause at once, without asking the runner whether
 * the command is still running or already finished.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { pre627 } from './pre627.ts';

export const noProbe = defineVariant(
  'no-probe',
  pre627,
  {
    onConnectFailure: async (_p, cause) => ({ to: 'result', result: { exitCode: -1, errorMessage: cause } }),
    onDisconnect: async (p, cause) => {
      p.ports.log('pump.disconnect', { cause });
      return { to: 'result', result: { exitCode: -1, errorMessage: cause } };
    },
  },
  {
    summary: 'a naive client: any disconnect (or a failed first attach) is reported as -1 with the cause',
    source: 'spec scenario 3 (a client that bails on the disconnect)',
    // the runner's silent live-channel drops reach it too, behind a clean exit frame
    expected: ['no-false-failure', 'no-lost-output', 'no-false-success'],
  },
);
