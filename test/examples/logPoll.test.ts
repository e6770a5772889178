import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, loadScenario, loadTarget } from '../../sim/lib.ts';
import { expectHolds } from '../../sim/vitest.ts';

// The example third-party target, loaded by path as `--target` loads it: the explorer must find
// its planted bug, the fix must hold, and its scenario files must meet their expectations.
const TARGET = 'examples/log-poll/target.ts';
const tmp = () => mkdtempSync(join(tmpdir(), 'execsim-logpoll-'));

describe('examples/log-poll', () => {
  it('the explorer finds the planted bug of server-cursor: a late page lost behind exit 0', { timeout: 60_000 }, async () => {
    const dir = tmp();
    const err = await expectHolds({ target: TARGET, variant: 'server-cursor', runs: 500, seed: 1, save: dir, report: dir }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/violated no-lost-output/);
    const saved = JSON.parse(readFileSync(join(dir, 'log-poll-server-cursor-safety-seed1.json'), 'utf8')) as {
      faults: Array<{ kind: string }>;
    };
    expect(saved.faults.map((f) => f.kind)).toEqual(['lag']);
  });

  it('the fix (offset) holds in safety and liveness mode', { timeout: 60_000 }, async () => {
    const dir = tmp();
    for (const mode of ['safety', 'liveness'] as const) {
      const r = await expectHolds({ target: TARGET, variant: 'offset', runs: 300, seed: 2, mode, save: dir, report: dir });
      expect(r.runsExecuted).toBe(300);
    }
  });

  it('its scenario files meet their expectations', async () => {
    await loadTarget(TARGET);
    for (const v of ['server-cursor', 'offset']) {
      const { target, scenario, file } = await loadScenario(`examples/log-poll/scenarios/late-page.${v}.json`);
      const r = await checkScenario(target, scenario, file);
      expect(r.ok, r.why).toBe(true);
    }
  });
});
