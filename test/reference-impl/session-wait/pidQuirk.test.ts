/**
 * An upstream quirk the model keeps: find_session_pid's daemon.pid test checks the cmdline, not
 * the start time, so a later `csa session wait --session S` that inherited the dead daemon's
 * pid (its cmdline names the session) counts as the daemon. It costs that wait its cap; the
 * next wait, with another pid, completes.
 */
import { describe, expect, it } from 'vitest';
import { FlockTable } from '../../../reference-impl/session-wait/flock.ts';
import { formatResult, writeAtomic } from '../../../reference-impl/session-wait/sessionFiles.ts';
import type { WaitSeen } from '../../../reference-impl/session-wait/target/observe.ts';
import { createWorld } from '../../../sim/world.ts';
import { PATHS, S, layout, setCap, waitOnce, type Bench } from './helpers.ts';

describe('find_session_pid test 1 ignores start times (an upstream quirk, kept)', () => {
  it('a wait that inherits the dead daemon\u2019s pid names the session in its own cmdline: it sees the daemon alive until its cap', async () => {
    const world = createWorld({ seed: 1, proc: { pidMin: 300, pidMax: 302 } });
    const b: Bench = { world, daemon: world.host('daemon'), wait: world.host('wait'), paths: PATHS, flocks: new FlockTable() };
    const seen: WaitSeen[] = [];
    b.world.spawn('daemon', async () => {
      await layout(b);
      await setCap(b.daemon, 5);
      const d = b.daemon.proc.spawn({ name: 'csa-daemon', cmdline: `csa run --daemon-child --session ${S}` }); // pid 300
      await b.daemon.fs.writeFile(b.paths.daemonPid, `${d.pid} ${d.startTimeTicks}\n`);
      b.daemon.proc.spawn({ name: 'editor' }); // 301
      const filler = b.daemon.proc.spawn({ name: 'make' }); // 302: the pid space is full
      writeAtomic(
        b.daemon.fs.sync,
        b.paths.result,
        formatResult({ status: 'success', exitCode: 0, summary: 'done', tool: 'codex', startedAt: 'a', completedAt: 'b' }),
      );
      d.kill('SIGKILL');
      seen.push(await waitOnce(b)); // gets 300, the daemon's pid
      filler.exit(0);
      seen.push(await waitOnce(b)); // gets 302: not fooled
    });
    await b.world.run(60_000);
    expect(seen.map((w) => [w.pid, w.endedAt, w.verdict.kind])).toEqual([
      [300, 5_000, 'kv-warm'],
      [302, 5_000, 'completed'],
    ]);
  });
});
