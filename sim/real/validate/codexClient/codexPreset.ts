/**
 * The `codex[@VERSION]` preset of `validate --client`: codex's own consumer of the exec-server
 * protocol (unified exec inside `codex exec`), from the npm package `@openai/codex` (its Linux
 * binary, about 400 MB), installed on first use into a cache outside the repository (never a
 * dependency). The binary is a static musl executable: libfaketime's LD_PRELOAD does not reach
 * it, so codex always runs on real time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExecsimError } from '../../../errors.ts';

export const CODEX_DEFAULT_VERSION = '0.169.0';
/** The exec-stream variant each released codex is claimed by (the differential's sim side). */
export const CODEX_MODEL: Record<string, string> = { '0.169.0': 'v1-pushed' };

export function codexCacheDir(version: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'execsim', `codex-${version}`);
}

const TRIPLES: Record<string, string> = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Where the platform package puts the binary. */
export function codexBinary(dir: string): string {
  const triple = TRIPLES[process.arch] ?? 'x86_64-unknown-linux-musl';
  return join(dir, `node_modules/@openai/codex-linux-${process.arch}/vendor/${triple}/bin/codex`);
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules/@openai/codex/package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned codex into its cache dir unless it is there; returns the binary's path. */
export function ensureCodex(version: string, log: (line: string) => void): string {
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))
    throw new ExecsimError('EXECSIM_USAGE', `--client codex@${version}: expected a version such as ${CODEX_DEFAULT_VERSION}`);
  if (process.platform !== 'linux') throw new ExecsimError('EXECSIM_USAGE', `--client codex: the preset runs codex's Linux binary; this is ${process.platform}`);
  const dir = codexCacheDir(version);
  const bin = codexBinary(dir);
  if (installedVersion(dir) === version && existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  log(`validate: fetching @openai/codex@${version} (about 400 MB) into ${dir}\n`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `@openai/codex@${version}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (r.status !== 0 || installedVersion(dir) !== version || !existsSync(bin))
    throw new ExecsimError('EXECSIM_EXECUTOR', `could not install @openai/codex@${version} into ${dir}:\n${(r.stderr ?? '').slice(-2000)}`);
  return bin;
}

/** A scratch CODEX_HOME's config.toml: the mock model on loopback, no approvals, no sandbox, no retries. */
export function codexConfig(baseUrl: string): string {
  return [
    'model = "execsim-mock"',
    'model_provider = "execsim"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    '',
    '[model_providers.execsim]',
    'name = "execsim mock"',
    `base_url = "${baseUrl}"`,
    'wire_api = "responses"',
    'env_key = "EXECSIM_MOCK_API_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
}
