/**
 * The network's fault windows that outlive the moment they are applied: lag windows and
 * refusals, and what a refused attempt meets. Shared by the simulated network, real mode's
 * loopback network and the real fault proxy, so all read the same rule the same way.
 */
import { NetError, type HttpResponse } from '../ports/net.ts';
import type { FaultToken } from '../kernel.ts';
import { matchesTarget, type Endpoints } from './address.ts';

export interface RefuseRule {
  target: string;
  scope: 'ws' | 'http' | 'any';
  remaining: number;
  untilMs: number;
  status?: number;
  timeout?: boolean;
  /** The fault that set it: a refused attempt is its effect. */
  fault?: FaultToken;
}

interface LagRule {
  target: string;
  untilMs: number;
  extraMs: number;
  fault?: FaultToken;
}

export class FaultRules {
  private refusals: RefuseRule[] = [];
  private lags: LagRule[] = [];

  lag(target: string, untilMs: number, extraMs: number, fault?: FaultToken): void {
    this.lags.push({ target, untilMs, extraMs, ...(fault ? { fault } : {}) });
  }

  refuse(rule: RefuseRule): void {
    this.refusals.push(rule);
  }

  /** Extra latency for a frame or request sent now between these endpoints (the largest window). */
  extraMs(ep: Endpoints, nowMs: number, onHit?: (fault: FaultToken, ep: Endpoints) => void): number {
    let extra = 0;
    for (const l of this.lags)
      if (nowMs < l.untilMs && matchesTarget(l.target, ep)) {
        extra = Math.max(extra, l.extraMs);
        if (l.fault && onHit) onHit(l.fault, ep);
      }
    return extra;
  }

  /** The refusal that takes this attempt, if any (it counts down). Spent and expired refusals are dropped first. */
  takeRefusal(ep: Endpoints, scope: 'ws' | 'http', nowMs: number): RefuseRule | undefined {
    // every connect asks: a new list only when one has run out
    if (this.refusals.some((r) => !(r.remaining > 0 && nowMs < r.untilMs)))
      this.refusals = this.refusals.filter((r) => r.remaining > 0 && nowMs < r.untilMs);
    for (const r of this.refusals)
      if ((r.scope === 'any' || r.scope === scope) && matchesTarget(r.target, ep)) {
        r.remaining--;
        return r;
      }
    return undefined;
  }

  heal(): void {
    this.lags = [];
    this.refusals = [];
  }
}

/** No server listens there, or a refusal without a status: the connection is refused. */
export function refusedError(host: string, port: number): NetError {
  return new NetError('ECONNREFUSED', `connect ECONNREFUSED ${host}:${port}`);
}

/** An upgrade answered with an HTTP status instead of 101. */
export function unexpectedResponse(url: string, status: number): NetError {
  return new NetError('UNEXPECTED_RESPONSE', `Unexpected server response: ${status} (${url})`, status);
}

/** What a refused connect meets; undefined: no answer at all (the caller's own timeout decides). */
export function connectRefusal(rule: RefuseRule, url: string, host: string, port: number): NetError | undefined {
  if (rule.timeout) return undefined;
  return rule.status !== undefined ? unexpectedResponse(url, rule.status) : refusedError(host, port);
}

/** What a refused HTTP request meets: a status, a refused connection, or (undefined) no answer. */
export function requestRefusal(rule: RefuseRule, host: string, port: number): HttpResponse | NetError | undefined {
  if (rule.timeout) return undefined;
  return rule.status !== undefined ? { status: rule.status, body: { error: `injected ${rule.status}` } } : refusedError(host, port);
}
