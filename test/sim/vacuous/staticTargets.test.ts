/**
 * Static fault-target checks: where the target knows the names (session-wait's processes and
 * files, the connections of exec-stream and attach-pump, exec-stream's seqs), a fault aimed at
 * another is refused before the run (exit 2, "invalid scenario", the JSON path and the names);
 * what it cannot know (a pid, the n-th connection) is left to the dynamic check. A fault kind
 * that takes no `target` refuses one: a field given but ignored would be a vacuous pass.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { validateFaults } from '../../../sim/faults/validate.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { faultSpecsOf } from '../../../sim/scenario/load.ts';
import { runEdited, type Edit } from './runEdited.ts';

const WAIT = 'scenarios/field-bugs/session-wait/pid-reuse-after-death.fixed.json';
const EXEC = 'scenarios/field-bugs/exec-stream/37207-lag-skips.json';
const ATTACH = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
const DIR = '/state/csa/project/sessions/01JW5S3SS10N000000000000AA';

/** Refused before the run: the loader's "invalid scenario" (not the run's "took no effect"), with each line. */
async function refusedBefore(file: string, edit: Edit, lines: string[]) {
  const r = await runEdited(file, edit);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`${r.path}: invalid scenario`);
  expect(r.stderr).not.toContain('took no effect');
  for (const l of lines) expect(r.stderr).toContain(l);
  expect(r.summary().status).toBe('bad-input');
}

describe('faults aimed at names the run cannot have are refused before it runs', () => {
  it('session-wait: a misspelt kill and pid-reuse, and the tool when the workload has none', async () => {
    await refusedBefore(
      WAIT,
      (s) => {
        s.faults = [
          { at: 10000, kind: 'kill', target: 'daemon', signal: 'SIGKILL' },
          { at: 12000, kind: 'pid-reuse', target: 'csa-deamon' },
          { at: 1000, kind: 'kill', target: 'codex' },
        ];
      },
      [
        'faults[0]: kill "daemon" matched no process (processes in this run: csa-daemon, csa-wait, unrelated)',
        'faults[1]: pid-reuse "csa-deamon" matched no process',
        'faults[2]: kill "codex" matched no process',
      ],
    );
    // with a tool child, killing it is fine; a pid is left to the run
    const r = await runEdited(WAIT, (s) => {
      s.workload.tool = { startMs: 100, endMs: 20000, outputEveryMs: 0, outputResult: null };
      s.faults = [{ at: 1000, kind: 'kill', target: 'codex' }];
    });
    expect(r.stderr).not.toContain('invalid scenario');
  });

  it('session-wait: torn-read and set-mtime of a misspelt path', async () => {
    await refusedBefore(
      WAIT,
      (s) => {
        s.faults = [
          { at: 2400, kind: 'torn-read', target: `${DIR}/resullt.toml`, count: 1 },
          { at: 2400, kind: 'set-mtime', target: '/state/csa/nope.toml', mtimeMs: 0 },
        ];
      },
      [
        `faults[0]: torn-read "${DIR}/resullt.toml" matched no file (files in this run: ${DIR}/result.toml, `,
        'faults[1]: set-mtime "/state/csa/nope.toml" matched no file',
      ],
    );
  });

  it('exec-stream: a lag of a misspelt connection, a reorder of a seq the server never sends', async () => {
    await refusedBefore(
      EXEC,
      (s) => {
        s.faults = [
          { at: 0, kind: 'lag', target: 'client->exec-srver', durationMs: 100, extraMs: 5 },
          { at: 0, kind: 'notification-reorder', seq: 9007199254740991, holdMs: 5 },
        ];
      },
      [
        'faults[0]: lag "client->exec-srver" matched no connection (connections in this run: client->exec-server)',
        'faults[1].seq: 9007199254740991 is past the last seq of this workload',
      ],
    );
  });

  it('attach-pump: a cut of a misspelt connection or host; the n-th connection is left to the run', async () => {
    await refusedBefore(
      ATTACH,
      (s) => {
        s.faults = [
          { at: 2000, kind: 'cut', target: 'client->runnr' },
          { at: 2000, kind: 'refuse', target: 'proxy' },
        ];
      },
      [
        'faults[0]: cut "client->runnr" matched no connection (connections in this run: client->runner)',
        'faults[1]: refuse "proxy" matched no connection',
      ],
    );
    const r = await runEdited(ATTACH, (s) => {
      s.faults = [{ at: 2000, kind: 'cut', target: 'client->runner#9' }];
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a fault took no effect');
  });
});

describe('a target field given but ignored is refused', () => {
  it('every fault kind without a target parameter refuses a target field', async () => {
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    let checked = 0;
    for (const name of registry.names()) {
      const t = await registry.get(name);
      for (const spec of faultSpecsOf(t)) {
        if ('target' in spec.params) continue;
        checked++;
        expect(validateFaults([{ at: 0, kind: spec.kind, target: 'anything' }], faultSpecsOf(t)), `${name} ${spec.kind}`).toContain(
          `faults[0].target: unknown field (expected one of ${['at', 'kind', ...Object.keys(spec.params)].join(', ')})`,
        );
      }
    }
    // exec-stream's and session-wait's own kinds
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it("attach-pump's runner-wide kinds take only the one target there is", async () => {
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const t = await registry.get('attach-pump');
    for (const f of [
      { at: 0, kind: 'slow-subscriber', target: 'box', durationMs: 10 },
      { at: 0, kind: 'mute-exit', target: 'client->runner' },
      { at: 0, kind: 'evict', target: 'runnr' },
    ])
      expect(validateFaults([f], faultSpecsOf(t))).toEqual(['faults[0].target: expected "runner", got ' + JSON.stringify(f.target)]);
  });
});
