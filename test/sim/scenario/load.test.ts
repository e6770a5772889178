import { describe, expect, it } from 'vitest';
import { ExecsimError } from '../../../sim/errors.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';
import { formatJson, scenarioToJson } from '../../../sim/scenario/save.ts';
import { pumpTarget } from '../../fixtures/pumpTarget.ts';

const registry = new TargetRegistry();
registry.register(pumpTarget);

const good = {
  format: 1,
  target: 'test-pump',
  variant: 'early-exit',
  seed: 7,
  mode: 'safety',
  workload: { chunks: [{ gapMs: 1, bytes: 3, stream: 'stdout' }], exitAfterMs: 0, exitCode: 0, pumpDelayMsMax: 5 },
  faults: [{ at: 5, kind: 'cut', target: 'client->server' }],
  expect: { violates: ['no-lost-output'] },
};

async function problems(value: unknown, file = 'scenarios/x.json'): Promise<string[]> {
  try {
    await loadScenarioText(typeof value === 'string' ? value : JSON.stringify(value), file, registry);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ExecsimError);
    const err = e as ExecsimError;
    expect(err.message.startsWith(file)).toBe(true);
    expect(err.message).not.toMatch(/\n\s+at /);
    return [...err.problems];
  }
}

describe('scenario files: bad input gets a clear error naming the file and the JSON path', () => {
  it('accepts a good file', async () => {
    expect(await problems(good)).toEqual([]);
  });

  it('a JSON syntax error gives line and column', async () => {
    expect(await problems('{\n  "format": 1,\n  "seed": ,\n}')).toEqual(['(file): not valid JSON at line 3, column 11: unexpected ","']);
    expect(await problems('{"format": 1')).toEqual(['(file): not valid JSON at line 1, column 13: unexpected end of file']);
    expect(await problems('{"a": "b\\q"}')).toEqual(['(file): not valid JSON at line 1, column 10: unexpected "q"']);
  });

  it('lists every schema problem at once', async () => {
    expect(
      await problems({ ...good, format: 2, seed: 'one', mode: 'fast', faults: [{ at: -5, kind: 'cut' }], extra: true, expect: 'fail' }),
    ).toEqual([
      'extra: unknown field (expected one of $schema, format, title, source, target, variant, seed, mode, healAtMs, expect, world, workload, faults, provenance)',
      'format: expected 1, got 2',
      'seed: expected an integer from -2147483648 to 2147483647, got "one"',
      'mode: expected one of "safety", "liveness", got "fast"',
      'faults[0].at: expected an integer from 0 to 86400000 (virtual ms), got -5',
      'expect: expected "pass" or {"violates": ["property-name", ...]}, got "fail"',
    ]);
    expect(await problems({ ...good, workload: undefined })).toEqual(["workload: expected the target's workload object, got nothing"]);
  });

  it('checks the scenario against its target: variant, workload, faults, properties, mode', async () => {
    expect(await problems({ ...good, target: 'nope' })).toEqual([
      'target: unknown target "nope" (known: test-pump; a module path loads another: --target ./my-target.js)',
    ]);
    expect(
      await problems({
        ...good,
        variant: 'v9',
        workload: { ...good.workload, exitCode: 'zero', chunks: [{ gapMs: 1, bytes: 0, stream: 'stdin' }] },
        faults: [
          { at: 5, kind: 'kill', target: 'job' },
          { at: 5, kind: 'lag', target: 'client->server' },
        ],
        expect: { violates: ['no-loss'] },
        mode: 'liveness',
      }),
    ).toEqual([
      'variant: target test-pump has no variant "v9" (variants: early-exit, wait-close)',
      'workload.chunks[0].bytes: expected an integer >= 1, got 0',
      'workload.chunks[0].stream: expected one of "stdout", "stderr", got "stdin"',
      'workload.exitCode: expected an integer from 0 to 255, got "zero"',
      'faults[0].kind: unknown fault kind "kill" (known: cut, half-open, lag)',
      'faults[1].durationMs: expected an integer from 1 to 86400000, got nothing',
      'faults[1].extraMs: expected an integer from 1 to 86400000, got nothing',
      'expect.violates[0]: target test-pump has no property "no-loss" (properties: no-lost-output, no-duplicate-output, single-result, no-false-failure, no-false-success, truthful-exit, terminates)',
      'healAtMs: required in liveness mode (when every fault heals, in virtual ms)',
    ]);
  });
});

describe('scenario files: saving', () => {
  it('round-trips, with flat lists one item a line', async () => {
    const s = { ...good, faults: [...good.faults, { at: 9, kind: 'lag', target: 'client->server', durationMs: 5, extraMs: 9 }] };
    const text = scenarioToJson(s as never);
    expect(text).toContain('\n    {"at":5,"kind":"cut","target":"client->server"},\n');
    const loaded = await loadScenarioText(text, 'x.json', registry);
    expect(loaded.scenario).toEqual(s);
  });

  it('keeps short values inline and nests long ones', () => {
    expect(formatJson({ a: [1, 2], b: 'x' })).toBe('{"a":[1,2],"b":"x"}');
    expect(formatJson({ long: 'y'.repeat(70) })).toBe(`{\n  "long": "${'y'.repeat(70)}"\n}`);
  });
});
