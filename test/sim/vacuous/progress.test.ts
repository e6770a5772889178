import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { ScenarioProgress } from '../../../sim/host/progress.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { runScenario, simulatedWorld } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';

describe('progress of a long single run', () => {
  it('says nothing for 5 s, then virtual time reached and events/s, one line per 5 s', () => {
    let wall = 0;
    let log = '';
    const p = new ScenarioProgress('big.json', 86_400_000, { write: (t) => void (log += t) }, false, 5_000, () => wall);
    wall = 4_999;
    p.tick({ timeMs: 1_000, events: 40_000 });
    expect(log).toBe('');
    wall = 5_000;
    p.tick({ timeMs: 12_345, events: 50_000 });
    wall = 7_000;
    p.tick({ timeMs: 13_000, events: 60_000 });
    wall = 10_000;
    p.tick({ timeMs: 20_000, events: 100_000 });
    p.end();
    expect(log).toBe(
      'big.json: virtual t=12.345s, 50000 events, 10000 events/s, 5 s\n' +
        'big.json: virtual t=20.000s, 100000 events, 10000 events/s, 10 s\n',
    );
  });

  it('on a TTY, redraws a bar of virtual time in place', () => {
    let wall = 0;
    let out = '';
    const p = new ScenarioProgress('big.json', 100_000, { write: (t) => void (out += t) }, true, 5_000, () => wall);
    wall = 6_000;
    p.tick({ timeMs: 50_000, events: 6_000 });
    p.end();
    expect(out).toBe('\rbig.json [##########----------] virtual t=50.000s, 6000 events, 1000 events/s, 6 s \n');
  });

  it('the world reports its progress to the host and the trace does not depend on it', async () => {
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const file = 'scenarios/field-bugs/exec-stream/37207-lag-skips.json';
    const { scenario, target } = await loadScenarioText(readFileSync(file, 'utf8'), file, registry);
    const seen: Array<{ timeMs: number; events: number }> = [];
    const plain = await runScenario(target, scenario);
    const observed = await runScenario(target, scenario, simulatedWorld, { onProgress: (p) => seen.push(p), progressEveryTasks: 8 });
    expect(observed.traceHash).toBe(plain.traceHash);
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.events).toBe(seen[i - 1]!.events + 8);
      expect(seen[i]!.timeMs).toBeGreaterThanOrEqual(seen[i - 1]!.timeMs);
    }
  });
});
