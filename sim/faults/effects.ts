/**
 * Every fault must take effect: after a run, each fault of the scenario's schedule either hit
 * something (a process, a file, a connection) or is a problem with the scenario, named with its
 * JSON path and what the run had instead (`faults[0]: kill "daemon" matched no process
 * (processes in this run: csa-daemon, tool, wait#1)`). A schedule that tests nothing must not
 * pass.
 */
import type { Scenario } from '../target.ts';
import type { World } from '../world.ts';
import type { Fault } from './fault.ts';

export interface FaultFate {
  index: number;
  kind: string;
  /** Virtual ms it fired, or null (after the run's end, or skipped once healed). */
  firedAt: number | null;
  /** Its first effect, or null. */
  effect: { t: number; on: string } | null;
  /** Why it hit nothing, when its kind said (absent otherwise, so traces without it keep their hash). */
  missed?: string;
}

export function faultFates(world: World, faults: readonly Fault[]): FaultFate[] {
  return faults.map((f, index) => {
    const t = world.faults.fateOf(f);
    const fate: FaultFate = { index, kind: f.kind, firedAt: t?.firedAt ?? null, effect: t?.effect ?? null };
    if (t?.missed !== undefined && !t.effect) fate.missed = t.missed;
    return fate;
  });
}

const list = (names: readonly string[], none: string): string => {
  const unique = [...new Set(names)];
  if (unique.length === 0) return none;
  return unique.length > 12 ? `${unique.slice(0, 12).join(', ')}, … (${unique.length})` : unique.join(', ');
};

function filesOf(world: World): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const node = world.fs.nodeAt(dir);
    if (node?.kind !== 'dir') return;
    for (const [name, child] of node.children) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (child.kind === 'dir') walk(p);
      else out.push(p);
    }
  };
  walk('/');
  return out;
}

/** What a fault aims at and what the run had of that kind, for the message. */
function missed(world: World, f: Fault): string {
  const target = JSON.stringify(f.target ?? null);
  switch (f.kind) {
    case 'kill':
    case 'pid-reuse':
      return `${f.kind} ${target} matched no process (processes in this run: ${list(
        world.proc.records.map((r) => r.name),
        'none',
      )})`;
    case 'set-mtime':
      return `set-mtime ${target} matched no file, now or at a later write (files in this run: ${list(filesOf(world), 'none')})`;
    case 'torn-read':
      return `torn-read ${target} matched no read of a file (files in this run: ${list(filesOf(world), 'none')})`;
    case 'cut':
    case 'half-open':
    case 'close':
      return `${f.kind} ${target} matched no open connection at ${f.at} ms (connections in this run: ${list(world.net.connectionIds?.() ?? [], 'none')})`;
    case 'lag':
    case 'refuse':
      return `${f.kind} ${target} matched no ${f.kind === 'lag' ? 'frame or request in its window' : 'connection attempt'} (connections in this run: ${list(world.net.connectionIds?.() ?? [], 'none')})`;
    default:
      return `${f.kind}${f.target !== undefined ? ` ${target}` : ''} took no effect`;
  }
}

/** One line per fault that took no effect, each starting with its JSON path (`fates`: the run's, if already taken). */
export function noEffectProblems(
  world: World,
  scenario: Pick<Scenario, 'faults' | 'mode' | 'healAtMs'>,
  fates: readonly FaultFate[] = faultFates(world, scenario.faults),
): string[] {
  const out: string[] = [];
  for (const fate of fates) {
    if (fate.effect) continue;
    const f = scenario.faults[fate.index] as Fault;
    const at = `faults[${fate.index}]`;
    if (fate.firedAt === null) {
      const healed = scenario.mode === 'liveness' && scenario.healAtMs !== undefined && f.at >= scenario.healAtMs;
      out.push(
        healed
          ? `${at}: ${f.kind} at ${f.at} ms never fired: every fault heals at healAtMs ${scenario.healAtMs}`
          : `${at}: ${f.kind} at ${f.at} ms never fired: the run ended at ${world.now()} ms`,
      );
    } else if (fate.missed !== undefined) out.push(`${at}: ${f.kind} at ${f.at} ms took no effect: ${fate.missed}`);
    else out.push(`${at}: ${missed(world, f)}`);
  }
  return out;
}
