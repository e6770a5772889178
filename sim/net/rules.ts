/**
 * The network's fault windows that outlive the moment they are applied: lag windows and
 * refusals. Shared by the simulated network and real mode's loopback network, so both read the
 * same rule the same way.
 */
import { matchesTarget, type Endpoints } from './address.ts';

export interface RefuseRule {
  target: string;
  scope: 'ws' | 'http' | 'any';
  remaining: number;
  untilMs: number;
  status?: number;
  timeout?: boolean;
}

interface LagRule {
  target: string;
  untilMs: number;
  extraMs: number;
}

export class FaultRules {
  private refusals: RefuseRule[] = [];
  private lags: LagRule[] = [];

  lag(target: string, untilMs: number, extraMs: number): void {
    this.lags.push({ target, untilMs, extraMs });
  }

  refuse(rule: RefuseRule): void {
    this.refusals.push(rule);
  }

  /** Extra latency for a frame or request sent now between these endpoints (the largest window). */
  extraMs(ep: Endpoints, nowMs: number): number {
    let extra = 0;
    for (const l of this.lags) if (nowMs < l.untilMs && matchesTarget(l.target, ep)) extra = Math.max(extra, l.extraMs);
    return extra;
  }

  /** The refusal that takes this attempt, if any (it counts down). */
  takeRefusal(ep: Endpoints, scope: 'ws' | 'http', nowMs: number): RefuseRule | undefined {
    this.refusals = this.refusals.filter((r) => r.remaining > 0 && nowMs < r.untilMs);
    const rule = this.refusals.find((r) => (r.scope === 'any' || r.scope === scope) && matchesTarget(r.target, ep));
    if (rule) rule.remaining--;
    return rule;
  }

  heal(): void {
    this.lags = [];
    this.refusals = [];
  }
}
