/**
 * Oracles from the spec, not from the code (issue 12): checkers, truth and recoverability reach
 * no implementation file through a value import, so a constant changed in the implementation
 * cannot move the oracle with it. Bounds live in each target's `target/spec.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { implementationReached, valueImports } from '../helpers/oracleImports.ts';

const ORACLES: Record<string, string[]> = {
  'reference-impl/exec-stream': [
    'target/spec.ts',
    'target/checkers.ts',
    'target/wireCheckers.ts',
    'target/recoverable.ts',
    'target/wireFate.ts',
    'target/collect.ts',
    'target/history.ts',
  ],
  'reference-impl/session-wait': ['target/spec.ts', 'target/checkers.ts', 'target/truth.ts'],
  'reference-impl/attach-pump': [
    'target/spec.ts',
    'target/checkers.ts',
    'target/wireCheckers.ts',
    'target/recoverability.ts',
    'target/outcome.ts',
  ],
};

describe('checkers and truth import no implementation file', () => {
  for (const [dir, files] of Object.entries(ORACLES)) {
    it(dir, () => expect(implementationReached(dir, files)).toEqual([]));
  }
});

describe('the scan itself, on a synthetic target', () => {
  const root = mkdtempSync(join(tmpdir(), 'execsim-oracle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('client/timers.ts', 'export const WINDOW_MS = 25_000;\n');
  write('target/spec.ts', 'export const SPEC_WINDOW_MS = 25_000;\n');
  write('target/helper.ts', "import { WINDOW_MS } from '../client/timers.ts';\nexport const X = WINDOW_MS;\n");

  it('passes spec imports and type-only imports of the implementation', () => {
    write(
      'target/checkers.ts',
      "import { SPEC_WINDOW_MS } from './spec.ts';\nimport type { T } from '../client/timers.ts';\nimport { type U } from '../client/timers.ts';\n",
    );
    expect(implementationReached(root, ['target/checkers.ts'])).toEqual([]);
  });
  it('fails on a planted value import of an implementation constant, direct or through a helper', () => {
    write('target/checkers.ts', "import { SPEC_WINDOW_MS } from './spec.ts';\nimport { WINDOW_MS } from '../client/timers.ts';\n");
    expect(implementationReached(root, ['target/checkers.ts'])).toEqual(['target/checkers.ts -> client/timers.ts']);
    write('target/checkers.ts', "import { X } from './helper.ts';\n");
    expect(implementationReached(root, ['target/checkers.ts'])).toEqual(['target/checkers.ts -> target/helper.ts -> client/timers.ts']);
    write('target/checkers.ts', "import { type A, B } from '../client/timers.ts';\n");
    expect(implementationReached(root, ['target/checkers.ts'])).toHaveLength(1);
  });
  it('reads multi-line import clauses and re-exports', () => {
    expect(
      valueImports("import {\n  A,\n  B,\n} from '../x.ts';\nexport { C } from './y.ts';\nimport type {\n  D,\n} from '../z.ts';\n"),
    ).toEqual(['../x.ts', './y.ts']);
  });
});

describe("the faithful implementations agree with the spec modules' constants", () => {
  it('exec-stream', async () => {
    const spec = await import('../../reference-impl/exec-stream/target/spec.ts');
    const { RECOVERY_WINDOW_MS } = await import('../../reference-impl/exec-stream/client/execClient.ts');
    const { DETACHED_SESSION_TTL_MS } = await import('../../reference-impl/exec-stream/server/sessions.ts');
    const { EXITED_PROCESS_RETENTION_MS } = await import('../../reference-impl/exec-stream/server/processTable.ts');
    const knobs = await import('../../reference-impl/exec-stream/server/knobs.ts');
    const { METHOD } = await import('../../reference-impl/exec-stream/protocol/wire.ts');
    expect([RECOVERY_WINDOW_MS, DETACHED_SESSION_TTL_MS, EXITED_PROCESS_RETENTION_MS]).toEqual([
      spec.SPEC_RECOVERY_WINDOW_MS,
      spec.SPEC_DETACHED_SESSION_TTL_MS,
      spec.SPEC_EXITED_PROCESS_RETENTION_MS,
    ]);
    expect([knobs.RETAINED_OUTPUT_BYTES_PER_PROCESS, knobs.RETAINED_OUTPUT_CHUNKS_PER_PROCESS]).toEqual([
      spec.SPEC_RETAINED_BYTES_MAX,
      spec.SPEC_RETAINED_CHUNKS_MAX,
    ]);
    for (const [k, v] of Object.entries(spec.SPEC_METHOD)) expect(METHOD[k as keyof typeof METHOD]).toBe(v);
  });
  it('session-wait', async () => {
    const spec = await import('../../reference-impl/session-wait/target/spec.ts');
    const { LOCK_FILE_STALE_MS } = await import('../../reference-impl/session-wait/liveness.ts');
    const { POLL_INTERVAL_MS } = await import('../../reference-impl/session-wait/waitLoop.ts');
    const { DAEMON_NAME } = await import('../../reference-impl/session-wait/daemon.ts');
    expect([LOCK_FILE_STALE_MS, POLL_INTERVAL_MS, DAEMON_NAME]).toEqual([
      spec.SPEC_LOCK_FILE_STALE_MS,
      spec.SPEC_POLL_INTERVAL_MS,
      spec.SPEC_DAEMON_PROCESS_NAME,
    ]);
  });
  it('attach-pump', async () => {
    const spec = await import('../../reference-impl/attach-pump/target/spec.ts');
    const { CLIENT, RUNNER } = await import('../../reference-impl/attach-pump/constants.ts');
    const { STREAMS } = await import('../../reference-impl/attach-pump/wire.ts');
    expect([
      CLIENT.firstFrameTimeoutMs,
      CLIENT.watchdogMs,
      CLIENT.probeTimeoutMs,
      CLIENT.reconnectBudgetMs,
      CLIENT.backoffInitialMs,
      CLIENT.backoffMaxMs,
      CLIENT.handshakeTimeoutMs,
      RUNNER.drainMs,
    ]).toEqual([
      spec.SPEC_FIRST_FRAME_TIMEOUT_MS,
      spec.SPEC_WATCHDOG_MS,
      spec.SPEC_PROBE_TIMEOUT_MS,
      spec.SPEC_RECONNECT_BUDGET_MS,
      spec.SPEC_BACKOFF_INITIAL_MS,
      spec.SPEC_BACKOFF_MAX_MS,
      spec.SPEC_HANDSHAKE_TIMEOUT_MS,
      spec.SPEC_RUNNER_DRAIN_MS,
    ]);
    expect([...STREAMS]).toEqual([...spec.SPEC_STREAMS]);
  });
});
