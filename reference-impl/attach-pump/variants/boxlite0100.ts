/**
 * `boxlite-0-10-0`: the client as it ships on npm (`@boxlite-ai/boxlite` 0.10.0, its native
 * `attach_ws_pump`), used through `SimpleBox.exec` as a user would, and as `execsim validate
 * --client boxlite@0.10.0` drives it. Its Terminal path is upstream's (#627 never merged), so it
 * differs from the base only where the real client was seen to (shared/specs/real-clients-observed.md):
 * - **The watchdog never fires** once a frame has been seen: since #852 the pump pings every
 *   15 s, and that tick re-arms the read, so the 45 s watchdog always loses. A black-holed
 *   socket (no frames, no pongs, no close) hangs it with no result; only the 10 s first-frame
 *   timeout is left.
 * - **The old socket is kept** when a read times out: the pump probes and sleeps through its
 *   backoff without closing it, and no one reads it any more (no pongs), so the runner still
 *   holds the attach slot and the first re-attach gets 409 until the runner's 45 s read deadline
 *   frees it.
 * - **errorMessage is lost**: the pump's result carries the cause (#804), but `SimpleBox.exec`
 *   returns only `{exitCode, stdout, stderr}`. A refused upgrade (502) after the command finished
 *   becomes a silent `{0, ""}` (the Terminal fallback, as the base), and a failure a bare -1.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import type { PumpPolicy } from '../policy.ts';
import { pre627 } from './pre627.ts';

const slots: Partial<PumpPolicy> = {
  watchdogMs: () => undefined,
  onReadTimeout: (p, socket) => p.ports.log('pump.socket-kept', { socket: socket.id }),
  emitOrFallback: async (p) => {
    const probe = await p.probe();
    return { exitCode: probe.kind === 'terminal' ? probe.exitCode : -1 };
  },
};

export const boxlite0100 = defineVariant('boxlite-0-10-0', pre627, slots, {
  summary:
    '@boxlite-ai/boxlite 0.10.0 through SimpleBox: no watchdog after the first frame, a timed-out socket kept through the backoff, errorMessage dropped',
  source:
    'npm @boxlite-ai/boxlite 0.10.0 (native attach_ws_pump, dist/simplebox.js), observed against real loopback runs (validate --client)',
  // a bare -1 (SimpleBox dropped the cause) where the command exited otherwise is a lie: truthful-exit
  expected: ['no-lost-output', 'no-duplicate-output', 'no-false-success', 'no-false-failure', 'truthful-exit', 'terminates'],
});
