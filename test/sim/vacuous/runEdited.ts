/** `execsim run` (in-process) of a corpus file changed by `edit`, for the bad-input tests. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../../sim/cli/main.ts';

export const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};

export type Edit = (s: Record<string, any>) => void;

/** Exit code, output, the edited file's path and its report folder (summary.json parsed on demand). */
export async function runEdited(file: string, edit: Edit) {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-edited-'));
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  edit(s);
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(s));
  const io = capture();
  const code = await main(['run', path, '--report', join(dir, 'reports')], io);
  return {
    code,
    path,
    dir,
    stderr: io.stderr,
    stdout: io.stdout,
    summary: () => JSON.parse(readFileSync(join(dir, 'reports', 'summary.json'), 'utf8')) as Record<string, unknown>,
  };
}
