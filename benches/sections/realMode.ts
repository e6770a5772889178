/**
 * The same scenarios in real mode (real loopback WebSockets, real timers, every protocol
 * constant scaled down 100x by dilating time) against the simulator at full scale: wall time of
 * each, and how many real runs gave a different verdict than the simulator (flakes). The
 * simulator runs each scenario twice to show its own flake count (expected 0: one seed, one
 * trace).
 */
import { createRealWorld } from '../../sim/real/realWorld.ts';
import { runScenario } from '../../sim/runner.ts';
import { MAIN, median, now, sample, target } from '../shared.ts';

export const SCALE = 100;

export interface RealModeRow {
  target: string;
  scenarios: number;
  simMs: number;
  realMs: number;
  /** Real ms per scenario: median and worst. */
  realMsMedian: number;
  realMsMax: number;
  ratio: number;
  realFlakes: number;
  simFlakes: number;
  /** One line per differing verdict, for the note. */
  differences: string[];
}

export async function realMode(n: number): Promise<RealModeRow[]> {
  const rows: RealModeRow[] = [];
  for (const [name, variant] of Object.entries(MAIN)) {
    const t = await target(name);
    const scenarios = sample(t, variant, n, 5);
    let simMs = 0;
    let realMs = 0;
    const perScenario: number[] = [];
    let realFlakes = 0;
    let simFlakes = 0;
    const differences: string[] = [];
    for (const s of scenarios) {
      const t0 = now();
      const a = await runScenario(t, s);
      simMs += now() - t0;
      const b = await runScenario(t, s);
      if (a.traceHash !== b.traceHash || a.violated.join() !== b.violated.join()) simFlakes++;
      const t1 = now();
      const real = await runScenario(t, s, (options) => createRealWorld(options, SCALE));
      perScenario.push(now() - t1);
      realMs += now() - t1;
      if (real.violated.join() !== a.violated.join()) {
        realFlakes++;
        const why = Object.entries(real.checks.results).find(([, r]) => r.valid === false)?.[1].summary ?? '';
        differences.push(`seed ${s.seed}: sim [${a.violated.join(', ')}] real [${real.violated.join(', ')}] ${why}`.slice(0, 220));
      }
    }
    rows.push({
      target: `${name}:${variant}`,
      scenarios: n,
      simMs,
      realMs,
      realMsMedian: median(perScenario),
      realMsMax: Math.max(...perScenario),
      ratio: realMs / simMs,
      realFlakes,
      simFlakes,
      differences,
    });
  }
  return rows;
}
