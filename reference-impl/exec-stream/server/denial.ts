/**
 * `is_likely_sandbox_denied` (core exec.rs, used by the server since #30273 to fill
 * `sandboxDenied`): only for a sandboxed process that failed; a denial keyword anywhere in its
 * output says yes; the well-known shell failures (2, 126, 127) say no; otherwise no (the
 * remaining upstream branch is a Linux SIGSYS check, which exit codes here never reach).
 */
import type { SandboxType } from '../protocol/wire.ts';

export const SANDBOX_DENIED_KEYWORDS = [
  'operation not permitted',
  'permission denied',
  'read-only file system',
  'seccomp',
  'sandbox',
  'landlock',
  'failed to write file',
] as const;

export function isLikelySandboxDenied(sandboxType: SandboxType, exitCode: number, output: string): boolean {
  if (sandboxType === 'none' || exitCode === 0) return false;
  const lower = output.toLowerCase();
  if (SANDBOX_DENIED_KEYWORDS.some((k) => lower.includes(k))) return true;
  return false;
}
