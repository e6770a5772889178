/**
 * `execsim validate --client "CMD {url}" --protocol codex-exec-server` with a small consumer of
 * our own (test/fixtures/clients/execConsumer.mjs), so no test downloads codex: the reference
 * exec-server served for real with its scripted process, the target's own fault kinds fired on
 * it (notification-reorder) and through the proxy, the consumer JSON lines, the exec-stream
 * checkers on the real run beside the v1-pushed model, and the reports. A consumer that completes
 * on Exited without waiting for Closed, one that skips a seq gap, and one that takes a legacy exit
 * as not denied, are each flagged with the property they break; the correct one passes. Plus the observation adapter on codex's own
 * answers (the texts 0.169.0 sent back to the model).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';
import { noLostOutput } from '../../../sim/check/index.ts';
import { Observation, parseConsumerLine, parseToolOutput } from '../../../sim/real/validate/codexClient/observation.ts';
import { CONSUMER_CASES } from '../../../sim/real/validate/codexClient/cases.ts';
import { describeResult, modelScenario, outcomesDiffer } from '../../../sim/real/validate/codexClient/validateConsumer.ts';
import { target as execStream } from '../../../reference-impl/exec-stream/target.ts';
import type { ExecObserved } from '../../../reference-impl/exec-stream/target/history.ts';
import { runScenario } from '../../../sim/runner.ts';
import { processScript } from '../../../reference-impl/exec-stream/target/processSource.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const consumer = (bug?: string) => `"${process.execPath}" "${join(ROOT, 'test/fixtures/clients/execConsumer.mjs')}" {url}${bug ? ` --bug ${bug}` : ''}`;
const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
interface CaseJson {
  name: string;
  real: Record<string, string>;
  model: Record<string, string>;
  differs: string[];
}
async function run(bug: string | undefined, cases: string): Promise<{ code: number; byName: Record<string, CaseJson>; io: ReturnType<typeof capture>; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-vconsumer-'));
  const io = capture();
  const code = await main(['validate', '--client', consumer(bug), '--protocol', 'codex-exec-server', '--cases', cases, '--report', dir], io);
  const json = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { cases: CaseJson[] };
  return { code, byName: Object.fromEntries(json.cases.map((c) => [c.name, c])), io, dir };
}

describe('validate --client (an exec-server consumer over real sockets)', () => {
  it('passes a correct consumer, with the v1-pushed model beside it', async () => {
    const { code, byName, io, dir } = await run(undefined, 'clean,notification-reorder,pipes-held');
    expect(code, io.stderr + io.stdout).toBe(0);
    for (const c of Object.values(byName)) {
      expect(Object.values(c.real).filter((v) => v === 'violated'), c.name).toEqual([]);
      expect(c.real['no-lost-output'], c.name).toBe('holds');
      expect(c.real['seq-discipline'], c.name).toBe('not applicable');
      // the model records its wire and judges the executor's frames; no verdict of the consumer's to differ on
      expect(c.model['seq-discipline'], c.name).toBe('holds');
      expect(c.differs, c.name).toEqual([]);
    }
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<skipped');
  }, 120_000);

  it('flags a consumer that completes on Exited without waiting for Closed (authoritative-completion)', async () => {
    const { code, byName } = await run('exited', 'pipes-held');
    expect(code).toBe(1);
    const c = byName['pipes-held'] as CaseJson;
    expect(c.real['authoritative-completion']).toBe('violated');
    expect(c.model['authoritative-completion']).toBe('holds');
    expect(c.differs).toContain('authoritative-completion');
  }, 120_000);

  it('flags a consumer that skips a seq gap (no-lost-output)', async () => {
    const { code, byName } = await run('skip-gap', 'notification-reorder');
    expect(code).toBe(1);
    const c = byName['notification-reorder'] as CaseJson;
    expect(c.real['no-lost-output']).toBe('violated');
    expect(c.model['no-lost-output']).toBe('holds');
  }, 120_000);

  it("judges the denial a consumer reports: one that takes a legacy exit as not denied is flagged (#29424), the correct one holds", async () => {
    const bad = await run('assume-undenied', 'legacy-server');
    expect(bad.code).toBe(1);
    const c = bad.byName['legacy-server'] as CaseJson;
    expect(c.real['truthful-exit']).toBe('violated');
    expect(c.real['authoritative-completion']).toBe('violated');
    const good = await run(undefined, 'legacy-server,sandboxed-exit');
    expect(good.code, good.io.stderr + good.io.stdout).toBe(0);
    for (const k of ['legacy-server', 'sandboxed-exit']) expect([k, good.byName[k]?.real['truthful-exit']]).toEqual([k, 'holds']);
  }, 120_000);

  it('refuses a bad JSON line with a clear error (exit 2)', async () => {
    const io = capture();
    const code = await main(['validate', '--client', `sh -c 'echo "{\\"type\\":\\"nope\\"}"; sleep 5' {url}`, '--protocol', 'codex-exec-server', '--cases', 'clean'], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/\$\.type: expected "output", "gap", "result" or "failure"/);
  }, 60_000);
});

describe('the observation adapter', () => {
  const clean = CONSUMER_CASES.find((c) => c.name === 'clean')!;
  const tape = processScript(clean.workload).steps.map((s) => String(s.data)).join('');

  it("parses codex's answers: exited, still running, an error", () => {
    expect(parseToolOutput(`Chunk ID: 1\nWall time: 0.2 seconds\nProcess exited with code 3\nOriginal token count: 4\nOutput:\n${tape}`)).toEqual({ kind: 'exited', code: 3, output: tape });
    expect(parseToolOutput('Chunk ID: 2\nProcess running with session ID 41183\nOutput:\no000000\n')).toEqual({ kind: 'running', sessionId: 41183, output: 'o000000\n' });
    expect(parseToolOutput('exec_command failed: ProcessFailed { message: "x" }').kind).toBe('error');
    expect(() => parseConsumerLine('{"type":"output","stream":"tty","data":""}')).toThrow(/\$\.stream/);
  });

  it('puts merged output back on its streams, so a missing record is a loss the checker sees', () => {
    const truthOf = () => {
      const streams: Record<string, Array<{ t: number; data: Uint8Array }>> = {};
      for (const s of processScript(clean.workload).steps) (streams[s.stream] ??= []).push({ t: s.atMs, data: new Uint8Array(Buffer.from(String(s.data))) });
      return { streams, outcome: { kind: 'running' as const }, recoverable: true, unrecoverableBecause: [], runEndedAt: 1_000 };
    };
    const whole = new Observation(clean.workload);
    whole.text(500, tape);
    expect(noLostOutput({ observed: whole.history([]), truth: truthOf() }).valid).toBe(true);
    const missing = new Observation(clean.workload);
    missing.text(500, tape.replace('o000001\n', ''));
    const r = noLostOutput({ observed: missing.history([]), truth: truthOf() });
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/stdout/);
  });

  it('compares terminal answers by kind and code; a denial only where the real answer states one', () => {
    const exit = (code: number, denied?: boolean) => [{ t: 1, outcome: { kind: 'exit' as const, code, ...(denied !== undefined ? { denied } : {}) } }];
    const failure = [{ t: 2, outcome: { kind: 'failure' as const, message: 'x' } }];
    expect(outcomesDiffer(exit(0), failure)).toBe(true);
    expect(outcomesDiffer(exit(0), exit(-1))).toBe(true);
    expect(outcomesDiffer(exit(1), exit(1, true))).toBe(false);
    expect(outcomesDiffer(exit(1, false), exit(1, true))).toBe(true);
    expect(outcomesDiffer(failure, failure)).toBe(false);
    expect(outcomesDiffer([], failure)).toBe(true);
  });
});

describe("the model's resume, corrected by what codex 0.169.0 did (issue 15)", () => {
  // observed: `validate --client codex@0.169.0 --cases cut-27s,cut-beyond-ttl` (real time)
  const model = async (name: string, variant: string) => {
    const c = CONSUMER_CASES.find((x) => x.name === name);
    if (!c) throw new Error(name);
    const r = await runScenario(execStream, modelScenario(c, variant));
    const results = (r.outcome.observed as ExecObserved).results;
    return { answer: describeResult(results, 0), violated: r.violated, recoverable: r.outcome.truth.recoverable };
  };
  it('cut-27s: v1-pushed retries with no client deadline and resumes, as codex did (exit 0 @27.6 s)', async () => {
    const m = await model('cut-27s', 'v1-pushed');
    expect(m.answer).toMatch(/^exit 0 @27\.\ds$/);
    expect(m.violated).toEqual([]);
    expect(m.recoverable).toBe(false); // the spec still lets a client give up here (spec.ts)
  });
  it('cut-beyond-ttl: the server refuses the session at its 30 s TTL (codex: -32600 unknown session id @30.6 s)', async () => {
    const m = await model('cut-beyond-ttl', 'v1-pushed');
    expect(m.answer).toMatch(/^failure "exec-server transport disconnected: resume failed: unknown session id .*" @30\.\ds$/);
    expect(m.violated).toEqual([]);
  });
  it("v0-poll keeps #28512's 25 s window: it gives up on the same 27 s cut (legal: the detach is past the spec's limit)", async () => {
    const m = await model('cut-27s', 'v0-poll');
    expect(m.answer).toMatch(/^failure "exec-server transport disconnected: could not resume the session within the reco" @25\.\ds$/);
    expect(m.violated).toEqual([]);
  });
});
