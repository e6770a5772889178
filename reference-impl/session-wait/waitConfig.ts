/**
 * The cap (spec §3, `resolve_daemon_wait_timeout`, #652/PR #679): the global config's
 * `[kv_cache].long_poll_seconds` when it is an integer > 0, and 240 whenever `[kv_cache]`
 * exists at all; only without `[kv_cache]` (or with no readable global config) the deprecated
 * `[session].daemon_wait_seconds`, project config first, then the user config, with a warning.
 */
import type { SyncFs } from '../../sim/ports/index.ts';
import { GLOBAL_CONFIG, parseTomlCached, PROJECT_CONFIG, readIfExists } from './sessionFiles.ts';

/** `DEFAULT_KV_CACHE_LONG_POLL_SECS`. */
export const DEFAULT_WAIT_CAP_SECS = 240;

type Table = Record<string, unknown>;

/** A config file's table, or undefined when it is missing or does not parse. */
function readToml(fs: SyncFs, path: string): Table | undefined {
  const text = readIfExists(fs, path);
  return text === undefined ? undefined : parseTomlCached(text);
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function section(t: Table | undefined, name: string): Table | undefined {
  const s = t?.[name];
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Table) : undefined;
}

export function resolveDaemonWaitTimeoutSecs(fs: SyncFs, warn: (line: string) => void): number {
  const global = readToml(fs, GLOBAL_CONFIG);
  const kvCache = section(global, 'kv_cache');
  if (kvCache) return positiveInt(kvCache.long_poll_seconds) ?? DEFAULT_WAIT_CAP_SECS;
  for (const [path, t] of [
    [PROJECT_CONFIG, readToml(fs, PROJECT_CONFIG)],
    [GLOBAL_CONFIG, global],
  ] as const) {
    const legacy = positiveInt(section(t, 'session')?.daemon_wait_seconds);
    if (legacy !== undefined) {
      warn(`warning: [session].daemon_wait_seconds in ${path} is deprecated; use [kv_cache].long_poll_seconds`);
      return legacy;
    }
  }
  return DEFAULT_WAIT_CAP_SECS;
}
