import { describe, expect, it } from 'vitest';
import { fileOf, layerOfFile, samplesByLayer, type CpuProfile } from '../../benches/layerShares.ts';

describe('layerOfFile', () => {
  it('names the scheduler, the protocol, its target glue and each simulator layer', () => {
    expect(layerOfFile('node_modules/@sinonjs/fake-timers/src/fake-timers-src.js')).toBe('scheduler');
    expect(layerOfFile('sim/scheduler.ts')).toBe('scheduler');
    expect(layerOfFile('sim/world.ts')).toBe('scheduler');
    expect(layerOfFile('sim/trace.ts')).toBe('trace');
    expect(layerOfFile('reference-impl/session-wait/waitLoop.ts')).toBe('protocol');
    expect(layerOfFile('reference-impl/session-wait/target/truth.ts')).toBe('target glue');
    expect(layerOfFile('sim/fs/tree.ts')).toBe('sim fs');
    expect(layerOfFile('sim/runner.ts')).toBe('sim runner');
    expect(layerOfFile('sim/judge.ts')).toBe('sim check');
    expect(layerOfFile('sim/check/output.ts')).toBe('sim check');
    expect(layerOfFile('sim/options.ts')).toBe('sim other');
    expect(layerOfFile('benches/sections/limit.ts')).toBe('limit actor');
  });
  it('leaves node internals, natives and other libraries to their caller', () => {
    expect(layerOfFile('')).toBeUndefined();
    expect(layerOfFile('node:buffer')).toBeUndefined();
    expect(layerOfFile('node_modules/smol-toml/dist/parse.js')).toBeUndefined();
  });
});

describe('fileOf', () => {
  it('strips the scheme and the checkout root, and keeps other paths whole', () => {
    expect(fileOf('file:///w/x/sim/fs/tree.ts', '/w/x')).toBe('sim/fs/tree.ts');
    expect(fileOf('/w/x/sim/world.ts', '/w/x')).toBe('sim/world.ts');
    expect(fileOf('file:///w/xy/sim/world.ts', '/w/x')).toBe('/w/xy/sim/world.ts');
    expect(fileOf('node:buffer', '/w/x')).toBe('node:buffer');
  });
});

const node = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url },
  children,
});

describe('samplesByLayer', () => {
  // (root) -> protocol fn -> node:buffer -> native; (root) -> runMicrotasks -> glue fn -> smol-toml;
  // (root) -> (garbage collector); (root) -> (program); (root) -> fake-timers tick -> sim/fs write
  const profile: CpuProfile = {
    nodes: [
      node(1, '(root)', '', [2, 5, 8, 9, 10]),
      node(2, 'poll', 'file:///r/reference-impl/session-wait/waitLoop.ts', [3]),
      node(3, 'from', 'node:buffer', [4]),
      node(4, 'utf8Write', ''),
      node(5, 'runMicrotasks', '', [6]),
      node(6, 'truth', 'file:///r/reference-impl/session-wait/target/truth.ts', [7]),
      node(7, 'parse', 'file:///r/node_modules/smol-toml/dist/parse.js'),
      node(8, '(garbage collector)', ''),
      node(9, '(program)', ''),
      node(10, 'tick', 'file:///r/node_modules/@sinonjs/fake-timers/src/fake-timers-src.js', [11]),
      node(11, 'write', 'file:///r/sim/fs/simFs.ts'),
    ],
    samples: [2, 3, 4, 4, 5, 6, 7, 7, 7, 8, 8, 9, 10, 11, 11],
  };
  it('charges node internals and libraries to the nearest execsim frame, and keeps GC and V8 apart', () => {
    expect(Object.fromEntries(samplesByLayer(profile, '/r'))).toEqual({
      protocol: 4,
      runtime: 1,
      'target glue': 4,
      GC: 2,
      'V8 other': 1,
      scheduler: 1,
      'sim fs': 2,
    });
  });
  it('refuses a sample of a node the profile does not have', () => {
    expect(() => samplesByLayer({ ...profile, samples: [99] }, '/r')).toThrow(/unknown node 99/);
  });
  it('counts nothing for a profile without samples', () => {
    expect(samplesByLayer({ nodes: profile.nodes }, '/r').size).toBe(0);
  });
});
