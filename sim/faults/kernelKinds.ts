/**
 * The fault kinds the kernel itself understands: network, file system and processes. Targets add
 * protocol-level kinds of their own with `world.faults.define`.
 */
import type { SimFileSystem } from '../fs/simFs.ts';
import { TARGET_PATTERN } from '../net/address.ts';
import { MAX_CLOSE_REASON_BYTES, SENDABLE_CLOSE_CODES, SENDABLE_CLOSE_CODES_TEXT } from '../net/closeCodes.ts';
import type { Dir, Network, NetworkFaults, RefuseRule } from '../net/network.ts';
import { SIGNAL_NUMBERS, type Signal } from '../ports/proc.ts';
import type { ProcessTable } from '../proc/processTable.ts';
import { bool, either, int, num, oneOf, optional, str, type Props } from '../schema/fields.ts';
import { fieldsOf } from '../schema/problems.ts';
import { bindable, faultSpec, type BindableKind, type Fault, type FaultKind, type FaultOf, type FaultSpec } from './fault.ts';

const SIGNALS = Object.keys(SIGNAL_NUMBERS) as Signal[];

const connections = (what: string) =>
  str(`${what} ("*": all; "a->b": from host a to host b; "a->b#n": the n-th of those; a host: either end)`, {
    pattern: TARGET_PATTERN,
    expected: '"*", "a->b", "a->b#n" or a host name',
  });
const file = str('absolute path of the file', { pattern: '^/', expected: 'an absolute file path' });
const process = str('process name or pid', { minLength: 1, expected: 'a process name or pid' });

interface Subsystems {
  net: Network;
  fs: SimFileSystem;
  proc: ProcessTable;
}

const kernelKind = <P extends Props>(spec: FaultSpec<P>, apply: (s: Subsystems) => (f: FaultOf<P>) => void) => bindable(spec, apply);

export const CUT = faultSpec({
  kind: 'cut',
  summary: 'abnormal close (1006) on both ends of matching connections; frames in flight are dropped',
  params: {
    target: connections('the connections cut'),
    afterFrames: optional(
      int('cut instead the first matching connection to carry this many more data frames (from `at` on), right after the last', 'frames', {
        min: 1,
      }),
    ),
    dir: optional(oneOf(['s2c', 'c2s'], 'with afterFrames, the direction counted: s2c (default, frames the server sends) or c2s')),
  },
  rules: (f, p) => (f.dir !== undefined && f.afterFrames === undefined ? [`${p}.dir: only counts frames with afterFrames`] : []),
});

export const HALF_OPEN = faultSpec({
  kind: 'half-open',
  summary: 'the connection dies silently: frames vanish both ways, no close event, never resumes',
  params: {
    target: connections('the connections that die'),
    closeAfterMs: optional(int('both ends finally see 1006 after this long (default: never)', 'ms', { min: 1 })),
  },
  rules: (f, p) =>
    'durationMs' in f
      ? [`${p}.durationMs: a half-open connection never resumes; use closeAfterMs (1006 after it), or lag for a temporary stall`]
      : [],
});

export const LAG = faultSpec({
  kind: 'lag',
  summary: 'frames and requests sent in the window get extra latency (order kept)',
  params: {
    target: connections('the connections or hosts slowed'),
    durationMs: int('window length', 'ms', { min: 1 }),
    extraMs: int('latency added to each frame or request sent in the window', 'ms', { min: 1 }),
  },
});

export const REFUSE = faultSpec({
  kind: 'refuse',
  summary: 'the next connects/requests fail: refused, an HTTP status, or no answer (timeout)',
  params: {
    target: connections('the connects or requests refused ("a->b" or a host)'),
    scope: optional(oneOf(['ws', 'http', 'any'], 'what is refused: WebSocket connects, HTTP requests, or any (default any)')),
    count: optional(int('attempts refused (default 1; with durationMs: every attempt in the window)', 'attempts', { min: 1 })),
    durationMs: optional(int('or: refuse every attempt for this long', 'ms', { min: 1 })),
    status: optional(int('answer with this (404, 409, 502, 503...); default: connection refused', 'HTTP status', { min: 100, max: 599 })),
    timeout: optional(bool('true: never answer, the caller times out')),
  },
});

export const CLOSE = faultSpec({
  kind: 'close',
  summary: 'a proxy closes matching connections on both ends with a code (1001, 1011...)',
  params: {
    target: connections('the connections closed'),
    code: optional(
      either(
        SENDABLE_CLOSE_CODES.map(([min, max]) => int("the close frame's code", 'close code', { min, max })),
        "the close frame's code (default 1001; one a close frame may carry: RFC 6455 §7.4) (close code)",
        `a close code a close frame may carry: ${SENDABLE_CLOSE_CODES_TEXT} (1004-1006 and 1015 are reserved, 1016-2999 unassigned)`,
      ),
    ),
    reason: optional(str(`close reason (default empty; at most ${MAX_CLOSE_REASON_BYTES} bytes in UTF-8)`)),
  },
  rules: (f, p) => {
    const reason = fieldsOf(f).reason;
    const bytes = typeof reason === 'string' ? new TextEncoder().encode(reason).length : 0;
    return bytes > MAX_CLOSE_REASON_BYTES
      ? [`${p}.reason: ${bytes} bytes in UTF-8, expected at most ${MAX_CLOSE_REASON_BYTES} (a close frame carries 125, 2 of them the code)`]
      : [];
  },
});

export const SET_MTIME = faultSpec({
  kind: 'set-mtime',
  summary: "sets a file's mtime (absolute, or offset from its own); armed for the next write if missing",
  params: {
    target: file,
    mtimeMs: optional(num('the mtime to set', 'ms since the epoch')),
    offsetMs: optional(num('or: shift the mtime by this much (negative: older)', 'ms')),
  },
  rules: (f, p) => ((f.mtimeMs === undefined) === (f.offsetMs === undefined) ? [`${p}: expected exactly one of mtimeMs or offsetMs`] : []),
});

export const TORN_READ = faultSpec({
  kind: 'torn-read',
  summary: 'the next reads of a file see only a prefix, as if racing a non-atomic write',
  params: {
    target: file,
    count: optional(int('reads affected (default 1)', 'reads', { min: 1 })),
    bytes: optional(int('prefix length (default half the file)', 'bytes')),
  },
});

export const KILL = faultSpec({
  kind: 'kill',
  summary: 'sends a signal to a process (by name or pid); SIGKILL cannot be handled',
  params: { target: process, signal: optional(oneOf(SIGNALS, 'the signal (default SIGKILL)')) },
});

export const PID_REUSE = faultSpec({
  kind: 'pid-reuse',
  summary: "an unrelated process takes the named process's pid once it is gone",
  params: { target: str('process name', { minLength: 1, expected: 'a process name or pid' }) },
});

const KERNEL_KINDS: BindableKind<Subsystems>[] = [
  kernelKind(
    CUT,
    ({ net }) =>
      (f) =>
        f.afterFrames === undefined ? net.cut(f.target) : net.cutAfterFrames(f.target, f.afterFrames, f.dir ?? 's2c'),
  ),
  kernelKind(
    HALF_OPEN,
    ({ net }) =>
      (f) =>
        net.halfOpen(f.target, f.closeAfterMs),
  ),
  kernelKind(
    LAG,
    ({ net }) =>
      (f) =>
        net.lag(f.target, f.durationMs, f.extraMs),
  ),
  kernelKind(REFUSE, ({ net }) => (f) => {
    const windowed = f.durationMs !== undefined;
    const rule: RefuseRule = {
      target: f.target,
      scope: f.scope ?? 'any',
      remaining: f.count ?? (windowed ? Infinity : 1),
      untilMs: f.durationMs !== undefined ? f.at + f.durationMs : Infinity,
    };
    // set only when given (a spread of a conditional object is V8's slow path)
    if (f.status !== undefined) rule.status = f.status;
    if (f.timeout !== undefined) rule.timeout = f.timeout;
    net.refuse(rule);
  }),
  kernelKind(
    CLOSE,
    ({ net }) =>
      (f) =>
        net.proxyClose(f.target, f.code ?? 1001, f.reason ?? ''),
  ),
  kernelKind(
    SET_MTIME,
    ({ fs }) =>
      (f) => {
        const pin: Parameters<SimFileSystem['setMtime']>[1] = {};
        if (f.mtimeMs !== undefined) pin.mtimeMs = f.mtimeMs;
        if (f.offsetMs !== undefined) pin.offsetMs = f.offsetMs;
        fs.setMtime(f.target, pin);
      },
  ),
  kernelKind(
    TORN_READ,
    ({ fs }) =>
      (f) =>
        fs.tornRead(f.target, f.count ?? 1, f.bytes),
  ),
  kernelKind(
    KILL,
    ({ proc }) =>
      (f) =>
        proc.killTarget(f.target, f.signal ?? 'SIGKILL'),
  ),
  kernelKind(
    PID_REUSE,
    ({ proc }) =>
      (f) =>
        proc.reusePid(f.target),
  ),
];

/** The kernel's fault kinds, for validation and listing without a world. */
// Every kernel kind reports what it hit (a connection, a file, a process), so a misspelt target shows.
export const KERNEL_FAULT_SPECS: readonly FaultSpec[] = KERNEL_KINDS.map((k) => ({ ...k.spec, reportsEffect: true }));

export function kernelFaultKinds(net: Network, fs: SimFileSystem, proc: ProcessTable): FaultKind[] {
  return KERNEL_KINDS.map((k) => ({ ...k.bind({ net, fs, proc }), reportsEffect: true }));
}

export type { Fault };

const NETWORK_KINDS = ['cut', 'half-open', 'lag', 'refuse', 'close'];

/** The network kinds alone, bound to any network that takes them: the real fault proxy speaks the same vocabulary. */
export function networkFaultKinds(net: NetworkFaults): FaultKind[] {
  // these binds read only `net`
  const subsystems = { net } as Subsystems;
  return KERNEL_KINDS.filter((k) => NETWORK_KINDS.includes(k.spec.kind)).map((k) => k.bind(subsystems));
}
