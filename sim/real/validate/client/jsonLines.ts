/**
 * The client JSON-lines format of `validate --client` (README.md, "Validating a client"): one
 * JSON object per line on stdout, `{"type":"stdout"|"stderr","data":"..."}` per chunk as the
 * client handed it to its user, `{"type":"gap","stream":"stdout"|"stderr","message":"..."}` when
 * it tells its user that output of a stream is missing, and
 * `{"type":"result","exitCode":N,"errorMessage"?:"..."}`.
 * Lines that do not start with `{` are the client's own logs and are ignored.
 */
import { ExecsimError } from '../../../errors.ts';

export type ClientLine =
  | { type: 'stdout' | 'stderr'; data: string }
  | { type: 'gap'; stream: 'stdout' | 'stderr'; message: string }
  | { type: 'result'; exitCode: number; errorMessage?: string };

export function parseClientLine(line: string): ClientLine | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  const bad = (why: string) =>
    new ExecsimError(
      'EXECSIM_USAGE',
      `client output line ${JSON.stringify(text.slice(0, 200))}: ${why} (see README.md, "Validating a client")`,
    );
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const o = v as Record<string, unknown>;
  if (o.type === 'stdout' || o.type === 'stderr') {
    if (typeof o.data !== 'string') throw bad('$.data: expected a string');
    return { type: o.type, data: o.data };
  }
  if (o.type === 'gap') {
    if (o.stream !== 'stdout' && o.stream !== 'stderr') throw bad('$.stream: expected "stdout" or "stderr"');
    if (typeof o.message !== 'string') throw bad('$.message: expected a string');
    return { type: 'gap', stream: o.stream, message: o.message };
  }
  if (o.type === 'result') {
    if (!Number.isInteger(o.exitCode)) throw bad('$.exitCode: expected an integer');
    if (o.errorMessage !== undefined && o.errorMessage !== null && typeof o.errorMessage !== 'string')
      throw bad('$.errorMessage: expected a string');
    return typeof o.errorMessage === 'string'
      ? { type: 'result', exitCode: o.exitCode as number, errorMessage: o.errorMessage }
      : { type: 'result', exitCode: o.exitCode as number };
  }
  throw bad('$.type: expected "stdout", "stderr", "gap" or "result"');
}
