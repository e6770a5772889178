/**
 * Kinds whose effect comes after they fire, or depends on the state they meet: session-wait's
 * `daemon-exit-code` (the daemon's own exit with the new code) and `intermediate-result` (the
 * write of result.toml) and `cap-length` (a wait resolving its cap), exec-stream's `read-error` (a process/read that fails),
 * `exit-watcher-lost` (a process whose exit is still to come), `notification-reorder` (the
 * send of its seq), `subscriber-delay` (a late subscription), `consumer-stall` (the consumer
 * held), `legacy-server` (an answer the legacy build gives differently) and `retention-size`
 * (output its caps evict), attach-pump's `mute-exit` (a loop gone silent), `attach-cut` (the connection its cut drops), `slow-subscriber` (a write it
 * blocks) and `evict` (an execution evicted). Each takes effect only when it changed something;
 * otherwise the scenario exits 2 with its JSON path and why, and exploration never keeps it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { effectiveFailure } from '../../../sim/explore/failing.ts';
import { TargetRegistry } from '../../../sim/registry.ts';
import { runScenario } from '../../../sim/runner.ts';
import { loadScenarioText } from '../../../sim/scenario/load.ts';
import { runEdited } from './runEdited.ts';

// The daemon writes its final result at 2000 ms and exits at 2400 ms; the run ends at 2500 ms.
const SESSION = 'scenarios/field-bugs/session-wait/2034-intermediate-result-fault.fixed.json';
const RESULT = '/state/csa/project/sessions/01JW5S3SS10N000000000000AA/result.toml';
// The v0-poll consumer reads with process/read; v1-strict is pushed and never reads.
const POLLS = 'scenarios/field-bugs/exec-stream/f22-v0-poll-lost-exit-watcher.json';
const PUSHED = 'scenarios/field-bugs/exec-stream/37207-lag-skips.v1-strict.json';
// trust-any-result violates no-false-success here with no fault at all; the daemon exits at 300 ms.
const FOUND = 'scenarios/found/session-wait-trust-any-result-safety-seed1.json';

const withFaults = (faults: unknown[]) => (s: Record<string, unknown>) => void (s.faults = faults);
const effects = async (file: string, faults: unknown[]) => {
  const registry = new TargetRegistry(BUILTIN_TARGETS);
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  s.faults = faults;
  const { scenario, target } = await loadScenarioText(JSON.stringify(s), file, registry);
  const run = await runScenario(target, scenario);
  return { run, scenario, target, effects: run.world.trace.events.filter((e) => e.kind === 'fault.effect') };
};

describe('daemon-exit-code takes effect when the daemon exits on its own with the new code', () => {
  it('set while the daemon runs: the effect is its exit, at 2400 ms, and the run passes', async () => {
    const r = await runEdited(SESSION, withFaults([{ at: 1000, kind: 'daemon-exit-code', code: 101 }]));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { effects: e, run } = await effects(SESSION, [{ at: 1000, kind: 'daemon-exit-code', code: 101 }]);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[2400, 'csa-daemon exited 101']]);
    expect(run.fates[0]).toMatchObject({ firedAt: 1000, effect: { t: 2400 } });
  });

  it('after the daemon has exited: exit 2, naming the fault and why', async () => {
    const r = await runEdited(SESSION, withFaults([{ at: 2450, kind: 'daemon-exit-code', code: 101 }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[0]: daemon-exit-code at 2450 ms took no effect: the daemon had already exited');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.summary().status).toBe('bad-input');
  });

  it('a SIGKILL before the exit, a later code that replaces it, or the code it had anyway: exit 2 for that fault only', async () => {
    // the first fault sets 101 at 1000 ms; the second comes at 1500 ms
    const after = (second: unknown) => runEdited(SESSION, withFaults([{ at: 1000, kind: 'daemon-exit-code', code: 101 }, second]));
    const killed = await after({ at: 1500, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' });
    expect(killed.code).toBe(2);
    expect(killed.stderr).toContain('faults[0]: daemon-exit-code at 1000 ms took no effect: the daemon never exited on its own after it');
    expect(killed.stderr).not.toContain('faults[1]');

    const replaced = await after({ at: 1500, kind: 'daemon-exit-code', code: 2 });
    expect(replaced.code).toBe(2);
    expect(replaced.stderr).toContain(
      'faults[0]: daemon-exit-code at 1000 ms took no effect: a later daemon-exit-code (at 1500 ms) replaced its code',
    );
    expect(replaced.stderr).not.toContain('faults[1]');

    const same = await after({ at: 1500, kind: 'daemon-exit-code', code: 101 });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('faults[1]: daemon-exit-code at 1500 ms took no effect: the daemon was to exit 101 already');
    expect(same.stderr).not.toContain('faults[0]');
  });
});

describe('intermediate-result takes effect when it writes result.toml', () => {
  it('before the final result: the effect is the write, and the corpus file passes', async () => {
    const r = await runEdited(SESSION, () => undefined);
    expect(r.code).toBe(0);
    const { effects: e } = await effects(SESSION, [{ at: 1000, kind: 'intermediate-result', status: 'failure', exitCode: 2 }]);
    expect(e).toHaveLength(1);
    expect(e[0]?.data?.on).toBe(RESULT);
    expect(e[0]?.t).toBeGreaterThanOrEqual(1000);
  });

  it('after the final result, or once the daemon is gone: exit 2 with why', async () => {
    const late = await runEdited(SESSION, withFaults([{ at: 2100, kind: 'intermediate-result', status: 'failure', exitCode: 2 }]));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('faults[0]: intermediate-result at 2100 ms took no effect: the final result was already written');
    const gone = await runEdited(SESSION, withFaults([{ at: 2450, kind: 'intermediate-result', status: 'failure', exitCode: 2 }]));
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('faults[0]: intermediate-result at 2450 ms took no effect: the daemon had already exited');
  });
});

describe('cap-length takes effect when a wait resolves its cap', () => {
  // the wait starts at 1500 ms with the default 240 s cap
  it('set before the wait starts: the effect is the wait resolving it, at 1500 ms', async () => {
    const { effects: e } = await effects(SESSION, [{ at: 1000, kind: 'cap-length', capSecs: 5 }]);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[1500, 'the cap resolved by wait (5 s)']]);
  });

  it('after the wait resolved its cap, or the cap it was anyway: exit 2', async () => {
    const late = await runEdited(SESSION, withFaults([{ at: 1600, kind: 'cap-length', capSecs: 5 }]));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('faults[0]: cap-length at 1600 ms took no effect: no wait resolved its cap after it');
    const same = await runEdited(SESSION, withFaults([{ at: 1000, kind: 'cap-length', capSecs: 240 }]));
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('faults[0]: cap-length at 1000 ms took no effect: the cap was 240 s already');
  });

  it('replaced by a later cap-length before the wait resolved it: exit 2 for that fault only, the later one takes effect', async () => {
    const twice = [
      { at: 1000, kind: 'cap-length', capSecs: 5 },
      { at: 1200, kind: 'cap-length', capSecs: 10 },
    ];
    const replaced = await runEdited(SESSION, withFaults(twice));
    expect(replaced.code).toBe(2);
    expect(replaced.stderr).toContain(
      'faults[0]: cap-length at 1000 ms took no effect: a later cap-length (at 1200 ms) replaced its cap before a wait resolved it',
    );
    expect(replaced.stderr).not.toContain('faults[1]');
    expect(replaced.stderr).not.toMatch(/\n\s+at /);
    const { effects: e, run } = await effects(SESSION, twice);
    expect(e.map((x) => [x.t, x.data?.fault, x.data?.on])).toEqual([[1500, 1, 'the cap resolved by wait (10 s)']]);
    expect(run.noEffect).toEqual([
      'faults[0]: cap-length at 1000 ms took no effect: a later cap-length (at 1200 ms) replaced its cap before a wait resolved it',
    ]);
  });
});

describe('read-error takes effect when a process/read fails', () => {
  it('a polling consumer: the effect is its first read, not the firing', async () => {
    const r = await runEdited(POLLS, withFaults([{ at: 0, kind: 'read-error', count: 2 }]));
    expect(r.stderr).not.toContain('took no effect');
    expect([0, 1]).toContain(r.code);
    const { effects: e } = await effects(POLLS, [{ at: 0, kind: 'read-error', count: 2 }]);
    expect(e).toHaveLength(1);
    expect(e[0]?.data?.on).toMatch(/^process\/read of p\d+$/);
    expect(e[0]?.t).toBeGreaterThan(0);
  });

  it('a pushed consumer that never reads: exit 2', async () => {
    const r = await runEdited(PUSHED, withFaults([{ at: 0, kind: 'read-error' }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[0]: read-error at 0 ms took no effect: no process/read request came after it');
  });
});

// The process starts after 0 ms and its exit is known at 40-odd ms; seq 1 is sent at 126 ms.
const EXITS = 'scenarios/field-bugs/exec-stream/f22-v0-poll-lost-exit-watcher.json';
const REORDER = 'scenarios/field-bugs/exec-stream/18020-arrival-order.v1-strict.json';

describe('exit-watcher-lost takes effect on the processes whose exit is still to come', () => {
  it('while the process runs: the effect names its exit watcher, and the field bug shows', async () => {
    const { effects: e, run } = await effects(EXITS, [{ at: 39, kind: 'exit-watcher-lost' }]);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[39, 'exit watcher of p1']]);
    expect(run.violated).toEqual(['no-false-failure', 'truthful-exit']);
  });

  it('before the process starts, or after its exit is known: exit 2', async () => {
    for (const at of [0, 70]) {
      const r = await runEdited(EXITS, withFaults([{ at, kind: 'exit-watcher-lost' }]));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`faults[0]: exit-watcher-lost at ${at} ms took no effect: no process had an exit still to come`);
    }
  });
});

describe('notification-reorder takes effect when its seq is sent, held back', () => {
  it('set before the send: the effect is the send, at 126 ms', async () => {
    const { effects: e } = await effects(REORDER, [{ at: 0, kind: 'notification-reorder', seq: 1, holdMs: 30 }]);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[126, 'seq 1 of p1']]);
  });

  it('after its seq was sent: exit 2', async () => {
    const r = await runEdited(REORDER, withFaults([{ at: 130, kind: 'notification-reorder', seq: 1, holdMs: 30 }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[0]: notification-reorder at 130 ms took no effect: seq 1 was not sent after it');
  });
});

describe('subscriber-delay takes effect when the consumer subscribes late', () => {
  it('set before the subscription: the effect is the subscription, at 28 ms', async () => {
    const { effects: e } = await effects(REORDER, [{ at: 0, kind: 'subscriber-delay', delayMs: 20 }]);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[28, "the consumer's subscription"]]);
  });

  it('after the consumer subscribed, or shorter than one set already: exit 2', async () => {
    const late = await runEdited(REORDER, withFaults([{ at: 60, kind: 'subscriber-delay', delayMs: 20 }]));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('faults[0]: subscriber-delay at 60 ms took no effect: the consumer did not subscribe after it');
    const shorter = await runEdited(
      REORDER,
      withFaults([
        { at: 0, kind: 'subscriber-delay', delayMs: 20 },
        { at: 0, kind: 'subscriber-delay', delayMs: 10 },
      ]),
    );
    expect(shorter.code).toBe(2);
    expect(shorter.stderr).toContain('faults[1]: subscriber-delay at 0 ms took no effect: a subscriber-delay of 20 ms was set already');
    expect(shorter.stderr).not.toContain('faults[0]');
  });
});

describe('consumer-stall takes effect when it holds the consumer', () => {
  it('the corpus file: stalled at 50 ms, its effect is the consumer held when it next runs, at 128 ms', async () => {
    const s = JSON.parse(readFileSync(PUSHED, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(PUSHED, s.faults);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[128, 'the consumer']]);
  });

  it('one inside a longer stall (it holds the consumer no longer): exit 2 for that fault only', async () => {
    const inside = await runEdited(
      PUSHED,
      withFaults([
        { at: 50, kind: 'consumer-stall', durationMs: 300 },
        { at: 60, kind: 'consumer-stall', durationMs: 100 },
      ]),
    );
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('faults[1]: consumer-stall at 60 ms took no effect: the consumer did not come to run in its 100 ms');
    expect(inside.stderr).not.toContain('faults[0]');
  });
});

// exec-stream: a sandboxed process that exits denied; the legacy build drops sandboxDenied
const LEGACY = 'scenarios/field-bugs/exec-stream/29424-legacy-denial.json';

describe('legacy-server takes effect when the legacy build answers differently', () => {
  it('the corpus file: its effect is the process/exited of p1 (at 32 ms), sent without sandboxDenied', async () => {
    const s = JSON.parse(readFileSync(LEGACY, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(LEGACY, s.faults);
    expect(e.map((x) => x.data?.on)).toEqual(['the process/exited of p1']);
  });

  it('after the process exited, or a second one: exit 2 for that fault only', async () => {
    const late = await runEdited(LEGACY, withFaults([{ at: 35, kind: 'legacy-server' }]));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('faults[0]: legacy-server at 35 ms took no effect: no process exited after it');
    const twice = await runEdited(LEGACY, withFaults([{ at: 0, kind: 'legacy-server' }, { at: 0, kind: 'legacy-server' }]));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('faults[1]: legacy-server at 0 ms took no effect: the server was that legacy build already');
    expect(twice.stderr).not.toContain('faults[0]');
  });
});

// exec-stream: output from 500 ms, the exit at 612 ms; retention capped at 64 bytes / 4 chunks from 0
const RETAINED = 'scenarios/field-bugs/exec-stream/f15-v0-poll-retention-splice.json';

describe('retention-size takes effect when its caps evict output', () => {
  it('the corpus file: its effect is the first seq evicted, at 506 ms', async () => {
    const s = JSON.parse(readFileSync(RETAINED, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(RETAINED, s.faults);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[506, 'seq 1 of p1']]);
  });

  it('caps no output outgrows, or replaced before any did: exit 2 for that fault only', async () => {
    const roomy = await runEdited(RETAINED, withFaults([{ at: 0, kind: 'retention-size', bytes: 1_000_000, chunks: 1_000 }]));
    expect(roomy.code).toBe(2);
    expect(roomy.stderr).toContain(
      "faults[0]: retention-size at 0 ms took no effect: no process's retained output outgrew 1000000 bytes or 1000 chunks after it",
    );
    const replaced = await runEdited(
      RETAINED,
      withFaults([
        { at: 0, kind: 'retention-size', bytes: 64, chunks: 4 },
        { at: 100, kind: 'retention-size', bytes: 32, chunks: 2 },
      ]),
    );
    expect(replaced.code).toBe(2);
    expect(replaced.stderr).toContain('faults[0]: retention-size at 0 ms took no effect: a later retention-size (at 100 ms) replaced its caps');
    expect(replaced.stderr).not.toContain('faults[1]');
  });
});

// attach-pump: the cut at 0 and two muted loops keep the run going to 45 s, when the client gives up
const MUTED = 'scenarios/field-bugs/attach-pump/never-sends-exit.cursor.json';

describe('mute-exit takes effect when an attach loop goes silent', () => {
  it('the corpus file: its effect is the first loop reaching Done, at 11 ms', async () => {
    const s = JSON.parse(readFileSync(MUTED, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(MUTED, s.faults);
    expect(e.filter((x) => x.data?.fault === 1).map((x) => [x.t, x.data?.on])).toEqual([[11, 'the attach loop of exec-1']]);
  });

  it('one that no loop reaches Done after: exit 2', async () => {
    const r = await runEdited(MUTED, (s) => void s.faults.push({ at: 45_040, kind: 'mute-exit', target: 'runner' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[2]: mute-exit at 45040 ms took no effect: no attach loop reached Done after it');
  });
});

// attach-pump: echo hello exits at 5 ms; the attach-cut drops WS #1 at its first frame
const CUT = 'scenarios/field-bugs/attach-pump/627-cut-before-first-frame.cursor.json';

describe('attach-cut takes effect when its cut drops a connection, once', () => {
  it('the corpus file: one effect, the connection it dropped, and no second one from the cut', async () => {
    const s = JSON.parse(readFileSync(CUT, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(CUT, s.faults);
    expect(e.map((x) => [x.data?.fault, x.data?.kind])).toEqual([[0, 'attach-cut']]);
    expect(e[0]?.data?.on).toMatch(/^client->runner#1/);
  });

  it('past more frames than the connection ever gets: exit 2', async () => {
    const r = await runEdited(CUT, withFaults([{ at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 10_000 }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'faults[0]: attach-cut at 0 ms took no effect: no server frame reached an attach connection matching "client->runner#1" after 10000 forwarded',
    );
  });
});

// attach-pump: a burst from 100 ms, the exit at 300 ms
const SLOW = 'scenarios/field-bugs/attach-pump/slow-subscriber.cursor.json';

describe('slow-subscriber takes effect when it blocks a write', () => {
  it('the corpus file: set at 90 ms, its effect is the first write of the burst, at 101 ms', async () => {
    const s = JSON.parse(readFileSync(SLOW, 'utf8')) as { faults: unknown[] };
    const { effects: e } = await effects(SLOW, s.faults);
    expect(e.map((x) => [x.t, x.data?.on])).toEqual([[101, 'a write to client->runner#1']]);
  });

  it('a window the runner writes nothing in: exit 2', async () => {
    const r = await runEdited(SLOW, withFaults([{ at: 200, kind: 'slow-subscriber', target: 'runner', durationMs: 10 }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[0]: slow-subscriber at 200 ms took no effect: the runner wrote nothing in its 10 ms');
  });
});

describe('evict takes effect when it evicts an execution', () => {
  // echo hello exits at 5 ms
  it('retention expired while the command runs: the effect is its eviction when it finishes; a DELETE, at once', async () => {
    const retention = await effects(CUT, [{ at: 3, kind: 'evict', target: 'runner' }]);
    expect(retention.effects.map((x) => [x.t, x.data?.on])).toEqual([[6, 'exec-1']]);
    const kill = await effects(CUT, [{ at: 3, kind: 'evict', target: 'runner', kill: true }]);
    expect(kill.effects.map((x) => [x.t, x.data?.on])).toEqual([[3, 'exec-1']]);
  });

  it('nothing left to evict, or the retention expired already: exit 2 for that fault only', async () => {
    const twice = (f: Record<string, unknown>) => runEdited(CUT, withFaults([{ at: 3, ...f }, { at: 4, ...f }]));
    const killed = await twice({ kind: 'evict', target: 'runner', kill: true });
    expect(killed.code).toBe(2);
    expect(killed.stderr).toContain('faults[1]: evict at 4 ms took no effect: no execution to DELETE (none started yet, or all evicted)');
    expect(killed.stderr).not.toContain('faults[0]');
    const expired = await twice({ kind: 'evict', target: 'runner' });
    expect(expired.code).toBe(2);
    expect(expired.stderr).toContain('faults[1]: evict at 4 ms took no effect: an earlier evict had expired the retention already');
    expect(expired.stderr).not.toContain('faults[0]');
  });
});

describe('exploration never keeps one of them that took no effect', () => {
  it('a violation that stands without it is saved without it', async () => {
    const { run, scenario, target } = await effects(FOUND, [{ at: 350, kind: 'daemon-exit-code', code: 2 }]);
    expect(run.violated).toContain('no-false-success');
    expect(run.noEffect).toHaveLength(1);
    const kept = await effectiveFailure(target, scenario, run);
    expect(kept?.scenario.faults).toEqual([]);
    expect(kept?.run.violated).toContain('no-false-success');
  });

  it('a violation that needs it (only its task in the schedule at t=0) is not saved at all', async () => {
    // explore's old find for trust-any-result (until the fix): the code the daemon was to exit with anyway
    const s = {
      format: 1,
      target: 'session-wait',
      variant: 'trust-any-result',
      seed: -13,
      mode: 'safety',
      expect: { violates: ['no-false-success'] },
      workload: {
        results: [
          { atMs: 200, status: 'retired', exitCode: 1 },
          { atMs: 500, status: 'timeout', exitCode: 124 },
        ],
        enrichedResults: true,
        exitAtMs: 800,
        exitCode: 1,
        stdout: [],
        stderrEveryMs: 0,
        tool: null,
        mtimeGranularity: 'ns',
        rssMb: 50,
        wait: { startMs: 200, capSecs: 1, rewaitDelayMs: 0, memoryWarnMb: null, sampler: 'ok' },
      },
      faults: [{ at: 0, kind: 'daemon-exit-code', code: 1 }],
    };
    const registry = new TargetRegistry(BUILTIN_TARGETS);
    const { scenario, target } = await loadScenarioText(JSON.stringify(s), FOUND, registry);
    const run = await runScenario(target, scenario);
    expect(run.violated).toEqual(['no-false-success']);
    expect(run.noEffect).toEqual(['faults[0]: daemon-exit-code at 0 ms took no effect: the daemon was to exit 1 already']);
    expect(await effectiveFailure(target, scenario, run)).toBeUndefined();
  });
});
