/**
 * `ToolLiveness::is_alive` (spec §2), the coarse probe: a live pid, output growth, any recent
 * write under the session dir, or stderr growth. Growth is measured against
 * `.liveness.snapshot`, which every probe rewrites, so a growth signal is reported once.
 */
import type { SyncFs } from '../../sim/ports/index.ts';
import type { WaitContext } from './context.ts';
import { daemonPidIsAlive, hasLiveProcess } from './liveness.ts';
import { readIfExists, statIfExists } from './sessionFiles.ts';

/** `LIVENESS_RECENT_WINDOW_SECS`. */
export const RECENT_WINDOW_MS = 30_000;

/** `.liveness.snapshot`: `key=value` lines. The daemon records the spool counter; probes the rest. */
export interface LivenessSnapshot {
  spoolBytesWritten?: number;
  observedSpoolBytesWritten?: number;
  acpEventsSize?: number;
  stderrLogSize?: number;
}

const KEYS: Array<[keyof LivenessSnapshot, string]> = [
  ['spoolBytesWritten', 'spool_bytes_written'],
  ['observedSpoolBytesWritten', 'observed_spool_bytes_written'],
  ['acpEventsSize', 'acp_events_size'],
  ['stderrLogSize', 'stderr_log_size'],
];

/** Parsed snapshots by text (every probe and spool write reads one): a copy is returned, callers change it. */
const snapshots = new Map<string, LivenessSnapshot>();
const SNAPSHOTS_MAX = 256;

function parseSnapshot(text: string | undefined): LivenessSnapshot {
  if (text === undefined) return {};
  let parsed = snapshots.get(text);
  if (parsed === undefined) {
    parsed = parseSnapshotText(text);
    if (snapshots.size >= SNAPSHOTS_MAX) snapshots.clear();
    snapshots.set(text, parsed);
  }
  return { ...parsed };
}

function parseSnapshotText(text: string): LivenessSnapshot {
  const snap: LivenessSnapshot = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();
    const entry = KEYS.find(([, k]) => k === key);
    if (entry && /^\d+$/.test(value)) snap[entry[0]] = Number(value);
  }
  return snap;
}

/** The snapshot's text, or undefined when it holds nothing (then it is not written). */
function formatSnapshot(snap: LivenessSnapshot): string | undefined {
  const lines: string[] = [];
  for (const [field, key] of KEYS) if (snap[field] !== undefined) lines.push(`${key}=${snap[field]}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

export function loadSnapshot(fs: SyncFs, path: string): LivenessSnapshot {
  return parseSnapshot(readIfExists(fs, path));
}

export function saveSnapshot(fs: SyncFs, path: string, snap: LivenessSnapshot): void {
  const text = formatSnapshot(snap);
  if (text !== undefined) fs.writeFile(path, text);
}

/** A file's size now, and whether it changed since `previous` (no growth on a first sighting). */
export function detectGrowth(fs: SyncFs, path: string, previous: number | undefined): [boolean, number | undefined] {
  const size = statIfExists(fs, path)?.size;
  return [previous !== undefined && size !== undefined && size !== previous, size];
}

/** mtime at most 30 s old; a future mtime counts as now (`duration_since` errs, unwrap_or zero). */
export function modifiedRecently(mtimeMs: number, nowMs: number): boolean {
  return Math.max(0, nowMs - mtimeMs) <= RECENT_WINDOW_MS;
}

/** Any file under the session dir (recursively) written in the last 30 s, except the snapshot and reconcile artifacts. */
function hasRecentSessionWrite(ctx: WaitContext): boolean {
  const { clock } = ctx.ports;
  const fs = ctx.ports.fs.sync;
  const now = clock.now();
  const stack = [ctx.paths.dir];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    if (!fs.exists(dir)) continue;
    for (const name of fs.readdir(dir)) {
      if (name === '.reconcile.lock' || name === '.reconcile' || name === '.liveness.snapshot') continue;
      const path = `${dir}/${name}`;
      const s = fs.stat(path);
      if (s.isDirectory()) stack.push(path);
      else if (modifiedRecently(s.mtimeMs, now)) return true;
    }
  }
  return false;
}

/** `ToolLiveness::probe(dir).has_any_signal()`. */
export function isAlive(ctx: WaitContext): boolean {
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  const snap = loadSnapshot(fs, p.snapshot);
  const daemonAlive = daemonPidIsAlive(ctx);
  const pidAlive = hasLiveProcess(ctx) || daemonAlive;
  const spoolGrowth =
    snap.spoolBytesWritten !== undefined &&
    snap.observedSpoolBytesWritten !== undefined &&
    snap.spoolBytesWritten !== snap.observedSpoolBytesWritten;
  if (snap.spoolBytesWritten !== undefined) snap.observedSpoolBytesWritten = snap.spoolBytesWritten;
  const [acpGrowth, acpSize] = detectGrowth(fs, p.acpEvents, snap.acpEventsSize);
  setOrClear(snap, 'acpEventsSize', acpSize);
  const sessionWrite = hasRecentSessionWrite(ctx);
  const [stderrGrowth, stderrSize] = detectGrowth(fs, p.stderrLog, snap.stderrLogSize);
  setOrClear(snap, 'stderrLogSize', stderrSize);
  saveSnapshot(fs, p.snapshot, snap);
  return pidAlive || spoolGrowth || acpGrowth || sessionWrite || stderrGrowth;
}

export function setOrClear(snap: LivenessSnapshot, key: keyof LivenessSnapshot, value: number | undefined): void {
  if (value === undefined) delete snap[key];
  else snap[key] = value;
}
