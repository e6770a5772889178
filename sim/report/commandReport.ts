/**
 * Where each command's reports go and what a command that refused its input leaves there. Each
 * command has its own folder by default, so `explore` after `run` overwrites nothing of `run`'s,
 * and a refused input replaces the old report with one saying so (never a stale report that
 * looks current).
 */
import { join } from 'node:path';
import { writeTextAtomic } from '../host/hostIo.ts';
import { renderJunit } from './junit.ts';

/** `reports/run`, `reports/explore/<target>-<variant>`, `reports/validate`; `--report DIR` wins. */
export function reportDirOf(given: unknown, command: 'run' | 'explore' | 'validate', sub?: string): string {
  if (typeof given === 'string') return given;
  const safe = sub?.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return safe ? join('reports', command, safe) : join('reports', command);
}

/** summary.json and junit.xml for a command that refused its input (exit 2). */
export function writeBadInputReport(dir: string, command: string, error: { message: string; problems?: readonly string[] }): void {
  const summary = {
    command,
    // not complete: nothing ran, so merge-reports must not count it as a clean shard
    complete: false,
    status: 'bad-input',
    exitCode: 2,
    error: error.message,
    problems: error.problems && error.problems.length > 0 ? [...error.problems] : [error.message],
    total: 0,
    ok: 0,
    failed: 0,
    scenarios: [],
    timing: { wallMs: 0 },
  };
  writeTextAtomic(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeTextAtomic(
    join(dir, 'junit.xml'),
    renderJunit(command, [{ classname: 'execsim.input', name: 'input is valid', failure: error.message, timeS: 0 }]),
  );
}
