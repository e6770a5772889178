/**
 * The exec-stream target's fault kinds on a served reference exec-server (real mode): the same
 * kinds, with the same parameters and the same effect on the server's knobs, as in the simulator
 * (reference-impl/exec-stream/target/faultKinds.ts), fired `at` ms after the first process/start.
 * The server-side kinds (`legacy-server`, `retention-size`, `exit-watcher-lost`,
 * `notification-reorder`, `read-error`) act on the server itself; the transport kinds
 * (`transport-cut`, kernel `lag`) need a fault proxy in front of it, given as `transport`.
 * The consumer-side kinds (`subscriber-delay`, `consumer-stall`) have no real counterpart: a real
 * consumer is not ours to stall.
 */
import { ConsumerKnobs } from '../../reference-impl/exec-stream/consumer/report.ts';
import type { ExecServer } from '../../reference-impl/exec-stream/server/execServer.ts';
import { EXEC_FAULT_SPECS, execFaultKinds } from '../../reference-impl/exec-stream/target/faultKinds.ts';
import { ExecsimError } from '../errors.ts';
import type { Fault } from '../faults/fault.ts';
import { LAG } from '../faults/kernelKinds.ts';
import { validateFaults } from '../faults/validate.ts';
import type { Clock, TimerHandle } from '../ports/clock.ts';

export const SERVER_FAULT_KINDS = ['legacy-server', 'retention-size', 'exit-watcher-lost', 'notification-reorder', 'read-error'] as const;
export const TRANSPORT_FAULT_KINDS = ['transport-cut', 'lag'] as const;

/** Validates a schedule of exec-stream faults for real mode; `withProxy`: the transport kinds too. */
export function checkServerFaults(faults: unknown, where: string, withProxy: boolean): Fault[] {
  const allowed: readonly string[] = withProxy ? [...SERVER_FAULT_KINDS, ...TRANSPORT_FAULT_KINDS] : SERVER_FAULT_KINDS;
  const specs = [...EXEC_FAULT_SPECS, LAG].filter((s) => allowed.includes(s.kind));
  const problems = validateFaults(faults, specs, where);
  if (problems.length > 0)
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `${problems.join('\n')}\n(real mode takes the exec-stream kinds ${allowed.join(', ')}${withProxy ? '' : '; the transport kinds need the fault proxy of validate'})`,
    );
  return faults as Fault[];
}

export interface FaultArming {
  /** Call at the first process/start: faults at 0 apply at once, the others on time. */
  onStart(): void;
  dispose(): void;
}

export function armServerFaults(
  server: ExecServer,
  faults: readonly Fault[],
  opts: { clock: Clock; record(kind: string, data: Record<string, unknown>): void; transport?(f: Fault): void; onError(message: string): void },
): FaultArming {
  const timers: TimerHandle[] = [];
  let armed = false;
  const kinds = new Map(
    execFaultKinds({
      server,
      consumer: new ConsumerKnobs(),
      schedule: (kernel) => kernel.forEach((k) => opts.transport?.(k)),
      // real mode judges the executor's answers, not whether each fault hit something
      applying: () => ({ hit: () => undefined, miss: () => undefined, within: (fn) => fn() }),
    }).map((k) => [k.kind, k]),
  );
  const apply = (f: Fault): void => {
    opts.record('fault.fire', { ...f });
    try {
      if (f.kind === 'lag') {
        if (!opts.transport) throw new Error('lag needs the fault proxy');
        opts.transport(f);
        return;
      }
      const k = kinds.get(f.kind);
      if (!k) throw new Error(`no real counterpart for fault kind ${f.kind}`);
      k.apply({ ...f, at: opts.clock.now() });
    } catch (e) {
      opts.onError(e instanceof Error ? e.message : String(e));
    }
  };
  return {
    onStart() {
      if (armed) return;
      armed = true;
      for (const f of faults) {
        // static server knobs (at 0) are set before the process exists; the rest fire on time
        if (f.at === 0) apply(f);
        else timers.push(opts.clock.setTimeout(() => apply(f), f.at));
      }
    },
    dispose() {
      for (const t of timers) opts.clock.clearTimeout(t);
    },
  };
}
