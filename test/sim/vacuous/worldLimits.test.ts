/**
 * A scenario's `world` options (issue 12: latencies, mtime granularity and skew, the PID space)
 * have limits of their own: each within the horizon or Linux's pid_max limit, none below 0 where
 * that means nothing, and min <= max for each pair. Past one, exit 2 before the run, naming the
 * JSON path and the range; at the limit, the file runs.
 */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../sim/options.ts';
import { runEdited } from './runEdited.ts';

const FILE = 'scenarios/field-bugs/session-wait/2034-intermediate-result-fault.fixed.json';
const inWorld = (world: unknown) => runEdited(FILE, (s) => void (s.world = world));

describe('world options past their limits are refused before the run (exit 2, the JSON path, the range)', () => {
  it.each([
    [{ proc: { pidMax: 4_194_305 } }, 'world.proc.pidMax: expected an integer from 2 to 4194304, got 4194305'],
    [{ proc: { pidMin: 1e10 } }, 'world.proc.pidMin: expected an integer from 2 to 4194304, got 10000000000'],
    [{ proc: { pidMin: 1 } }, 'world.proc.pidMin: expected an integer from 2 to 4194304, got 1'],
    [{ proc: { pidMin: 500, pidMax: 300 } }, 'world.proc.pidMax: expected an integer from 500 to 4194304, got 300'],
    // only pidMax set: below the target's own pidMin (300)
    [{ proc: { pidMax: 299 } }, 'world.proc.pidMax: expected an integer from 300 to 4194304, got 299'],
    [{ net: { latencyMsMin: 5, latencyMsMax: 2 } }, 'world.net.latencyMsMax: expected an integer from 5 to 86400000, got 2'],
    [{ net: { latencyMsMin: -1 } }, 'world.net.latencyMsMin: expected an integer from 0 to 86400000'],
    [{ net: { latencyMsMax: 86_400_001 } }, "world.net.latencyMsMax: 86400001 is past the world's horizon"],
    [{ fs: { mtimeSkewMs: 1e300 } }, 'world.fs.mtimeSkewMs: expected a number from -86400000 to 86400000 (ms), got 1e+300'],
    [{ fs: { mtimeSkewMs: -86_400_001 } }, 'world.fs.mtimeSkewMs: expected a number from -86400000 to 86400000 (ms), got -86400001'],
    [{ fs: { mtimeGranularity: '3s' } }, 'world.fs.mtimeGranularity'],
  ])('%j', async (world, message) => {
    const r = await inWorld(world);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid scenario');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.summary().status).toBe('bad-input');
  });

  it('at the limits the file runs (a single pid is a full pid space: fork fails, the run judges it)', async () => {
    for (const world of [
      { proc: { pidMin: 2, pidMax: 4_194_304 } },
      { net: { latencyMsMin: 0, latencyMsMax: 86_400_000 } },
      { fs: { mtimeSkewMs: -86_400_000, mtimeGranularity: '2s' } },
      { fs: { mtimeSkewMs: 86_400_000 } },
      { proc: { pidMin: 4_194_304, pidMax: 4_194_304 } },
    ]) {
      const r = await inWorld(world);
      expect([0, 1], JSON.stringify(world) + r.stderr).toContain(r.code);
      expect(r.stderr).not.toContain('invalid scenario');
    }
  });

  it("a target's own world options meet the same limits (resolveOptions, for code that builds a world)", () => {
    expect(() => resolveOptions({ seed: 1, proc: { pidMax: 5_000_000 } })).toThrow(/proc\.pidMax: expected an integer from 300 to 4194304/);
    expect(() => resolveOptions({ seed: 1, net: { latencyMsMin: 1e12, latencyMsMax: 1e12 } })).toThrow(
      /net\.latencyMsMin: expected an integer from 0 to 86400000/,
    );
    expect(() => resolveOptions({ seed: 1, fs: { mtimeSkewMs: Number.NaN } })).toThrow(/fs\.mtimeSkewMs: expected a number from/);
    expect(resolveOptions({ seed: 1, proc: { pidMin: 2, pidMax: 4_194_304 } }).proc.pidMax).toBe(4_194_304);
  });
});
