/**
 * Fault kinds of the attach-pump target, and arbitraries aimed at a workload's timeline for every
 * kind it understands (kernel kinds included). Each shrinks toward earlier, shorter and fewer.
 *
 * The field report's fault list maps onto kinds as follows:
 * - cut before / after the first frame      → `attach-cut` (afterFrames 0 / n), or kernel `cut`
 * - proxy 502 on the upgrade (#1546)        → kernel `refuse` {scope: ws, status: 502}
 * - 409 on the drain attach                 → kernel `refuse` {status: 409}, or a runner loop still
 *                                             attached (half-open, slow-subscriber): real 409s
 * - a runner that never sends exit          → `mute-exit`
 * - slow subscriber overflow                → `slow-subscriber` (+ a burst workload)
 * - backlog overflow while detached         → a detach (cut, half-open, refuse window) during a
 *                                             burst workload with a scaled backlog
 * - eviction before the drain               → `evict`
 * - a fast command exiting before the attach → the `fast` workload shape, or `lag` on the attach
 */
import fc from 'fast-check';
import {
  bool,
  faultKind,
  faultSpec,
  int,
  optional,
  str,
  type Fault,
  type FaultNames,
  type FaultSpec,
  type World,
} from '../../../sim/index.ts';
import type { RunnerHooks } from '../runner/attachLoop.ts';
import type { Runner } from '../runner/server.ts';
import type { AttachProxy } from './proxy.ts';
import type { AttachWorkload } from './workload.ts';

export const KERNEL_KINDS = ['cut', 'close', 'half-open', 'lag', 'refuse'] as const;

const CLIENT_RUNNER = 'client->runner';

const connection = str('the attach connections: "client->runner", "client->runner#n" (the n-th) or "*"', {
  pattern: '^(\\*|client->runner(#[1-9][0-9]*)?)$',
  expected: '"client->runner", "client->runner#n" or "*"',
});
const runner = str('"runner"', { pattern: '^runner$', expected: '"runner"' });

const ATTACH_CUT = faultSpec({
  kind: 'attach-cut',
  summary: 'a proxy forwards afterFrames server frames of the next attach connection, then drops both halves (1006)',
  params: { target: connection, afterFrames: int('server frames forwarded first (0: right after the 101)', 'frames', { max: 10_000 }) },
  // its effect is the connection its cut drops: none if no matching connection got that far
  reportsEffect: true,
});
const SLOW_SUBSCRIBER = faultSpec({
  kind: 'slow-subscriber',
  summary: "the client stops reading: the runner's writes block for durationMs (channels fill and drop; > 20 s fails the write)",
  params: { target: runner, durationMs: int('how long writes block', 'ms', { min: 1 }) },
  // its effect is a write it blocks: none if the runner writes nothing in its window
  reportsEffect: true,
});
const MUTE_EXIT = faultSpec({
  kind: 'mute-exit',
  summary: 'a faulty runner: the next count attach loops reach Done and go silent (no exit frame, no close)',
  params: { target: runner, count: optional(int('attach loops affected (default 1)', 'attach loops', { min: 1 })) },
  // its effect is an attach loop gone silent: none if no loop reaches Done after it
  reportsEffect: true,
});
const EVICT = faultSpec({
  kind: 'evict',
  summary: "the execution's retention expires: evicted now if done, else as soon as it is; with kill, a DELETE (SIGKILL and evict now)",
  params: { target: runner, kill: optional(bool('true: DELETE /executions/{id} instead (kill + evict at once)')) },
  // its effect is an execution evicted: none if there is none to evict, now or (retention) later
  reportsEffect: true,
});

export const FAULT_SPECS: readonly FaultSpec[] = [ATTACH_CUT, SLOW_SUBSCRIBER, MUTE_EXIT, EVICT];

/** The one connection a kernel fault can hit: the client's (attach WebSockets and REST requests) to the runner. */
export const faultNames = (): FaultNames => ({ connections: [CLIENT_RUNNER] });

/** The fault state the runner hooks read; healing clears it. */
export class FaultHooks implements RunnerHooks {
  /** One window per slow-subscriber fault, and what to tell when it blocks a write. */
  private stalls: Array<{ from: number; until: number; blocked(socketId: string): void }> = [];
  /** One entry per mute-exit fault: loops it still mutes, and what to tell when it does. */
  private mutes: Array<{ left: number; muted(execId: string): void }> = [];

  constructor(private readonly world: World) {}

  writesBlockedUntil(socketId: string): number {
    const now = this.world.now();
    let until = 0;
    for (const s of this.stalls) {
      if (s.from > now || now >= s.until) continue;
      until = Math.max(until, s.until);
      s.blocked(socketId);
    }
    return until;
  }

  muteExit(execId: string): boolean {
    const mute = this.mutes[0];
    if (!mute) return false;
    if (--mute.left === 0) this.mutes.shift();
    mute.muted(execId);
    return true;
  }

  stall(durationMs: number, blocked: (socketId: string) => void = () => undefined): void {
    const now = this.world.now();
    this.stalls.push({ from: now, until: now + durationMs, blocked });
  }

  mute(count: number, muted: (execId: string) => void = () => undefined): void {
    this.mutes.push({ left: count, muted });
  }

  heal(): void {
    this.stalls = [];
    this.mutes = [];
  }
}

/** Defines this target's kinds on a world, bound to its runner and the client's proxy. */
export function defineFaultKinds(world: World, runner: Runner, hooks: FaultHooks, proxy: AttachProxy): void {
  const kinds = [
    faultKind(ATTACH_CUT, (f) => {
      const fault = world.faults.applying();
      fault.miss(`no server frame reached an attach connection matching ${JSON.stringify(f.target)} after ${f.afterFrames} forwarded`);
      proxy.arm(f.target, f.afterFrames, fault);
    }),
    faultKind(SLOW_SUBSCRIBER, (f) => {
      const fault = world.faults.applying();
      fault.miss(`the runner wrote nothing in its ${f.durationMs} ms`);
      hooks.stall(f.durationMs, (socketId) => fault.hit(`a write to ${socketId}`));
    }),
    faultKind(MUTE_EXIT, (f) => {
      const fault = world.faults.applying();
      fault.miss('no attach loop reached Done after it');
      hooks.mute(f.count ?? 1, (execId) => fault.hit(`the attach loop of ${execId}`));
    }),
    faultKind(EVICT, (f) => {
      const fault = world.faults.applying();
      if (f.kill === true) {
        const ids = [...runner.manager.execs.keys()];
        for (const id of ids) runner.manager.kill(id);
        if (ids.length > 0) return fault.hit(ids);
        return fault.miss('no execution to DELETE (none started yet, or all evicted)');
      }
      fault.miss('no execution was done then or finished after it');
      if (!runner.manager.expireRetention((id) => fault.hit(id))) fault.miss('an earlier evict had expired the retention already');
    }),
  ];
  for (const k of kinds) world.faults.define(k);
  world.faults.onHeal(() => hooks.heal());
  world.faults.onHeal(() => proxy.heal());
}

// ---- arbitraries -------------------------------------------------------------------------------

/** When to strike: around the first attach, while the command runs or just after, sometimes well after. */
function when(w: AttachWorkload): fc.Arbitrary<number> {
  const end = w.exit.atMs + 50;
  return fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 50 }) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: end + 100 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: end + 30_000 }) },
  );
}

export function faultArbitrary(kind: string, w: AttachWorkload): fc.Arbitrary<Fault> {
  const at = when(w);
  switch (kind) {
    case 'cut':
      return at.map((t) => ({ at: t, kind, target: CLIENT_RUNNER }));
    case 'close':
      return fc.record({ at, code: fc.constantFrom(1001, 1011) }).map((r) => ({ at: r.at, kind, target: CLIENT_RUNNER, code: r.code }));
    case 'half-open':
      return fc
        .record({ at, closeAfterMs: fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: undefined }) })
        .map((r) =>
          r.closeAfterMs === undefined
            ? { at: r.at, kind, target: CLIENT_RUNNER }
            : { at: r.at, kind, target: CLIENT_RUNNER, closeAfterMs: r.closeAfterMs },
        );
    case 'lag':
      return fc
        .record({ at, durationMs: fc.integer({ min: 1, max: 20_000 }), extraMs: fc.integer({ min: 1, max: 5_000 }) })
        .map((r) => ({ at: r.at, kind, target: CLIENT_RUNNER, durationMs: r.durationMs, extraMs: r.extraMs }));
    case 'refuse':
      return refuseArbitrary(at);
    case 'attach-cut':
      return fc
        .record({ at, afterFrames: fc.integer({ min: 0, max: 4 }) })
        .map((r) => ({ at: r.at, kind, target: CLIENT_RUNNER, afterFrames: r.afterFrames }));
    case 'slow-subscriber': {
      // often just before the command's first write, so live chunks pile up in the channel
      const first = Math.min(w.exit.atMs, ...w.steps.map((x) => x.atMs));
      const start = fc.oneof(fc.integer({ min: Math.max(0, first - 200), max: first + 50 }), at);
      const durationMs = fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 40_000 }) },
      );
      return fc.record({ at: start, durationMs }).map((r) => ({ at: r.at, kind, target: 'runner', durationMs: r.durationMs }));
    }
    case 'mute-exit':
      return fc.record({ at, count: fc.integer({ min: 1, max: 2 }) }).map((r) => ({ at: r.at, kind, target: 'runner', count: r.count }));
    case 'evict':
      return fc
        .record({ at: fc.integer({ min: 0, max: w.exit.atMs + 30_000 }), kill: fc.boolean() })
        .map((r) => (r.kill ? { at: r.at, kind, target: 'runner', kill: true } : { at: r.at, kind, target: 'runner' }));
    default:
      throw new Error(
        `attach-pump: no arbitrary for fault kind ${JSON.stringify(kind)} (kinds: ${[...KERNEL_KINDS, ...FAULT_SPECS.map((s) => s.kind)].join(', ')})`,
      );
  }
}

/**
 * Refusals the attach path meets in the field: the upgrade answered by a proxy (502–504, #1546),
 * by auth (401, #804) or by the runner's slot (409); the probe failing (5xx, timeout); and, more
 * rarely, every other status the real systems send (issue 12): 404 and 410 (a proxy or a stale
 * route saying the execution is gone, map_ws_error's NotFound and SessionReaped), 409 and 500 on
 * either path. A 404 or 410 claims the execution is gone, which makes the run unrecoverable
 * (recoverability.ts); the runner's own 404 still comes only from `evict`.
 */
function refuseArbitrary(at: fc.Arbitrary<number>): fc.Arbitrary<Fault> {
  const ws = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom<number | 'refused' | 'timeout'>(502, 502, 503, 504, 401, 409, 409, 'refused', 'timeout') },
    { weight: 2, arbitrary: fc.constantFrom<number | 'refused' | 'timeout'>(404, 410, 500) },
  );
  const http = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom<number | 'refused' | 'timeout'>(500, 502, 503, 'refused', 'timeout') },
    { weight: 2, arbitrary: fc.constantFrom<number | 'refused' | 'timeout'>(404, 409, 410, 504) },
  );
  const answer = fc.oneof(fc.tuple(fc.constant('ws' as const), ws), fc.tuple(fc.constant('http' as const), http));
  const howMany = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }).map((count) => ({ count })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 60_000 }).map((durationMs) => ({ durationMs })) },
  );
  return fc.record({ at, answer, howMany }).map(({ at: t, answer: pair, howMany: n }) => {
    const [scope, a] = pair as [string, number | 'refused' | 'timeout'];
    const f: Fault = { at: t, kind: 'refuse', target: CLIENT_RUNNER, scope, ...n };
    if (a === 'timeout') f.timeout = true;
    else if (a !== 'refused') f.status = a;
    return f;
  });
}
