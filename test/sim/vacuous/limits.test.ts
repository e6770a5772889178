/**
 * Limits are data: each target's workload states its limits (output bytes, output steps,
 * duration, processes) in its schema; a scenario above any is refused before anything runs
 * (exit 2, the JSON path and the limit). Within them a run never crashes the harness: a target's
 * own exception is `no-crash` violated (exit 1) with its message; a bug of execsim's is exit 3
 * with one line naming a report file, never a stack trace. Before: 10^10 bytes of attach output
 * crashed with RangeError after 27 s, 200 MiB took 2.9 GB, 200,000 output steps hung past 90 s.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACH_LIMITS } from '../../../reference-impl/attach-pump/target/workload.ts';
import { EXEC_LIMITS } from '../../../reference-impl/exec-stream/target/workload.ts';
import { SESSION_WAIT_LIMITS } from '../../../reference-impl/session-wait/target/workloadSchema.ts';
import { main } from '../../../sim/cli/main.ts';
import { MAX_FAULTS } from '../../../sim/limits.ts';
import { capture, runEdited, type Edit } from './runEdited.ts';

const ATTACH = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
const EXEC = 'scenarios/field-bugs/exec-stream/37207-lag-skips.json';
const WAIT = 'scenarios/field-bugs/session-wait/packet-only-success.fixed.json';
const MiB = 1024 * 1024;

/** Refused before anything runs: exit 2, the file, each line, no stack trace, a bad-input summary. */
async function refused(file: string, edit: Edit, lines: string[]) {
  const r = await runEdited(file, edit);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(r.path);
  for (const l of lines) expect(r.stderr).toContain(l);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.summary().status).toBe('bad-input');
}

describe('oversized workloads are refused before they run', () => {
  it('the limits are in the schema: maxima, list lengths, and each workload says its limits', () => {
    const schema = JSON.parse(readFileSync('scenarios/scenario.schema.json', 'utf8')) as {
      definitions: Record<string, any>;
      properties: Record<string, any>;
    };
    const ap = schema.definitions['attach-pump.workload'];
    expect(ap.description).toContain('Limits: at most 4194304 bytes (4 MiB) of output, 10000 output steps');
    expect(ap.properties.steps.maxItems).toBe(ATTACH_LIMITS.steps);
    expect(ap.properties.steps.items.properties.bytes.maximum).toBe(ATTACH_LIMITS.bytes);
    const es = schema.definitions['exec-stream.workload'];
    expect(es.properties.chunks.maxItems).toBe(EXEC_LIMITS.steps);
    expect(es.properties.chunks.items.properties.bytes.maximum).toBe(EXEC_LIMITS.bytes);
    const sw = schema.definitions['session-wait.workload'];
    expect(sw.description).toContain('3600000 ms (1 h) of virtual time, 64 processes');
    expect(sw.properties.exitAtMs.maximum).toBe(SESSION_WAIT_LIMITS.durationMs);
    expect(schema.properties.faults.maxItems).toBe(MAX_FAULTS);
  });

  it('attach-pump: 10^10 bytes in one write, 200 MiB in all, 200,000 writes', async () => {
    await refused(
      ATTACH,
      (s) => {
        s.workload.steps = [{ atMs: 0, stream: 'stdout', bytes: 1e10 }];
      },
      [`workload.steps[0].bytes: 10000000000 is over attach-pump's limit of ${4 * MiB} bytes`],
    );
    await refused(
      ATTACH,
      (s) => {
        s.workload.steps = Array.from({ length: 50 }, (_, i) => ({ atMs: i, stream: 'stdout', bytes: 4 * MiB }));
      },
      [`workload.steps: ${200 * MiB} bytes (200 MiB) in all, over attach-pump's limit of ${4 * MiB} bytes (4 MiB)`],
    );
    await refused(
      ATTACH,
      (s) => {
        s.workload.steps = Array.from({ length: 200_000 }, (_, i) => ({ atMs: i % 1000, stream: 'stdout', bytes: 8 }));
      },
      ["workload.steps: 200000 items, over attach-pump's limit of 10000 items"],
    );
  });

  it('exec-stream: a 2^53-1-byte chunk, 200,000 chunks, and an exit past the horizon from the sum of the gaps', async () => {
    await refused(
      EXEC,
      (s) => {
        s.workload.chunks = [{ gapMs: 0, stream: 'stdout', bytes: Number.MAX_SAFE_INTEGER }];
      },
      [`workload.chunks[0].bytes: 9007199254740991 is over exec-stream's limit of ${4 * MiB} bytes`],
    );
    await refused(
      EXEC,
      (s) => {
        s.workload.chunks = Array.from({ length: 200_000 }, () => ({ gapMs: 0, stream: 'stdout', bytes: 8 }));
      },
      ["workload.chunks: 200000 items, over exec-stream's limit of 10000 items"],
    );
    await refused(
      EXEC,
      (s) => {
        s.workload.chunks = Array.from({ length: 3 }, () => ({ gapMs: 50_000_000, stream: 'stdout', bytes: 8 }));
      },
      ["workload.exitAfterMs: the workload ends at 150000005 ms, past exec-stream's duration limit of 86400000 ms (24 h)"],
    );
  });

  it('session-wait: a stderr line every millisecond for an hour, a fault past its hour, too many processes', async () => {
    await refused(
      WAIT,
      (s) => {
        s.workload.exitAtMs = 3_600_000;
        s.workload.stderrEveryMs = 1;
      },
      ["workload.stderrEveryMs: 3600001 output steps in all, over session-wait's limit of 10000 output steps"],
    );
    await refused(
      WAIT,
      (s) => {
        s.faults = [{ at: 5_000_000, kind: 'second-wait' }];
      },
      ["faults[0].at: 5000000 ms is past session-wait's duration limit of 3600000 ms (1 h)"],
    );
    await refused(
      WAIT,
      (s) => {
        s.workload.exitAtMs = 1e9;
      },
      ["workload.exitAtMs: 1000000000 is over session-wait's limit of 3600000 ms"],
    );
    await refused(
      WAIT,
      (s) => {
        s.faults = Array.from({ length: 100 }, (_, i) => ({ at: i, kind: 'second-wait' }));
      },
      ["faults: 102 processes in all, over session-wait's limit of 64 processes"],
    );
  });

  it(`a schedule of more than ${MAX_FAULTS} faults`, async () => {
    await refused(
      ATTACH,
      (s) => {
        s.faults = Array.from({ length: MAX_FAULTS + 1 }, (_, i) => ({ at: i, kind: 'cut', target: 'client->runner' }));
      },
      [`faults: ${MAX_FAULTS + 1} items, over execsim's limit of ${MAX_FAULTS} items`],
    );
  });
});

describe('within the limits a run never crashes the harness', () => {
  const THROWING = 'test/fixtures/throwingTarget.ts';
  const pumpScenario = (variant: string, expect: unknown) => ({
    format: 1,
    target: 'throwing-pump',
    variant,
    seed: 1,
    mode: 'safety',
    expect,
    workload: { chunks: [{ gapMs: 1, bytes: 3, stream: 'stdout' }], exitAfterMs: 0, exitCode: 0, pumpDelayMsMax: 5 },
    faults: [],
  });
  async function runPump(scenario: object) {
    const dir = mkdtempSync(join(tmpdir(), 'execsim-crash-'));
    const path = join(dir, 'scenario.json');
    writeFileSync(path, JSON.stringify(scenario));
    const io = capture();
    const code = await main(['run', path, '--target', THROWING, '--report', join(dir, 'reports')], io);
    return { code, io, dir };
  }

  it("a target's own exception is no-crash violated (exit 1), with its message", async () => {
    const { code, io, dir } = await runPump(pumpScenario('throws', 'pass'));
    expect(code).toBe(1);
    expect(io.stdout + io.stderr).toContain('no-crash');
    expect(io.stdout + io.stderr).toContain('RangeError: Invalid string length');
    expect(io.stdout + io.stderr).not.toMatch(/\n\s+at /);
    const summary = readFileSync(join(dir, 'reports', 'summary.json'), 'utf8');
    expect(summary).toContain('target threw at t=0.000s: RangeError: Invalid string length');
    // the other properties are not judged, never counted as held
    expect(summary).toContain('not judged: the target crashed before it had an outcome');
    // a scenario expecting exactly that crash is as expected; the same target's other variants still run
    expect((await runPump(pumpScenario('throws', { violates: ['no-crash'] }))).code).toBe(0);
    expect((await runPump(pumpScenario('wait-close', 'pass'))).code).toBe(0);
  });
});
