import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountStream, noDuplicateOutput, noLostOutput, orderedOutput, sumRanges } from '../../../sim/check/index.ts';
import { tape } from '../../../sim/workload/tape.ts';
import { EXIT0, delivered, enc, observed, produced, truth } from './helpers.ts';

describe('output accounting: histories that must fail', () => {
  it('#627: a clean exit with nothing delivered loses everything produced before it', () => {
    const input = { truth: truth({ stdout: produced([5, 'hello\n']) }), observed: observed({}, [45, EXIT0]) };
    const r = noLostOutput(input);
    expect(r.valid).toBe(false);
    expect(r.summary).toBe('lost silently: 6 bytes of stdout (offsets 0-5)');
    expect(r.evidence[0]).toMatchObject({ t: 5, stream: 'stdout', bytes: [0, 6] });
  });

  it('a replay from the backlog head duplicates the prefix (A, cut, A B)', () => {
    const input = {
      truth: truth({ stdout: produced([10, 'A\n'], [20, 'B\n']) }),
      observed: observed({ stdout: delivered([12, 'A\n'], [31, 'A\nB\n']) }, [32, EXIT0]),
    };
    expect(noLostOutput(input).valid).toBe(true);
    const d = noDuplicateOutput(input);
    expect(d.valid).toBe(false);
    expect(d.summary).toBe('delivered twice: 2 bytes of stdout (offsets 0-1)');
    expect(d.evidence[0]).toMatchObject({ t: 10, tEnd: 31 });
    expect(orderedOutput(input).valid).toBe(true);
  });

  it('a lost tail after a cut, with a clean exit', () => {
    const input = {
      truth: truth({ stdout: produced([10, 'A\n'], [20, 'B\n']) }),
      observed: observed({ stdout: delivered([12, 'A\n']) }, [30, EXIT0]),
    };
    expect(noLostOutput(input).summary).toBe('lost silently: 2 bytes of stdout (offsets 2-3)');
  });

  it('a silent gap in the middle (a lagged subscriber skipped chunks) is lost even without a result', () => {
    const input = {
      truth: truth({ stdout: produced([1, 'one\n'], [2, 'two\n'], [3, 'three\n']) }),
      observed: observed({ stdout: delivered([5, 'one\n'], [6, 'three\n']) }),
    };
    const r = noLostOutput(input);
    expect(r.valid).toBe(false);
    expect(r.summary).toContain('4 bytes of stdout (offsets 4-7)');
  });

  it('chunks delivered in arrival order instead of production order', () => {
    const input = {
      truth: truth({ stdout: produced([1, 'first-'], [2, 'second-'], [3, 'third']) }),
      observed: observed({ stdout: delivered([5, 'second-'], [6, 'first-'], [7, 'third']) }, [8, EXIT0]),
    };
    const r = orderedOutput(input);
    expect(r.valid).toBe(false);
    expect(r.summary).toBe('out of order: 6 bytes of stdout (offsets 0-5)');
    expect(noLostOutput(input).valid).toBe(true);
    expect(noDuplicateOutput(input).valid).toBe(true);
  });

  it('invented bytes are flagged', () => {
    const input = {
      truth: truth({ stdout: produced([1, 'abc']) }),
      observed: observed({ stdout: delivered([2, 'abc'], [3, '\uFFFD']) }, [4, EXIT0]),
    };
    const r = orderedOutput(input);
    expect(r.valid).toBe(false);
    expect(r.summary).toContain('3 bytes delivered on stdout match nothing produced');
  });

  it('positioned deliveries (seq numbers) are placed by offset, not by content', () => {
    // identical content "xx" twice: only offsets tell which one was skipped
    const input = {
      truth: truth({ stdout: produced([1, 'xx'], [2, 'xx'], [3, 'yy']) }),
      observed: observed({ stdout: delivered([5, 'xx', 0], [6, 'yy', 4]) }, [7, EXIT0]),
    };
    expect(noLostOutput(input).summary).toBe('lost silently: 2 bytes of stdout (offsets 2-3)');
  });
});

describe('output accounting: histories that must pass', () => {
  it('everything delivered once, in order, across chunk boundaries that differ', () => {
    const input = {
      truth: truth({ stdout: produced([1, 'hel'], [2, 'lo\nwor'], [3, 'ld\n']), stderr: produced([2, 'warn\n']) }),
      observed: observed({ stdout: delivered([4, 'hello\n'], [5, 'world\n']), stderr: delivered([4, 'warn\n']) }, [6, EXIT0]),
    };
    for (const c of [noLostOutput, noDuplicateOutput, orderedOutput]) expect(c(input).valid).toBe(true);
  });

  it('loss the caller was told about: a gap notice, or an explicit failure', () => {
    const t = truth({ stdout: produced([1, 'aaaa'], [2, 'bbbb']) });
    const gap = observed({ stdout: delivered([3, 'bbbb']) }, [4, EXIT0], {
      notices: [{ t: 3, kind: 'gap', stream: 'stdout', message: 'gap' }],
    });
    expect(noLostOutput({ truth: t, observed: gap })).toMatchObject({
      valid: true,
      summary: 'output lost but announced to the caller: 4 bytes of stdout (offsets 0-3)',
    });
    const failed = observed({}, [4, { kind: 'failure', message: 'transport lost' }]);
    expect(noLostOutput({ truth: t, observed: failed }).valid).toBe(true);
    const exitWithError = observed({}, [4, { kind: 'exit', code: 0, error: 'WS closed before exit frame' }]);
    expect(noLostOutput({ truth: t, observed: exitWithError }).valid).toBe(true);
    // a notice for another stream does not excuse this one
    const other = observed({}, [4, EXIT0], { notices: [{ t: 3, kind: 'gap', stream: 'stderr', message: 'gap' }] });
    expect(noLostOutput({ truth: t, observed: other }).valid).toBe(false);
  });

  it('output produced after a still-running answer is not expected yet', () => {
    const input = {
      truth: truth({ stdout: produced([1, 'a'], [500, 'b']) }),
      observed: observed({ stdout: delivered([2, 'a']) }, [240, { kind: 'running' }]),
    };
    expect(noLostOutput(input).valid).toBe(true);
  });

  it('deliveries after the terminal result do not count', () => {
    const input = { truth: truth({ stdout: produced([1, 'ab']) }), observed: observed({ stdout: delivered([9, 'ab']) }, [5, EXIT0]) };
    expect(noLostOutput(input).valid).toBe(false);
  });
});

describe('output accounting: content alignment recovers injected faults exactly (tape content)', () => {
  /** Cuts the tape into chunks, then builds a delivery with known losses, replays and swaps. */
  const plan = fc.record({
    // 8 bytes or more: any 8 tape bytes are unique, so a chunk names its own offset
    sizes: fc.array(fc.integer({ min: 8, max: 40 }), { minLength: 1, maxLength: 30 }),
    ops: fc.array(fc.constantFrom<string>('ok', 'drop', 'replay', 'swap'), { minLength: 30, maxLength: 30 }),
  });

  it('counts lost, duplicated and out-of-order bytes as injected', () => {
    fc.assert(
      fc.property(plan, ({ sizes, ops }) => {
        const chunks: string[] = [];
        let at = 0;
        for (const n of sizes) {
          chunks.push(tape('stdout', at, n));
          at += n;
        }
        const prod = chunks.map((c, i) => ({ t: i, data: enc(c) }));
        const deliv: Array<{ t: number; data: Uint8Array }> = [];
        let lost = 0;
        let dup = 0;
        let ooo = 0;
        let skippedAtEnd = 0;
        const len = (i: number) => (chunks[i] as string).length;
        for (let i = 0; i < chunks.length; i++) {
          const op = ops[i];
          if (op === 'drop') {
            lost += len(i);
            skippedAtEnd += len(i);
            continue;
          }
          skippedAtEnd = 0;
          if (op === 'swap' && i + 1 < chunks.length && ops[i + 1] !== 'drop') {
            deliv.push({ t: 100 + i, data: enc(chunks[i + 1] as string) }, { t: 100 + i, data: enc(chunks[i] as string) });
            ooo += len(i);
            i++;
            continue;
          }
          deliv.push({ t: 100 + i, data: enc(chunks[i] as string) });
          if (op === 'replay') {
            // the runner replays everything from the head again
            deliv.push({ t: 100 + i, data: enc(chunks.slice(0, i + 1).join('')) });
            for (let j = 0; j <= i; j++) dup += ops[j] === 'drop' ? 0 : len(j);
            // dropped chunks before it now arrive, late: they are out of order, not lost
            for (let j = 0; j < i; j++) {
              if (ops[j] === 'drop') {
                lost -= len(j);
                ooo += len(j);
              }
            }
            // swapped pairs were already delivered once; replays count them as duplicates (done)
            for (let j = 0; j < i; j++) if (ops[j] === 'drop') ops[j] = 'ok-late';
          }
        }
        void skippedAtEnd;
        // without a result, a dropped tail is not a claimed loss: give a clean exit to claim it
        const a = accountStream('stdout', prod, deliv, { claimsCompletion: true, resultAt: 1e9 });
        expect(sumRanges(a.lost)).toBe(lost);
        expect(sumRanges(a.duplicated)).toBe(dup);
        expect(sumRanges(a.outOfOrder)).toBe(ooo);
        expect(a.unknownBytes).toBe(0);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('output accounting: alignment edge cases', () => {
  it('a coincidental one-byte match does not derail the alignment', () => {
    const a = accountStream('stdout', produced([1, 'ty'], [2, 'zz']), delivered([3, 'tx']), { claimsCompletion: true });
    expect(a.unknownBytes).toBe(1);
    expect(sumRanges(a.lost)).toBe(3);
  });

  it('output shorter than the alignment window still aligns', () => {
    const a = accountStream('stdout', produced([1, 'hi\n']), delivered([2, 'hi\n'], [3, 'hi\n']), { claimsCompletion: true });
    expect(sumRanges(a.duplicated)).toBe(3);
    expect(a.unknownBytes).toBe(0);
  });
});
