/**
 * The wire record a simulated exec-stream run keeps (target/wireTap.ts): what the wire checkers
 * read, as the client saw it, and nothing else (issue 17: a run pays for every event it keeps).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import { WIRE_RECORD, wireFramesOf } from '../../../reference-impl/exec-stream/target/wireCheckers.ts';
import type { AnyTarget } from '../../../sim/registry.ts';
import { runScenario } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';

const FILE = new URL('../../../scenarios/field-bugs/exec-stream/18212-no-dedupe.v1-strict.json', import.meta.url);

describe('the wire record of a simulated exec-stream run', () => {
  it('keeps the reads and their answers and the numbered notifications, reduced to the fields judged', async () => {
    const scenario = JSON.parse(readFileSync(FILE, 'utf8')) as Scenario;
    const run = await runScenario(target as AnyTarget, scenario);
    const frames = wireFramesOf(run.outcome.history, 'client');
    // this scenario: a lag read after seq 1 while the process runs, then Exited 14 and Closed 15 pushed
    const sent = frames.filter((f) => f.dir === 'out').map((f) => f.message);
    expect(sent).toEqual([{ id: 3, method: 'process/read', params: { processId: 'p1', afterSeq: 1, maxBytes: null } }]);
    const got = frames.filter((f) => f.dir === 'in').map((f) => f.message ?? {});
    const methods = new Set(got.map((m) => m.method ?? 'a read answer'));
    expect([...methods].sort()).toEqual(['a read answer', 'process/closed', 'process/exited', 'process/output']);
    for (const m of got) {
      if (m.method === 'process/output') expect(Object.keys(m.params as object).sort()).toEqual(['chunk', 'processId', 'seq', 'stream']);
      else if (m.method) expect(Object.keys(m.params as object).sort()).toEqual(['processId', 'seq']);
      else expect(Object.keys(m.result as object).sort()).toEqual(['chunks', 'closed', 'exited', 'nextSeq']);
    }
    const answer = got.find((m) => m.id === 3)?.result as { chunks: Array<{ seq: number }>; nextSeq: number };
    expect(answer.chunks.map((c) => c.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // the handshake and the start are not recorded: the checkers never read them
    expect(run.outcome.history.filter((e) => e.kind === WIRE_RECORD.in || e.kind === WIRE_RECORD.out)).toHaveLength(frames.length);
    // a read and its answer, outputs 1-13 pushed (12 before the read, one after), Exited and Closed
    expect(frames.length).toBe(1 + 1 + 13 + 2);
    // and the run judges the wire properties on it
    expect(run.checks.results['next-seq']).toMatchObject({ valid: true, summary: '1 reads, each nextSeq by the rules' });
    expect(run.checks.results['seq-discipline']?.valid).toBe(true);
  });
});
