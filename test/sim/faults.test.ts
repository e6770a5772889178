import { describe, expect, it } from 'vitest';
import { ExecsimError } from '../../sim/errors.ts';
import { faultKind, faultSpec } from '../../sim/faults/fault.ts';
import { createWorld } from '../../sim/world.ts';

describe('faults are data, checked before they run', () => {
  it('lists every problem with its JSON path', () => {
    const world = createWorld({ seed: 1 });
    const problems = world.faults.validate([
      { at: -1, kind: 'cut', target: '*' },
      { at: 5, kind: 'lag', target: 'a->b', durationMs: 0 },
      { at: 5, kind: 'teleport', target: 'x' },
      { at: 5, kind: 'refuse', target: 'a->b', status: 999, durationMS: 3 },
      { at: 5, kind: 'cut', target: 'a=>b' },
      { at: 5, kind: 'torn-read', target: 'relative/path' },
      { at: 5, kind: 'set-mtime', target: '/f' },
      'cut',
    ]);
    expect(problems).toEqual([
      'faults[0].at: expected an integer from 0 to 86400000 (virtual ms), got -1',
      'faults[1].extraMs: expected an integer from 1 to 86400000, got nothing',
      'faults[1].durationMs: expected an integer from 1 to 86400000, got 0',
      'faults[2].kind: unknown fault kind "teleport" (known: cut, half-open, lag, refuse, close, set-mtime, torn-read, kill, pid-reuse)',
      'faults[3].durationMS: unknown field (expected one of at, kind, target, scope, count, durationMs, status, timeout)',
      'faults[3].status: expected an integer from 100 to 599, got 999',
      'faults[4].target: expected "*", "a->b", "a->b#n" or a host name, got "a=>b"',
      'faults[5].target: expected an absolute file path, got "relative/path"',
      'faults[6]: expected exactly one of mtimeMs or offsetMs',
      'faults[7]: expected a fault object {at, kind, target, ...}, got "cut"',
    ]);
  });

  it('schedule throws EXECSIM_FAULT_INVALID and schedules nothing', () => {
    const world = createWorld({ seed: 1 });
    let err: unknown;
    try {
      world.schedule([{ at: 0, kind: 'cut' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExecsimError);
    expect((err as ExecsimError).code).toBe('EXECSIM_FAULT_INVALID');
    expect((err as ExecsimError).problems).toEqual(['faults[0].target: expected "*", "a->b", "a->b#n" or a host name, got nothing']);
  });

  it('bad world options are refused with every problem', () => {
    expect(() => createWorld({ seed: 1.5, net: { latencyMsMin: 10, latencyMsMax: 5 }, proc: { pidMin: 1 } })).toThrow(
      /seed: expected an integer, got 1.5[\s\S]*net.latencyMsMax: expected an integer from 10 to 86400000, got 5[\s\S]*proc.pidMin: expected an integer from 2 to 4194304, got 1/,
    );
  });

  it('a target can define its own fault kind, and faults after a heal are skipped', async () => {
    const world = createWorld({ seed: 1 });
    const applied: number[] = [];
    const spec = faultSpec({ kind: 'consumer-stall', summary: 'test kind', params: {} });
    world.faults.define(faultKind(spec, (f) => applied.push(f.at)));
    world.schedule([
      { at: 10, kind: 'consumer-stall' },
      { at: 30, kind: 'consumer-stall' },
    ]);
    world.healAt(20);
    // something keeps the world busy past 30: faults never keep it running on their own
    world.spawn('busy', () => world.host('a').clock.sleep(40));
    await world.run();
    expect(applied).toEqual([10]);
    expect(world.trace.events.filter((e) => e.kind === 'fault.skipped')).toHaveLength(1);
  });

  it('a fault due after the world has nothing left to do never fires, and is told apart', async () => {
    const world = createWorld({ seed: 1 });
    const faults = [{ at: 1000, kind: 'kill', target: 'anything' }];
    world.schedule(faults);
    world.spawn('short', () => world.host('a').clock.sleep(5));
    const r = await world.run();
    expect(r.timeMs).toBe(5);
    expect(world.faults.fateOf(faults[0]!)).toEqual({ index: 0, kind: 'kill' });
  });
});
