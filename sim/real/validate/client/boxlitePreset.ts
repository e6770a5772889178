/**
 * The `boxlite[@VERSION]` preset of `validate --client`: the real boxlite REST client from npm
 * (`@boxlite-ai/boxlite` + its native addon `@boxlite-ai/boxlite-linux-x64-gnu`, about 110 MB),
 * installed on first use into a cache outside the repository (never a dependency), driven by
 * boxliteDriver.mjs under libfaketime at the validator's time factor.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecsimError } from '../../../errors.ts';

export const BOXLITE_DEFAULT_VERSION = '0.10.0';
/** The model each released client is claimed by (the differential's sim side). */
export const BOXLITE_MODEL: Record<string, string> = { '0.10.0': 'boxlite-0-10-0' };

const DRIVER = fileURLToPath(new URL('./boxliteDriver.mjs', import.meta.url));

export function boxliteCacheDir(version: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'execsim', `boxlite-${version}`);
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules/@boxlite-ai/boxlite/package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned client into its cache dir unless it is there; returns the dir. */
export function ensureBoxlite(version: string, log: (line: string) => void): string {
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))
    throw new ExecsimError('EXECSIM_USAGE', `--client boxlite@${version}: expected a version such as ${BOXLITE_DEFAULT_VERSION}`);
  const dir = boxliteCacheDir(version);
  if (installedVersion(dir) === version && existsSync(join(dir, 'node_modules/@boxlite-ai/boxlite-linux-x64-gnu'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  log(`validate: fetching @boxlite-ai/boxlite@${version} (about 110 MB) into ${dir}\n`);
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', `@boxlite-ai/boxlite@${version}`, `@boxlite-ai/boxlite-linux-x64-gnu@${version}`],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (r.status !== 0 || installedVersion(dir) !== version)
    throw new ExecsimError('EXECSIM_EXECUTOR', `could not install @boxlite-ai/boxlite@${version} into ${dir}:\n${(r.stderr ?? '').slice(-2000)}`);
  return dir;
}

/** The client command for the preset (`{url}` is filled per case). */
export function boxliteCommand(dir: string): string {
  return `"${process.execPath}" "${DRIVER}" {url} "${dir}"`;
}
