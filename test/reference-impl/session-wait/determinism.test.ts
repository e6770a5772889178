/**
 * One scenario, one trace: sampled session-wait scenarios (every variant, both modes, swarm
 * faults) give byte-identical traces when run twice here and once in a child process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/runner.ts';
import { target } from '../../../reference-impl/session-wait/target.ts';
import { hashes, sampleScenarios } from './traceHashes.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('session-wait determinism', () => {
  it('80 sampled scenarios: the same trace hash twice in this process and once in a child process', async () => {
    const here = await hashes(5, 80);
    expect(await hashes(5, 80)).toEqual(here);
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/reference-impl/session-wait/traceHashes.ts', '5', '80'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual(here);
    expect(new Set(here).size).toBe(here.length);
  }, 60_000);

  it('the world seed alone changes the interleaving (and so the trace)', async () => {
    const [s] = sampleScenarios(9, 1);
    if (!s) throw new Error('no scenario');
    const a = await runScenario(target, { ...s, seed: 1 });
    const b = await runScenario(target, { ...s, seed: 2 });
    expect(a.traceHash).not.toBe(b.traceHash);
  });
});
