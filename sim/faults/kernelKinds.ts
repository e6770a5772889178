/**
 * The fault kinds the kernel itself understands: network, file system and processes. Targets add
 * protocol-level kinds of their own with `world.faults.define`.
 */
import type { SimFileSystem } from '../fs/simFs.ts';
import { targetProblem } from '../net/address.ts';
import type { Dir, Network, NetworkFaults } from '../net/network.ts';
import { SIGNAL_NUMBERS, type Signal } from '../ports/proc.ts';
import type { ProcessTable } from '../proc/processTable.ts';
import { FieldCheck } from './check.ts';
import type { Fault, FaultKind, FaultSpec } from './fault.ts';

const BASE = ['at', 'kind', 'target'];
const SIGNALS = Object.keys(SIGNAL_NUMBERS);

function pathProblem(v: unknown): string | undefined {
  return typeof v === 'string' && v.startsWith('/') ? undefined : `expected an absolute file path, got ${JSON.stringify(v)}`;
}

function processProblem(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? undefined : `expected a process name or pid, got ${JSON.stringify(v)}`;
}

interface Subsystems {
  net: Network;
  fs: SimFileSystem;
  proc: ProcessTable;
}

type KernelKind = FaultSpec & { bind(s: Subsystems): (f: Fault) => void };

const KERNEL_KINDS: KernelKind[] = [
  {
    kind: 'cut',
    summary: 'abnormal close (1006) on both ends of matching connections; frames in flight are dropped',
    params: {
      target: 'connections: "*", "a->b", "a->b#n" or a host',
      afterFrames: 'cut instead the first matching connection to carry this many more data frames (from `at` on), right after the last',
      dir: 'with afterFrames, the direction counted: "s2c" (default, frames the server sends) or "c2s"',
    },
    validate: (f, p) => {
      const c = new FieldCheck(f, p)
        .only([...BASE, 'afterFrames', 'dir'])
        .str('target', { problem: targetProblem })
        .int('afterFrames', { min: 1, optional: true })
        .str('dir', { optional: true, oneOf: ['s2c', 'c2s'] });
      if (f.dir !== undefined && f.afterFrames === undefined) c.problems.push(`${p}.dir: only counts frames with afterFrames`);
      return c.problems;
    },
    bind:
      ({ net }) =>
      (f) =>
        f.afterFrames === undefined
          ? net.cut(f.target as string)
          : net.cutAfterFrames(f.target as string, f.afterFrames as number, (f.dir as Dir | undefined) ?? 's2c'),
  },
  {
    kind: 'half-open',
    summary: 'the connection dies silently: frames vanish both ways, no close event, never resumes',
    params: { target: 'connections', closeAfterMs: 'both ends finally see 1006 after this long (default: never)' },
    validate: (f, p) => {
      const c = new FieldCheck(f, p)
        .only([...BASE, 'closeAfterMs'])
        .str('target', { problem: targetProblem })
        .int('closeAfterMs', { min: 1, optional: true });
      if ('durationMs' in f)
        c.problems.push(
          `${p}.durationMs: a half-open connection never resumes; use closeAfterMs (1006 after it), or lag for a temporary stall`,
        );
      return c.problems.filter((m) => !m.startsWith(`${p}.durationMs: unknown field`));
    },
    bind:
      ({ net }) =>
      (f) =>
        net.halfOpen(f.target as string, f.closeAfterMs as number | undefined),
  },
  {
    kind: 'lag',
    summary: 'frames and requests sent in the window get extra latency (order kept)',
    params: { target: 'connections or hosts', durationMs: 'window length', extraMs: 'added latency' },
    validate: (f, p) =>
      new FieldCheck(f, p)
        .only([...BASE, 'durationMs', 'extraMs'])
        .str('target', { problem: targetProblem })
        .int('durationMs', { min: 1 })
        .int('extraMs', { min: 1 }).problems,
    bind:
      ({ net }) =>
      (f) =>
        net.lag(f.target as string, f.durationMs as number, f.extraMs as number),
  },
  {
    kind: 'refuse',
    summary: 'the next connects/requests fail: refused, an HTTP status, or no answer (timeout)',
    params: {
      target: 'a->b or a host',
      scope: '"ws", "http" or "any" (default any)',
      count: 'attempts refused (default 1)',
      durationMs: 'or: refuse every attempt for this long',
      status: 'HTTP status to answer with (404, 409, 502, 503...); default: connection refused',
      timeout: 'true: never answer, the caller times out',
    },
    validate: (f, p) =>
      new FieldCheck(f, p)
        .only([...BASE, 'scope', 'count', 'durationMs', 'status', 'timeout'])
        .str('target', { problem: targetProblem })
        .str('scope', { optional: true, oneOf: ['ws', 'http', 'any'] })
        .int('count', { min: 1, optional: true })
        .int('durationMs', { min: 1, optional: true })
        .int('status', { min: 100, max: 599, optional: true })
        .bool('timeout', { optional: true }).problems,
    bind:
      ({ net }) =>
      (f) => {
        const windowed = f.durationMs !== undefined;
        net.refuse({
          target: f.target as string,
          scope: (f.scope as 'ws' | 'http' | 'any' | undefined) ?? 'any',
          remaining: (f.count as number | undefined) ?? (windowed ? Infinity : 1),
          untilMs: windowed ? f.at + (f.durationMs as number) : Infinity,
          ...(f.status !== undefined ? { status: f.status as number } : {}),
          ...(f.timeout !== undefined ? { timeout: f.timeout as boolean } : {}),
        });
      },
  },
  {
    kind: 'close',
    summary: 'a proxy closes matching connections on both ends with a code (1001, 1011...)',
    params: { target: 'connections', code: 'close code (default 1001)', reason: 'close reason' },
    validate: (f, p) =>
      new FieldCheck(f, p)
        .only([...BASE, 'code', 'reason'])
        .str('target', { problem: targetProblem })
        .int('code', { min: 1000, max: 4999, optional: true })
        .str('reason', { optional: true }).problems,
    bind:
      ({ net }) =>
      (f) =>
        net.proxyClose(f.target as string, (f.code as number | undefined) ?? 1001, (f.reason as string | undefined) ?? ''),
  },
  {
    kind: 'set-mtime',
    summary: "sets a file's mtime (absolute, or offset from its own); armed for the next write if missing",
    params: { target: 'absolute file path', mtimeMs: 'the mtime to set', offsetMs: 'or: shift it by this much' },
    validate: (f, p) => {
      const c = new FieldCheck(f, p).only([...BASE, 'mtimeMs', 'offsetMs']).str('target', { problem: pathProblem });
      if ((f.mtimeMs === undefined) === (f.offsetMs === undefined)) c.problems.push(`${p}: expected exactly one of mtimeMs or offsetMs`);
      if (f.mtimeMs !== undefined && typeof f.mtimeMs !== 'number') c.problems.push(`${p}.mtimeMs: expected a number`);
      if (f.offsetMs !== undefined && typeof f.offsetMs !== 'number') c.problems.push(`${p}.offsetMs: expected a number`);
      return c.problems;
    },
    bind:
      ({ fs }) =>
      (f) =>
        fs.setMtime(f.target as string, {
          ...(f.mtimeMs !== undefined ? { mtimeMs: f.mtimeMs as number } : {}),
          ...(f.offsetMs !== undefined ? { offsetMs: f.offsetMs as number } : {}),
        }),
  },
  {
    kind: 'torn-read',
    summary: 'the next reads of a file see only a prefix, as if racing a non-atomic write',
    params: { target: 'absolute file path', count: 'reads affected (default 1)', bytes: 'prefix length (default half)' },
    validate: (f, p) =>
      new FieldCheck(f, p)
        .only([...BASE, 'count', 'bytes'])
        .str('target', { problem: pathProblem })
        .int('count', { min: 1, optional: true })
        .int('bytes', { min: 0, optional: true }).problems,
    bind:
      ({ fs }) =>
      (f) =>
        fs.tornRead(f.target as string, (f.count as number | undefined) ?? 1, f.bytes as number | undefined),
  },
  {
    kind: 'kill',
    summary: 'sends a signal to a process (by name or pid); SIGKILL cannot be handled',
    params: { target: 'process name or pid', signal: `one of ${SIGNALS.join(', ')} (default SIGKILL)` },
    validate: (f, p) =>
      new FieldCheck(f, p)
        .only([...BASE, 'signal'])
        .str('target', { problem: processProblem })
        .str('signal', { optional: true, oneOf: SIGNALS }).problems,
    bind:
      ({ proc }) =>
      (f) =>
        proc.killTarget(f.target as string, (f.signal as Signal | undefined) ?? 'SIGKILL'),
  },
  {
    kind: 'pid-reuse',
    summary: "an unrelated process takes the named process's pid once it is gone",
    params: { target: 'process name' },
    validate: (f, p) => new FieldCheck(f, p).only(BASE).str('target', { problem: processProblem }).problems,
    bind:
      ({ proc }) =>
      (f) =>
        proc.reusePid(f.target as string),
  },
];

/** The kernel's fault kinds, for validation and listing without a world. */
// Every kernel kind reports what it hit (a connection, a file, a process), so a misspelt target shows.
export const KERNEL_FAULT_SPECS: readonly FaultSpec[] = KERNEL_KINDS.map(({ bind: _bind, ...spec }) => ({ ...spec, reportsEffect: true }));

export function kernelFaultKinds(net: Network, fs: SimFileSystem, proc: ProcessTable): FaultKind[] {
  return KERNEL_KINDS.map(({ bind, ...spec }) => ({ ...spec, reportsEffect: true, apply: bind({ net, fs, proc }) }));
}

export type { Fault };

const NETWORK_KINDS = ['cut', 'half-open', 'lag', 'refuse', 'close'];

/** The network kinds alone, bound to any network that takes them: the real fault proxy speaks the same vocabulary. */
export function networkFaultKinds(net: NetworkFaults): FaultKind[] {
  // these binds read only `net`
  const subsystems = { net } as Subsystems;
  return KERNEL_KINDS.filter((k) => NETWORK_KINDS.includes(k.kind)).map(({ bind, ...spec }) => ({ ...spec, apply: bind(subsystems) }));
}
