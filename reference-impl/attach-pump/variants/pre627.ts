/**
 * `pre-627`, the base: the pump's decisions upstream as it is, the parent of 5da30b52
 * (litebox.rs `attach_ws_pump`; upstream HEAD keeps this Terminal path, with #804 and #852 on
 * top), every slot filled; the other variants override a slot or a few of it.
 * - The first connect failing goes straight to `emit_or_fallback`.
 * - A disconnect probes: Terminal → the probed code is the result (the runner's backlog is never
 *   read again: #627); Gone → `emit_or_fallback`; StillRunning/Unavailable → reconnect loop.
 * - Any reconnect failure (404 included) is retried until the budget is spent.
 * - `emit_or_fallback`: a fresh probe; Terminal → {probed code, no error} (at 5da30b52; #804
 *   later adds the cause), else {-1, cause}.
 * - Output is decoded per frame with `from_utf8_lossy`; gap frames are unknown text frames.
 * - The 45 s watchdog bounds every read once a frame has been seen; a timed-out socket is closed
 *   (1001) before the probe.
 */
import { defineBase } from '../../../sim/ports/index.ts';
import { lossy } from '../client/pump.ts';
import type { PumpPolicy } from '../policy.ts';
import { attachPath } from '../wire.ts';

export const pre627 = defineBase<PumpPolicy>(
  'pre-627',
  {
    attachPath: (p) => attachPath(p.box, p.execId),
    onConnectFailure: async (_p, cause) => ({ to: 'fallback', cause }),
    onDisconnect: async (p, cause) => {
      p.ports.log('pump.disconnect', { cause });
      const probe = await p.probe();
      if (probe.kind === 'terminal') return p.policy.onTerminal(p, probe, cause);
      if (probe.kind === 'gone') return { to: 'fallback', cause };
      return { to: 'reconnect', cause };
    },
    onTerminal: async (_p, probe) => ({ to: 'result', result: { exitCode: probe.exitCode } }),
    onExitFrame: async (_p, end) => ({ to: 'result', result: { exitCode: end.exitCode } }),
    retries: async () => true,
    emitOrFallback: async (p, cause) => {
      const probe = await p.probe();
      if (probe.kind === 'terminal') return { exitCode: probe.exitCode };
      return { exitCode: -1, errorMessage: cause };
    },
    onOutput: (p, f) => {
      p.sink.output(f.stream, lossy(f.data));
      return undefined;
    },
    onGap: () => undefined,
    watchdogMs: (_p, configured) => configured,
    onReadTimeout: (_p, socket) => socket.close(1001, 'client dropped the socket'),
  },
  {
    summary: 'upstream before PR #627: a cut then a Terminal probe emits the probed code and drops the backlog',
    source:
      'G4614/boxlite parent of 5da30b52 (litebox.rs attach_ws_pump); upstream HEAD keeps this Terminal path, with #804 and #852 on top',
    expected: ['no-lost-output', 'no-duplicate-output', 'no-false-success', 'no-false-failure'],
  },
);
