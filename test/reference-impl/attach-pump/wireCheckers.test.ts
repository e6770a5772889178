/** `cursor-frames`: the runner's frames on a cursor attach start at the cursor, whatever the client drops (issue 12). */
import { describe, expect, it } from 'vitest';
import { target } from '../../../reference-impl/attach-pump/target.ts';
import type { WireConnection, WireFrame } from '../../../reference-impl/attach-pump/target/proxy.ts';
import { cursorFrames } from '../../../reference-impl/attach-pump/target/wireCheckers.ts';
import { outputFrame, gapFrame } from '../../../reference-impl/attach-pump/wire.ts';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../sim/runner.ts';

const URL = 'ws://runner:8080/boxes/box1/executions/e1/attach';
const out = (t: number, stream: 'stdout' | 'stderr', bytes: number, offset?: number): WireFrame => {
  const f = outputFrame(stream, new Uint8Array(bytes), offset);
  return { t, head: f.slice(0, 9), length: f.length };
};
const conn = (url: string, frames: WireFrame[]): WireConnection => ({ id: 'client->runner#2', url, frames });
const check = (...wire: WireConnection[]) => cursorFrames({ observed: { wire } });

describe('cursor-frames', () => {
  it('passes frames from the cursor, contiguous, with a gap frame from the cursor; ignores plain attaches', () => {
    expect(check(conn(URL, [out(1, 'stdout', 5)])).valid).toBe(true);
    const c = `${URL}?stdout=10&stderr=0`;
    expect(
      check(
        conn(c, [
          out(1, 'stdout', 5, 10),
          out(2, 'stderr', 3, 0),
          out(3, 'stdout', 2, 15),
          { t: 4, text: '{"type":"exit","exit_code":0}' },
        ]),
      ).valid,
    ).toBe(true);
    expect(check(conn(c, [{ t: 1, text: gapFrame('stdout', 10, 40) }, out(2, 'stdout', 4, 40)])).valid).toBe(true);
  });
  it('fails a resume before the cursor (an overlap the client would drop), after it (a hole), or unpositioned', () => {
    const c = `${URL}?stdout=10&stderr=0`;
    const overlap = check(conn(c, [out(1, 'stdout', 5, 0)]));
    expect(overlap.valid).toBe(false);
    expect(overlap.summary).toMatch(/offset 0, expected 10 \(overlap\)/);
    expect(check(conn(c, [out(1, 'stdout', 5, 10), out(2, 'stdout', 1, 16)])).summary).toMatch(/offset 16, expected 15 \(hole\)/);
    expect(check(conn(c, [out(1, 'stderr', 5)])).summary).toMatch(/unpositioned/);
    expect(check(conn(c, [{ t: 1, text: gapFrame('stdout', 12, 40) }])).summary).toMatch(/gap from 12, expected 10/);
  });
  it('reads a gap frame however its JSON is written (escapes included), and skips pings and other text', () => {
    const c = `${URL}?stdout=10&stderr=0`;
    const escaped = '{"type":"g\\u0061p","stream":"stdout","from":12,"to":40}';
    expect(JSON.parse(escaped)).toEqual({ type: 'gap', stream: 'stdout', from: 12, to: 40 });
    expect(check(conn(c, [{ t: 1, text: escaped }])).summary).toMatch(/gap from 12, expected 10/);
    // an escaped gap frame from the cursor moves it: the frame after it must start at its end
    const moved = check(conn(c, [{ t: 1, text: escaped.replace('12', '10') }, out(2, 'stdout', 4, 12)]));
    expect(moved.summary).toMatch(/offset 12, expected 40 \(overlap\)/);
    expect(check(conn(c, [{ t: 1, text: '\u0000ws:ping' }, { t: 2, text: '{"type":"error","message":"gap"}' }])).valid).toBe(true);
  });
  it('is exercised by the corpus: cursor attaches with real frames pass', async () => {
    const s = JSON.parse(readFileSync('scenarios/field-bugs/attach-pump/cut-while-running.cursor.json', 'utf8'));
    const r = await runScenario(target, s as never);
    const wire = (r.outcome.observed as unknown as { wire: WireConnection[] }).wire.filter((w) => w.url.includes('?stdout='));
    expect(wire.length).toBeGreaterThanOrEqual(1);
    expect(wire.flatMap((w) => w.frames).length).toBeGreaterThan(0);
    expect(r.violated).toEqual([]);
  });
});
