/**
 * The `boxlite-0-10-0` variant (npm 0.10.0 through SimpleBox), each of its three slots against
 * the base on a run where only that slot decides: the watchdog that never fires, the socket kept
 * through the backoff (a 409 on the first re-attach), and the error message SimpleBox drops.
 */
import { describe, expect, it } from 'vitest';
import type { AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';
import { ECHO_HELLO, run, scenario } from './helpers.ts';

const TWO_PARTS: AttachWorkload = {
  command: 'two-parts',
  steps: [
    { atMs: 0, stream: 'stdout', text: 'part1\n' },
    { atMs: 30_000, stream: 'stdout', text: 'part2\n' },
  ],
  exit: { atMs: 35_000, code: 0 },
};
const SILENT: AttachWorkload = {
  command: 'sleep 30; echo late',
  steps: [{ atMs: 30_000, stream: 'stdout', text: 'late\n' }],
  exit: { atMs: 32_000, code: 0 },
};

describe('boxlite-0-10-0 against the base pre-627', () => {
  it('a black-holed socket after the first frame: the base times out at 45 s and recovers, 0.10.0 never gives a result', async () => {
    const faults = [{ at: 5_000, kind: 'half-open', target: 'client->runner#1' }];
    const base = await run(scenario('pre-627', TWO_PARTS, faults));
    expect(base.results).toHaveLength(1);
    expect(base.events('pump.disconnect')[0]?.data.cause).toContain('watchdog');
    const shipped = await run(scenario('boxlite-0-10-0', TWO_PARTS, faults));
    expect(shipped.results).toEqual([]);
    expect(shipped.events('pump.disconnect')).toEqual([]);
    expect(shipped.violated).toEqual(['terminates']);
  });

  it("a first-frame timeout: 0.10.0 keeps the socket, so its first re-attach gets 409 until the runner's read deadline", async () => {
    const base = await run(scenario('pre-627', SILENT));
    expect(base.events('runner.attach-refused')).toEqual([]);
    const shipped = await run(scenario('boxlite-0-10-0', SILENT));
    expect(shipped.events('pump.socket-kept')).toHaveLength(1);
    const refused = shipped.events('runner.attach-refused');
    expect(refused.map((e) => e.data.status)).toEqual([409]);
    // the reconnect 15 s after the 10 s timeout comes before the 45 s deadline; the next, 30 s later, after it
    expect(refused[0]?.t).toBeGreaterThan(25_000);
    expect(refused[0]?.t).toBeLessThan(45_000);
    // the same result in the end: both deliver `late` once, exit 0
    for (const r of [base, shipped]) {
      expect(r.stdout).toBe('late\n');
      expect(r.results.map((x) => x.exitCode)).toEqual([0]);
      expect(r.violated).toEqual([]);
    }
  });

  it('SimpleBox drops errorMessage: a refused first upgrade gives a bare result, the cause never reaches the user', async () => {
    const refuse = [{ at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', count: 1, status: 502 }];
    // after the command finished: the same silent {0, ""} as the base (the #1546 loss)
    const done = await run(scenario('boxlite-0-10-0', ECHO_HELLO, refuse));
    expect([done.stdout, done.results]).toEqual(['', [{ t: expect.any(Number), exitCode: 0 }]]);
    // while it runs: the base says -1 with the cause; 0.10.0 a bare -1, a lie about a command that exits 0
    const base = await run(scenario('pre-627', TWO_PARTS, refuse));
    expect(base.results[0]?.error).toContain('502');
    const shipped = await run(scenario('boxlite-0-10-0', TWO_PARTS, refuse));
    expect(shipped.results).toEqual([{ t: expect.any(Number), exitCode: -1 }]);
    expect(shipped.violated).toContain('truthful-exit');
    expect(base.violated).not.toContain('truthful-exit');
  });
});
