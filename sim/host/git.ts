/** The commit being tested, for `--seed-from-commit` (TigerBeetle's trick: new seeds every commit, reproducible from the hash). */
import { execFileSync } from 'node:child_process';
import { ExecsimError } from '../errors.ts';

export function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    throw new ExecsimError('EXECSIM_USAGE', '--seed-from-commit: not inside a git checkout (or git is missing); give --seed S instead');
  }
}

/** A 32-bit seed from a commit hash: its first 8 hex digits. */
export function seedFromCommit(sha: string): number {
  return Number.parseInt(sha.slice(0, 8), 16) | 0;
}
