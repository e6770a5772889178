/**
 * Static fault-target checks: where a target knows the names a run can have (its processes,
 * files, connections), a kernel fault aimed at another name is refused before the run, with the
 * same words as the dynamic check after it (`faults[0]: kill "daemon" matched no process
 * (processes in this run: csa-daemon, csa-wait)`). What the target cannot name (a pid, the n-th
 * connection) is left to the dynamic check (./effects.ts).
 */
import type { Fault } from './fault.ts';

/** The names a run of one scenario can have, for the kernel kinds that aim at them. */
export interface FaultNames {
  /** Process names (kill, pid-reuse); a fault naming a pid is checked after the run. */
  processes?: readonly string[];
  /** Absolute paths of every file the run may create (set-mtime, torn-read). */
  files?: readonly string[];
  /** Connections as "from->to" (cut, half-open, lag, refuse, close): "a->b", "a->b#n" and a host match these. */
  connections?: readonly string[];
}

const list = (names: readonly string[]): string => {
  const unique = [...new Set(names)];
  if (unique.length === 0) return 'none';
  return unique.length > 12 ? `${unique.slice(0, 12).join(', ')}, … (${unique.length})` : unique.join(', ');
};

/** Whether a connection target ("*", "a->b", "a->b#n", a host) can match one of `connections`. */
function connectionMatches(target: string, connections: readonly string[]): boolean {
  if (target === '*') return true;
  const pair = /^(.+)->(.+?)(#\d+)?$/.exec(target);
  if (pair) return connections.includes(`${pair[1]}->${pair[2]}`);
  return connections.some((c) => c.split('->').includes(target));
}

/** One line per kernel fault whose target names nothing the run can have. */
export function staticTargetProblems(faults: readonly Fault[], names: FaultNames): string[] {
  const out: string[] = [];
  faults.forEach((f, i) => {
    const at = `faults[${i}]`;
    const target = f.target;
    if (typeof target !== 'string') return;
    const shown = JSON.stringify(target);
    switch (f.kind) {
      case 'kill':
      case 'pid-reuse':
        if (names.processes && !/^\d+$/.test(target) && !names.processes.includes(target))
          out.push(`${at}: ${f.kind} ${shown} matched no process (processes in this run: ${list(names.processes)})`);
        return;
      case 'set-mtime':
      case 'torn-read':
        if (names.files && !names.files.includes(target))
          out.push(`${at}: ${f.kind} ${shown} matched no file (files in this run: ${list(names.files)})`);
        return;
      case 'cut':
      case 'half-open':
      case 'lag':
      case 'refuse':
      case 'close':
        if (names.connections && !connectionMatches(target, names.connections))
          out.push(`${at}: ${f.kind} ${shown} matched no connection (connections in this run: ${list(names.connections)})`);
        return;
      default:
        return;
    }
  });
  return out;
}
