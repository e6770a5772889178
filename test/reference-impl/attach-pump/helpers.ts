/** Shared builders for the attach-pump tests. */
import type { Fault } from '../../../sim/index.ts';
import { runScenario, type ScenarioRun } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target, type AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';

export const ECHO_HELLO: AttachWorkload = {
  command: 'echo hello',
  steps: [{ atMs: 0, stream: 'stdout', text: 'hello\n' }],
  exit: { atMs: 5, code: 0 },
};

export function scenario(
  variant: string,
  workload: AttachWorkload,
  faults: Fault[] = [],
  extra: Partial<Scenario<AttachWorkload>> = {},
): Scenario<AttachWorkload> {
  return { format: 1, target: 'attach-pump', variant, seed: 1, mode: 'safety', workload, faults, expect: 'pass', ...extra };
}

export interface Ran extends ScenarioRun {
  stdout: string;
  stderr: string;
  /** Every result the user got. */
  results: Array<{ t: number; exitCode: number | null; error?: string }>;
  /** Trace events of one kind. */
  events(kind: string): Array<{ t: number; data: Record<string, unknown> }>;
}

export async function run(s: Scenario<AttachWorkload>): Promise<Ran> {
  const r = await runScenario(target, s);
  const text = (k: string) => Buffer.concat((r.outcome.observed.streams[k] ?? []).map((c) => Buffer.from(c.data))).toString();
  return {
    ...r,
    stdout: text('stdout'),
    stderr: text('stderr'),
    results: r.outcome.observed.results.map((x) => {
      const o = x.outcome as { code: number | null; error?: string };
      return o.error === undefined ? { t: x.t, exitCode: o.code } : { t: x.t, exitCode: o.code, error: o.error };
    }),
    events: (kind) =>
      r.world.trace.events.filter((e) => e.kind === kind).map((e) => ({ t: e.t, data: (e.data ?? {}) as Record<string, unknown> })),
  };
}

/** `A\n` at 100 ms, `B\n` at 300 ms, exit 0 at 300 ms: spec scenario 2, spread past the latency. */
export const A_THEN_B: AttachWorkload = {
  command: 'printf A; sleep; printf B',
  steps: [
    { atMs: 100, stream: 'stdout', text: 'A\n' },
    { atMs: 300, stream: 'stdout', text: 'B\n' },
  ],
  exit: { atMs: 300, code: 0 },
};
