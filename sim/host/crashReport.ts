/**
 * When execsim itself crashes (exit 3), the terminal gets one line and the stack goes to a file:
 * `reports/crash.txt` (or the system's temporary folder when that cannot be written).
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeTextAtomic } from './hostIo.ts';

/** Writes the crash report; returns its path, or undefined when no folder took it. */
export function writeCrashReport(e: unknown, argv: readonly string[], dir?: string): string | undefined {
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  const text = [
    'execsim crashed (exit 3): a bug in execsim; please report it with this file.',
    `command: execsim ${argv.join(' ')}`,
    `node: ${process.version} (${process.platform} ${process.arch})`,
    `cwd: ${process.cwd()}`,
    '',
    detail,
    '',
  ].join('\n');
  for (const d of dir !== undefined ? [dir] : [resolve('reports'), tmpdir()]) {
    try {
      const path = join(d, 'crash.txt');
      writeTextAtomic(path, text);
      return path;
    } catch {
      // try the next folder
    }
  }
  return undefined;
}
