/**
 * The liveness rules of spec §2 one by one: `daemon_pid_for_signal`'s start-time table,
 * `find_session_pid`'s lock files with the 60 s rule, `ToolLiveness::is_alive`'s 30 s window and
 * one-shot growth, and reconcile's blocking. Each case lays out the session dir by hand.
 */
import { describe, expect, it } from 'vitest';
import { daemonPidIsAlive, findSessionPid, sessionHasTerminalProcess } from '../../../reference-impl/session-wait/liveness.ts';
import { ensureTerminalResultForDeadActiveSession, reconcileBlockedBy } from '../../../reference-impl/session-wait/reconcile.ts';
import { parseResult } from '../../../reference-impl/session-wait/sessionFiles.ts';
import { isAlive } from '../../../reference-impl/session-wait/toolLiveness.ts';
import { S, bench, layout, probeContext, type Bench } from './helpers.ts';

/** Runs `body` inside the bench's world (so the clock moves) and returns what it returned. */
async function within<T>(b: Bench, body: () => Promise<T>): Promise<T> {
  let out: T | undefined;
  b.world.spawn('test', async () => {
    out = await body();
  });
  await b.world.run(3_600_000);
  expect(b.world.errors).toEqual([]);
  return out as T;
}

function spawnDaemon(b: Bench, opts: { zombieMs?: number; cmdline?: string } = {}) {
  return b.daemon.proc.spawn({
    name: 'csa-daemon',
    cmdline: opts.cmdline ?? `csa run --daemon-child --session ${S}`,
    zombieMs: opts.zombieMs ?? 0,
  });
}

describe('daemon_pid_for_signal: the start-time table', () => {
  it('ticks match: alive; the process gone: dead; its pid reused (ticks differ): dead', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const d = spawnDaemon(b);
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid} ${d.startTimeTicks}\n`);
      const ctx = probeContext(b);
      const out = [await daemonPidIsAlive(ctx)];
      d.kill('SIGKILL');
      ctx.memo.clear();
      out.push(await daemonPidIsAlive(ctx));
      b.world.schedule([{ at: b.world.now() + 10, kind: 'pid-reuse', target: 'csa-daemon' }]);
      await b.wait.clock.sleep(1_000);
      ctx.memo.clear();
      const squatter = b.wait.proc.stat(d.pid);
      out.push(
        squatter?.name === 'unrelated',
        await daemonPidIsAlive(ctx),
        await probeContext(b, 'pid-only').policy.daemonPidIsAlive(ctx, { pid: d.pid, startTimeTicks: d.startTimeTicks }),
      );
      return out;
    });
    expect(seen).toEqual([true, false, true, false, true]);
  });

  it('a zombie is alive only while a member of its process group lives', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const d = spawnDaemon(b, { zombieMs: 60_000 });
      const child = b.daemon.proc.spawn({ name: 'codex', pgrp: d.pid, ppid: d.pid });
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid} ${d.startTimeTicks}\n`);
      d.exit(0);
      const ctx = probeContext(b);
      const out = [b.wait.proc.stat(d.pid)?.state, await daemonPidIsAlive(ctx)];
      child.exit(0);
      out.push(await daemonPidIsAlive(ctx));
      // legacy record (no ticks): the same zombie rule
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid}\n`);
      ctx.memo.clear();
      out.push(await daemonPidIsAlive(ctx));
      return out;
    });
    expect(seen).toEqual(['Z', true, false, false]);
  });

  it('a legacy record (pid only) is alive when find_session_pid names the same pid, i.e. its cmdline names the session', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const d = spawnDaemon(b);
      const other = b.daemon.proc.spawn({ name: 'csa-daemon', cmdline: 'csa run --daemon-child --session 01OTHER' });
      const ctx = probeContext(b);
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid}\n`);
      const out = [await daemonPidIsAlive(ctx)];
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${other.pid}\n`);
      ctx.memo.clear();
      out.push(await daemonPidIsAlive(ctx));
      // no daemon.pid: the oldest sessions' `pid=NNN` in stderr.log
      await b.daemon.fs.unlink(b.paths.daemonPid);
      await b.daemon.fs.writeFile(b.paths.stderrLog, `started pid=${d.pid}\n`);
      ctx.memo.clear();
      out.push(await daemonPidIsAlive(ctx));
      await b.daemon.fs.writeFile(b.paths.stderrLog, 'no pid here\n');
      ctx.memo.clear();
      out.push(await daemonPidIsAlive(ctx));
      return out;
    });
    expect(seen).toEqual([true, false, true, false]);
  });
});

describe('find_session_pid: lock files and the 60 s rule', () => {
  it('a live pid whose cmdline names the tool counts at any age; an unrelated live pid only while the lock is <= 60 s old', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const tool = b.daemon.proc.spawn({ name: 'codex', cmdline: 'codex exec --json' });
      const stranger = b.daemon.proc.spawn({ name: 'unrelated', cmdline: 'vim notes.txt' });
      await b.daemon.fs.writeFile(`${b.paths.locks}/codex.lock`, JSON.stringify({ pid: tool.pid, tool_name: 'codex' }));
      await b.daemon.fs.writeFile(`${b.paths.locks}/gemini.lock`, JSON.stringify({ pid: stranger.pid, tool_name: 'gemini' }));
      await b.daemon.fs.writeFile(`${b.paths.locks}/.reconcile.lock`, JSON.stringify({ pid: stranger.pid }));
      const ctx = probeContext(b);
      const out: unknown[] = [await findSessionPid(ctx)];
      tool.exit(0);
      ctx.memo.clear();
      out.push(await findSessionPid(ctx)); // only the stranger, through the recent gemini.lock
      await b.wait.clock.sleep(60_000);
      ctx.memo.clear();
      out.push(await findSessionPid(ctx)); // exactly 60 s: still recent
      await b.wait.clock.sleep(1);
      ctx.memo.clear();
      out.push(await findSessionPid(ctx), await sessionHasTerminalProcess(ctx));
      return [out, tool.pid, stranger.pid];
    });
    const [out, toolPid, strangerPid] = seen as [unknown[], number, number];
    expect(out).toEqual([toolPid, strangerPid, strangerPid, undefined, false]);
  });
});

describe('ToolLiveness::is_alive', () => {
  it('a write under the session dir keeps it alive for 30 s (a future mtime counts as now); the snapshot does not count', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const ctx = probeContext(b);
      const out = [await isAlive(ctx)]; // state.toml just written
      await b.wait.clock.sleep(30_000);
      out.push(await isAlive(ctx));
      await b.wait.clock.sleep(1);
      out.push(await isAlive(ctx)); // the probe rewrote .liveness.snapshot: still dead
      await b.daemon.fs.writeFile(`${b.paths.dir}/output/notes.md`, 'x');
      await b.daemon.fs.utimes(`${b.paths.dir}/output/notes.md`, b.wait.clock.now() + 3_600_000);
      out.push(await isAlive(ctx));
      return out;
    });
    expect(seen).toEqual([true, true, false, true]);
  });

  it('stderr.log growth is reported once, by the first probe after it', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      await b.daemon.fs.writeFile(b.paths.stderrLog, 'a\n');
      const ctx = probeContext(b);
      await b.wait.clock.sleep(40_000);
      const out = [await isAlive(ctx)]; // first sighting: no growth
      await b.daemon.fs.appendFile(b.paths.stderrLog, 'more\n');
      await b.daemon.fs.utimes(b.paths.stderrLog, 0); // old mtime: only growth can tell
      out.push(await isAlive(ctx), await isAlive(ctx));
      return out;
    });
    expect(seen).toEqual([false, true, false]);
  });
});

describe('reconcile', () => {
  it('is blocked by a live pid, then by stderr.log written in the last 30 s; then writes the synthetic failure once', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b);
      const d = spawnDaemon(b);
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid} ${d.startTimeTicks}\n`);
      await b.daemon.fs.writeFile(b.paths.stderrLog, 'working\n');
      const ctx = probeContext(b);
      const out: unknown[] = [await reconcileBlockedBy(ctx)];
      d.kill('SIGKILL');
      ctx.memo.clear();
      out.push(await reconcileBlockedBy(ctx));
      await b.wait.clock.sleep(31_000);
      ctx.memo.clear();
      out.push(await ensureTerminalResultForDeadActiveSession(ctx), await ensureTerminalResultForDeadActiveSession(ctx));
      out.push(parseResult(await b.wait.fs.readFile(b.paths.result), b.paths.result));
      return out;
    });
    expect(seen.slice(0, 4)).toEqual([
      'live_pid',
      'progress_signal',
      { resultBecameAvailable: true, synthetic: true },
      { resultBecameAvailable: false, synthetic: false },
    ]);
    expect(seen[4]).toMatchObject({
      status: 'failure',
      exitCode: 1,
      summary:
        'synthetic failure by session wait: process dead, result.toml missing (reconciliation_reason=true_missing_result, output_log_mtime=none)',
    });
  });

  it('does nothing for a session that is not Active', async () => {
    const b = bench();
    const seen = await within(b, async () => {
      await layout(b, 'Retired');
      return ensureTerminalResultForDeadActiveSession(probeContext(b));
    });
    expect(seen).toEqual({ resultBecameAvailable: false, synthetic: false });
  });
});
