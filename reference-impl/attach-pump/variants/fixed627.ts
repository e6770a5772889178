/**
 * `fixed-627`: PR #627 (fork 5da30b52, closed upstream without merge). On a disconnect followed by
 * a Terminal probe, re-attach once, immediately (no backoff), so the runner replays its backlog and
 * the pump leaves through the runner's authoritative exit frame. A session-wide flag bounds it to
 * one attempt; a failed connect (404 evicted, 409 old loop still attached, network) or a second
 * Terminal falls back to the probed code, so a runner that never sends exit cannot hang the pump.
 * Known limits (its own PR text): the replay restarts at the backlog head, so bytes already
 * delivered arrive twice; and a 409 on the one drain attempt loses the output again.
 */
import { AttachPump, type Next, type Terminal } from '../client/pump.ts';

export class Fixed627Pump extends AttachPump {
  private terminalDrainAttempted = false;

  protected override async onTerminal(probe: Terminal, _cause: string): Promise<Next> {
    if (!this.terminalDrainAttempted) {
      this.terminalDrainAttempted = true;
      this.ports.log('pump.drain-attach', {});
      const c = await this.connect();
      if (c.ok) return { to: 'session', socket: c.socket };
    }
    return { to: 'result', result: { exitCode: probe.exitCode } };
  }
}
