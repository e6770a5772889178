/**
 * `cursor`: our answer to boxlite #1046, built on PR #627. The client keeps a byte cursor per
 * stream (bytes delivered so far) and attaches with it; the runner resumes each stream at its
 * cursor and sends positioned frames, so a re-attach neither repeats nor skips bytes. A cursor
 * older than the runner's backlog is answered with an explicit gap frame, which the client hands
 * to its user as a gap notice. The exit frame and the status carry each stream's length, so the
 * client knows when it has everything:
 * - an exit frame or a Terminal probe with every byte delivered → the result, at once;
 * - bytes missing → drain: one immediate re-attach (as #627), then the ordinary reconnect loop
 *   (409s are retried, unlike #627); a 404 that the status confirms means evicted: the result
 *   carries an explicit error and gap notices name the missing ranges;
 * - the first attach failing (#804, #1546) is handled like any disconnect, never a silent exit;
 * - a live frame that skips bytes (the runner's channel overflowed) ends the session, and the
 *   re-attach fetches the skipped bytes from the backlog.
 */
import type { Connected } from '../client/api.ts';
import { AttachPump, type ExecResult, type Next, type SessionEnd, type Terminal } from '../client/pump.ts';
import { attachPath, STREAMS, type ServerFrame, type Totals } from '../wire.ts';

export class CursorPump extends AttachPump {
  private readonly cursor: Totals = { stdout: 0, stderr: 0 };
  private drainAttempted = false;

  protected override attachPath(): string {
    return attachPath(this.box, this.execId, this.cursor);
  }

  protected override async onConnectFailure(cause: string): Promise<Next> {
    return this.onDisconnect(cause);
  }

  protected override async onTerminal(probe: Terminal, cause: string): Promise<Next> {
    if (this.complete(probe.totals)) return { to: 'result', result: { exitCode: probe.exitCode } };
    return this.drain(probe.exitCode, probe.totals, cause);
  }

  protected override async onExitFrame(end: Extract<SessionEnd, { kind: 'exit' }>): Promise<Next> {
    if (this.complete(end.totals)) return { to: 'result', result: { exitCode: end.exitCode } };
    return this.drain(end.exitCode, end.totals, 'exit frame before every byte arrived');
  }

  /** A 404 on the upgrade may come from a proxy: only a 404 on the status too means evicted. */
  protected override async retries(c: Extract<Connected, { ok: false }>): Promise<boolean> {
    return c.error.kind !== 'NotFound' || (await this.probe()).kind !== 'gone';
  }

  protected override async emitOrFallback(cause: string): Promise<ExecResult> {
    const probe = await this.probe();
    if (probe.kind !== 'terminal') return { exitCode: -1, errorMessage: cause };
    if (this.complete(probe.totals)) return { exitCode: probe.exitCode };
    return this.incomplete(probe.exitCode, probe.totals, cause);
  }

  protected override onOutput(f: Extract<ServerFrame, { type: 'output' }>): string | undefined {
    if (f.offset === undefined) return 'unpositioned output on a cursor attach';
    const at = this.cursor[f.stream];
    if (f.offset > at) return `live ${f.stream} skipped bytes ${at}-${f.offset - 1} (the runner dropped them)`;
    const skip = at - f.offset;
    if (skip >= f.data.length) return undefined;
    const data = skip > 0 ? f.data.subarray(skip) : f.data;
    this.sink.output(f.stream, data, at);
    this.cursor[f.stream] = at + data.length;
    return undefined;
  }

  protected override onGap(f: Extract<ServerFrame, { type: 'gap' }>): void {
    const at = this.cursor[f.stream];
    if (f.to <= at) return;
    this.sink.notice('gap', f.stream, `bytes ${at}-${f.to - 1} of ${f.stream} expired from the runner's backlog`);
    this.ports.log('pump.gap', { stream: f.stream, from: at, to: f.to });
    this.cursor[f.stream] = f.to;
  }

  private async drain(exitCode: number, totals: Totals | undefined, cause: string): Promise<Next> {
    if (!this.drainAttempted) {
      this.drainAttempted = true;
      this.ports.log('pump.drain-attach', { cursor: { ...this.cursor } });
      const c = await this.connect();
      if (c.ok) return { to: 'session', socket: c.socket };
      if (!(await this.retries(c)))
        return { to: 'result', result: this.incomplete(exitCode, totals, 'execution evicted before its output was drained') };
    }
    return { to: 'reconnect', cause };
  }

  private complete(totals: Totals | undefined): boolean {
    return totals !== undefined && STREAMS.every((s) => this.cursor[s] >= totals[s]);
  }

  /** The probed code, with every missing range named: lost output is never silent. */
  private incomplete(exitCode: number, totals: Totals | undefined, why: string): ExecResult {
    for (const s of STREAMS) {
      const total = totals?.[s];
      if (total === undefined) this.sink.notice('gap', s, `${s} may be incomplete after byte ${this.cursor[s]}: ${why}`);
      else if (total > this.cursor[s]) this.sink.notice('gap', s, `bytes ${this.cursor[s]}-${total - 1} of ${s} never arrived: ${why}`);
    }
    return { exitCode, errorMessage: `output incomplete: ${why}` };
  }
}
