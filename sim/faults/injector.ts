/**
 * Applies fault schedules. Every fault fires at its `at` in the `faults` lane and is recorded in
 * the trace; once the world is healed (liveness mode), later faults are skipped.
 */
import { ExecsimError } from '../errors.ts';
import type { FaultEffectHandle, FaultToken, Kernel } from '../kernel.ts';
import type { Fault, FaultKind } from './fault.ts';
import { validateFaults } from './validate.ts';

export class FaultInjector {
  private readonly kinds = new Map<string, FaultKind>();
  private readonly healers: Array<() => void> = [];
  /** Each scheduled fault's token, by identity (a scenario's faults are its own objects). */
  private readonly tokens = new Map<Fault, FaultToken>();

  constructor(private readonly kernel: Kernel) {}

  define(kind: FaultKind): void {
    if (this.kinds.has(kind.kind)) throw new ExecsimError('EXECSIM_INTERNAL', `fault kind "${kind.kind}" is defined twice`);
    this.kinds.set(kind.kind, kind);
  }

  /** Called by `heal()`, for kinds that hold state (windows, armed rules). */
  onHeal(fn: () => void): void {
    this.healers.push(fn);
  }

  known(): FaultKind[] {
    return [...this.kinds.values()];
  }

  /** Every problem in a schedule, each with its JSON path. */
  validate(faults: unknown, path = 'faults'): string[] {
    return validateFaults(faults, this.kinds, path);
  }

  schedule(faults: readonly Fault[], path = 'faults'): void {
    const problems = this.validate(faults, path);
    if (problems.length > 0) {
      throw new ExecsimError('EXECSIM_FAULT_INVALID', `invalid fault schedule:\n  - ${problems.join('\n  - ')}`, problems);
    }
    const k = this.kernel;
    // A fault a fault schedules while it applies (a transport cut's kernel cut) is part of it.
    const parent = k.applying;
    for (const [i, f] of faults.entries()) {
      const kind = this.kinds.get(f.kind) as FaultKind;
      const token: FaultToken = parent ?? { index: i, kind: f.kind };
      this.tokens.set(f, token);
      const delay = Math.max(0, f.at - k.now());
      k.at(delay, 'faults', `fault:${f.kind}`, () => {
        if (k.healed) {
          k.record('faults', 'fault.skipped', { kind: f.kind, target: f.target ?? null, reason: 'healed' });
          return;
        }
        token.firedAt ??= k.now();
        k.record('faults', 'fault', { ...f });
        const outer = k.applying;
        k.applying = token;
        try {
          kind.apply(f);
          if (!kind.reportsEffect) k.faultEffect(token, f.target ?? 'applied');
        } finally {
          k.applying = outer;
        }
        // unref'd: a fault due after the world's work is done must not keep it running
      }, false);
    }
  }

  /**
   * For a kind that `reportsEffect`, called while it applies: the fault, to tell later when it
   * hits something or why it did not (a no-op outside an apply).
   */
  applying(): FaultEffectHandle {
    return this.kernel.faultHandle();
  }

  /** How a scheduled fault fared: when it fired, and its first effect (undefined if never scheduled). */
  fateOf(f: Fault): Readonly<FaultToken> | undefined {
    return this.tokens.get(f);
  }

  heal(): void {
    if (this.kernel.healed) return;
    this.kernel.healed = true;
    this.kernel.record('faults', 'heal');
    for (const h of this.healers) h();
  }
}
