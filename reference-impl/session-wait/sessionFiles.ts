/**
 * The session directory and the files the wait reads (spec §1), on the Fs port. TOML files are
 * parsed and written with smol-toml; a file that does not parse as its schema is an error, as
 * serde would make it upstream.
 */
import { parse, stringify } from 'smol-toml';
import { isFsError, StacklessError, withoutStack, type SyncFs } from '../../sim/ports/index.ts';

export const SESSIONS_ROOT = '/state/csa/project/sessions';
export const PROJECT_ROOT = '/home/user/project';
export const GLOBAL_CONFIG = '/home/user/.config/cli-sub-agent/config.toml';
export const PROJECT_CONFIG = `${PROJECT_ROOT}/.csa/config.toml`;

/** Every path of one session directory. */
export interface SessionPaths {
  id: string;
  dir: string;
  result: string;
  outputResult: string;
  packet: string;
  daemonPid: string;
  locks: string;
  waitLock: string;
  reconcileLock: string;
  snapshot: string;
  stdoutLog: string;
  stderrLog: string;
  outputLog: string;
  acpEvents: string;
  state: string;
}

export function sessionPaths(id: string): SessionPaths {
  const dir = `${SESSIONS_ROOT}/${id}`;
  return {
    id,
    dir,
    result: `${dir}/result.toml`,
    outputResult: `${dir}/output/result.toml`,
    packet: `${dir}/daemon-completion.toml`,
    daemonPid: `${dir}/daemon.pid`,
    locks: `${dir}/locks`,
    waitLock: `${dir}/.wait.lock`,
    reconcileLock: `${dir}/locks/.reconcile.lock`,
    snapshot: `${dir}/.liveness.snapshot`,
    stdoutLog: `${dir}/stdout.log`,
    stderrLog: `${dir}/stderr.log`,
    outputLog: `${dir}/output.log`,
    acpEvents: `${dir}/output/acp-events.jsonl`,
    state: `${dir}/state.toml`,
  };
}

/** `SessionResult` (result.toml and output/result.toml). "retired" is accepted as success. */
export interface SessionResult {
  status: string;
  exitCode: number;
  summary: string;
  tool: string;
  startedAt: string;
  completedAt: string;
  eventsCount?: number;
}

/** `daemon-completion.toml`: the daemon process's exit, not the session's outcome. */
export interface CompletionPacket {
  exitCode: number;
  status: string;
}

export class ParseError extends StacklessError {
  constructor(path: string, why: string) {
    super(`failed to parse ${path}: ${why}`);
    this.name = 'ParseError';
  }
}

/**
 * Parsed TOML by text: a wait re-reads the same few files (state.toml, result.toml) every poll,
 * and parsing them was 9% of a session-wait run. Parsing is a pure function of the text, so the
 * cache changes nothing observable; the tables are only read (by `field`, and the cap's config
 * sections), never changed.
 * Failures are cached as their reason, and thrown afresh with the caller's path.
 */
class Unparsable {
  constructor(readonly why: string) {}
}
const parsed = new Map<string, Record<string, unknown> | Unparsable>();
const PARSED_MAX = 512;

function table(text: string, path: string): Record<string, unknown> {
  const t = tableOrReason(text);
  if (t instanceof Unparsable) throw new ParseError(path, t.why);
  return t;
}

/** A TOML text's table (from the cache), or undefined when it does not parse. Read it only. */
export function parseTomlCached(text: string): Record<string, unknown> | undefined {
  const t = tableOrReason(text);
  return t instanceof Unparsable ? undefined : t;
}

function tableOrReason(text: string): Record<string, unknown> | Unparsable {
  let t = parsed.get(text);
  if (t === undefined) {
    try {
      t = withoutStack(() => parse(text)) as Record<string, unknown>;
    } catch (e) {
      t = new Unparsable(e instanceof Error ? (e.message.split('\n')[0] ?? 'bad TOML') : 'bad TOML');
    }
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, t);
  }
  return t;
}

function field<T>(t: Record<string, unknown>, key: string, type: 'string' | 'integer', path: string): T {
  const v = t[key];
  const ok = type === 'string' ? typeof v === 'string' : typeof v === 'number' && Number.isInteger(v);
  if (!ok) throw new ParseError(path, `missing field \`${key}\``);
  return v as T;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
/** Printable ASCII without a quote or a backslash: JSON.stringify only quotes it (well formed, no DEL to escape). */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** `String.prototype.toWellFormed` (ES2024; Node 20 has it, as smol-toml assumes when it is there). */
const wellFormed = (s: string): string => (s as string & { toWellFormed?(): string }).toWellFormed?.() ?? s;

/**
 * smol-toml's `stringify` of a flat table (bare keys; strings and safe integers), byte for byte,
 * without its walk over every value's type: session files are written several times a run. Any
 * other table goes to smol-toml (sessionFiles.test.ts holds the two equal).
 */
export function tomlTable(t: Record<string, string | number>): string {
  let out = '';
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (!BARE_KEY.test(k)) return stringify(t);
    // smol-toml: a well-formed string as JSON, DEL escaped too; an integer as written
    if (typeof v === 'string')
      out += PLAIN_STRING.test(v) ? `${k} = "${v}"\n` : `${k} = ${JSON.stringify(wellFormed(v)).replaceAll('\x7f', '\\u007f')}\n`;
    else if (Number.isSafeInteger(v)) out += `${k} = ${String(v)}\n`;
    else return stringify(t);
  }
  return out === '' ? stringify(t) : out;
}

/** Parsed results by text (a wait refreshes the same result.toml every poll); callers get a copy, they may enrich it. */
const results = new Map<string, SessionResult>();

export function parseResult(text: string, path: string): SessionResult {
  let r = results.get(text);
  if (r === undefined) {
    r = parseResultText(text, path);
    if (results.size >= PARSED_MAX) results.clear();
    results.set(text, r);
  }
  return { ...r };
}

function parseResultText(text: string, path: string): SessionResult {
  const t = table(text, path);
  const r: SessionResult = {
    status: field<string>(t, 'status', 'string', path),
    exitCode: field<number>(t, 'exit_code', 'integer', path),
    summary: field<string>(t, 'summary', 'string', path),
    tool: field<string>(t, 'tool', 'string', path),
    startedAt: field<string>(t, 'started_at', 'string', path),
    completedAt: field<string>(t, 'completed_at', 'string', path),
  };
  if (typeof t.events_count === 'number') r.eventsCount = t.events_count;
  return r;
}

export function formatResult(r: SessionResult): string {
  const t: Record<string, string | number> = {
    status: r.status,
    exit_code: r.exitCode,
    summary: r.summary,
    tool: r.tool,
    started_at: r.startedAt,
    completed_at: r.completedAt,
  };
  if (r.eventsCount !== undefined) t.events_count = r.eventsCount;
  return tomlTable(t) + '\n';
}

export function parsePacket(text: string, path: string): CompletionPacket {
  const t = table(text, path);
  return { exitCode: field<number>(t, 'exit_code', 'integer', path), status: field<string>(t, 'status', 'string', path) };
}

/** The packet's status comes from the exit code alone (spec §1). */
export function packetFor(exitCode: number): CompletionPacket {
  const status = exitCode === 0 ? 'success' : exitCode === 137 || exitCode === 143 ? 'signal' : 'failure';
  return { exitCode, status };
}

export function formatPacket(p: CompletionPacket): string {
  return tomlTable({ exit_code: p.exitCode, status: p.status }) + '\n';
}

/** state.toml, the subset the wait reads: the session phase (Active, Retired...) and its tool. */
export function parseState(text: string, path: string): { phase: string; tool: string } {
  const t = table(text, path);
  return { phase: field<string>(t, 'phase', 'string', path), tool: typeof t.tool === 'string' ? t.tool : 'unknown' };
}

export function formatState(phase: string, tool: string): string {
  return tomlTable({ phase, tool }) + '\n';
}

/**
 * Reads a file, or undefined when it does not exist. Session files are read and written with
 * blocking calls (Rust's std::fs): nothing yields between two of them.
 */
export function readIfExists(fs: SyncFs, path: string): string | undefined {
  if (!fs.exists(path)) return undefined;
  try {
    return fs.readFile(path);
  } catch (e) {
    if (isFsError(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/**
 * Like `readIfExists`, in one call, for files that normally exist (daemon.pid, state.toml,
 * lock files): a missing file costs an exception instead of an extra `exists` on every read.
 */
export function readUsuallyPresent(fs: SyncFs, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch (e) {
    if (isFsError(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/** Size and mtime, or undefined when the file does not exist. */
export function statIfExists(fs: SyncFs, path: string): { size: number; mtimeMs: number } | undefined {
  if (!fs.exists(path)) return undefined;
  const s = fs.stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** Writes through `<path>.tmp` and a rename, as every atomic writer upstream does. */
export function writeAtomic(fs: SyncFs, path: string, text: string): void {
  fs.writeFile(`${path}.tmp`, text);
  fs.rename(`${path}.tmp`, path);
}

/** RFC 3339 from virtual ms: the session's calendar starts 2026-05-17T09:00:00Z (the week of #1445). */
export function timestamp(ms: number): string {
  const totalS = 9 * 3600 + Math.floor(ms / 1000);
  const day = 17 + Math.floor(totalS / 86_400);
  const s = totalS % 86_400;
  return `2026-05-${two(day)}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
}

/** `String(n).padStart(2, '0')` for the integers a timestamp has. */
function two(n: number): string {
  return n >= 0 && n < 10 ? `0${n}` : String(n);
}
