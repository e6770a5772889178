/**
 * An upstream gap the model keeps in `fixed` (issue 12, WAIT_TAKES_ITSELF_GAP): find_session_pid's
 * daemon.pid test checks the cmdline, not the start time, so a later `csa session wait --session
 * S` that inherited the dead daemon's pid (its cmdline names the session) counts as the daemon.
 * It costs that wait its cap; the next wait, with another pid, completes. `fixed-ticks`, which
 * checks the ticks too, completes both.
 */
import { describe, expect, it } from 'vitest';
import { FlockTable } from '../../../reference-impl/session-wait/flock.ts';
import { formatResult, writeAtomic } from '../../../reference-impl/session-wait/sessionFiles.ts';
import type { WaitSeen } from '../../../reference-impl/session-wait/target/observe.ts';
import { createWorld } from '../../../sim/world.ts';
import { PATHS, S, layout, setCap, waitOnce, type Bench } from './helpers.ts';

/** The daemon killed with its result on disk, then two waits, the first on the daemon's pid. */
async function twoWaits(variant: string): Promise<WaitSeen[]> {
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
    await b.daemon.clock.sleep(1_000); // a start a second later: other start ticks on the same pid
    seen.push(await waitOnce(b, variant)); // gets 300, the daemon's pid
    filler.exit(0);
    seen.push(await waitOnce(b, variant)); // gets 302: not fooled
  });
  await b.world.run(60_000);
  return seen;
}

describe('find_session_pid test 1 ignores start times (an upstream gap of fixed, kept; fixed-ticks closes it)', () => {
  it('fixed: a wait that inherits the dead daemon\u2019s pid names the session in its own cmdline: it sees the daemon alive until its cap', async () => {
    const seen = await twoWaits('fixed');
    expect(seen.map((w) => [w.pid, w.endedAt, w.verdict.kind])).toEqual([
      [300, 6_000, 'kv-warm'],
      [302, 6_000, 'completed'],
    ]);
  });

  it('fixed-ticks: the same wait on pid 300 sees start ticks other than daemon.pid\u2019s, so the daemon is dead and it completes', async () => {
    const seen = await twoWaits('fixed-ticks');
    expect(seen.map((w) => [w.pid, w.verdict.kind])).toEqual([
      [300, 'completed'],
      [302, 'completed'],
    ]);
    expect(seen[0]!.endedAt).toBeLessThan(6_000);
  });
});
