/**
 * fixed's upstream gap (WAIT_TAKES_ITSELF_GAP, issue 12) is found blind by the default explorer,
 * whose drawn worlds include small PID spaces, and fixed-ticks, which checks daemon.pid's start
 * ticks in find_session_pid, passes the same runs. Seed 2 is where the worlds explorer first
 * found it (run 32); its first batch, unshrunk, as the bench counts runs.
 */
import { describe, expect, it } from 'vitest';
import { batchRunsOf, DEFAULT_EXPLORER, exploreBatch, exploreSpace, planBatches } from '../../../sim/explore/explore.ts';
import { target } from '../../../reference-impl/session-wait/target.ts';
import { WAIT_TAKES_ITSELF_GAP } from '../../../reference-impl/session-wait/variants/fixed.ts';

const SEED = 2;

async function firstBatch(variant: string) {
  const space = exploreSpace({ target, variant, mode: 'safety', explorer: DEFAULT_EXPLORER });
  const [batch] = planBatches(SEED, batchRunsOf(DEFAULT_EXPLORER), undefined, batchRunsOf(DEFAULT_EXPLORER));
  return exploreBatch(space, batch!, { shrink: false });
}

describe("fixed's upstream gap: a wait that gets the dead daemon's pid takes itself for the daemon", () => {
  it('is what fixed declares, and fixed-ticks declares a pass', () => {
    expect(target.variants.fixed?.expected).toEqual(WAIT_TAKES_ITSELF_GAP);
    expect(target.variants['fixed-ticks']?.expected).toBe('pass');
  });

  it(`is found on fixed in the default explorer's first batch of seed ${SEED}, in a drawn PID space, and the same runs pass on fixed-ticks`, async () => {
    const fixed = await firstBatch('fixed');
    expect(fixed.violation, 'fixed: not found').toBeDefined();
    expect(fixed.violation!.violated.every((p) => WAIT_TAKES_ITSELF_GAP.includes(p))).toBe(true);
    const world = (fixed.violation!.scenario as { world?: { proc?: { pidMin: number; pidMax: number } } }).world;
    expect(world?.proc, 'a drawn PID space').toBeDefined();
    const ticks = await firstBatch('fixed-ticks');
    expect(ticks.violation?.violated).toBeUndefined();
    expect(ticks.runsExecuted).toBe(batchRunsOf(DEFAULT_EXPLORER));
  }, 60_000);
});
