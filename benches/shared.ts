/** Helpers for the bench sections: targets, scenario samples, timing, table output. */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { BUILTIN_TARGETS } from '../reference-impl/targets.ts';
import { scenarioArbitrary } from '../sim/explore/scenarioArbitrary.ts';
import { TargetRegistry, type AnyTarget } from '../sim/registry.ts';
import { faultSpecsOf } from '../sim/scenario/load.ts';
import type { Mode, Scenario } from '../sim/target.ts';

export const registry = new TargetRegistry(BUILTIN_TARGETS);

/**
 * The candidate-fix variant of each target: the one expected to pass under the default explorer
 * (v1-strict and fixed each keep an upstream gap that drawn worlds reach, issue 12).
 */
export const MAIN: Record<string, string> = { 'exec-stream': 'v1-stricter', 'session-wait': 'fixed-ticks', 'attach-pump': 'cursor' };

export async function target(name: string): Promise<AnyTarget> {
  return registry.get(name);
}

export function sample(t: AnyTarget, variant: string, n: number, seed: number, mode: Mode = 'safety'): Scenario[] {
  const kinds = faultSpecsOf(t).map((s) => s.kind);
  return fc.sample(scenarioArbitrary({ target: t, variant, mode, kinds, maxFaults: 6, healSlackMsMax: 30_000 }), { seed, numRuns: n });
}

export const now = (): number => performance.now();

/** CPU time of this process (all its threads), in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function table(title: string, head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: Array<string | number>) => r.map((c, i) => String(c).padEnd(widths[i] as number)).join('  ');
  return `\n${title}\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells
    .slice(1)
    .map((r) => line(r))
    .join('\n')}\n`;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(n % 1 === 0 ? 0 : 1);
}
