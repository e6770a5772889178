/**
 * Addresses and fault targets of the simulated network. A URL names a host and port
 * (`ws://server:4000/attach`). A fault target names connections:
 *   `*`          every connection
 *   `a->b`       every connection from host a to host b
 *   `a->b#3`     the third connection from a to b (numbered from 1 per pair)
 *   `b`          every connection with b at either end
 */
import { NetError } from '../ports/net.ts';

export interface ParsedUrl {
  scheme: 'ws' | 'http';
  host: string;
  port: number;
  path: string;
}

// a client dials one URL again and again (every reconnect attempt): the last one parsed is kept
let lastUrl: string | undefined;
let lastExpected: string | undefined;
let lastParsed: Readonly<ParsedUrl> | undefined;

/** The parts of a URL; the result is shared between calls with the same URL and must not be changed. */
export function parseUrl(url: string, expected: 'ws' | 'http'): Readonly<ParsedUrl> {
  if (url === lastUrl && expected === lastExpected) return lastParsed as Readonly<ParsedUrl>;
  const parsed = Object.freeze(parseUrlOnce(url, expected));
  lastUrl = url;
  lastExpected = expected;
  lastParsed = parsed;
  return parsed;
}

function parseUrlOnce(url: string, expected: 'ws' | 'http'): ParsedUrl {
  const m = /^(wss?|https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) throw new NetError('ECONNREFUSED', `invalid URL ${JSON.stringify(url)}`);
  const scheme = (m[1] as string).startsWith('ws') ? 'ws' : 'http';
  if (scheme !== expected) throw new NetError('ECONNREFUSED', `expected a ${expected}:// URL, got ${JSON.stringify(url)}`);
  return { scheme, host: m[2] as string, port: m[3] ? Number(m[3]) : 80, path: m[4] ?? '/' };
}

export interface Endpoints {
  from: string;
  to: string;
  /** Ordinal of the connection within its pair; undefined for HTTP requests. */
  ordinal?: number;
}

export function matchesTarget(target: string, ep: Endpoints): boolean {
  if (target === '*') return true;
  const arrow = target.indexOf('->');
  if (arrow < 0) return ep.from === target || ep.to === target;
  const from = target.slice(0, arrow);
  let to = target.slice(arrow + 2);
  const hash = to.indexOf('#');
  let ordinal: number | undefined;
  if (hash >= 0) {
    ordinal = Number(to.slice(hash + 1));
    to = to.slice(0, hash);
  }
  if (from !== ep.from || to !== ep.to) return false;
  return ordinal === undefined || ordinal === ep.ordinal;
}

/** The endpoints of a WebSocket connection from its id (`a->b#n`), for code that sees only the socket. */
export function endpointsOf(id: string): Endpoints {
  const m = /^(.*)->(.*)#(\d+)$/.exec(id);
  if (!m) return { from: id, to: '' };
  return { from: m[1] as string, to: m[2] as string, ordinal: Number(m[3]) };
}

/** The fault targets `matchesTarget` understands, as a JSON Schema pattern (fault validation). */
export const TARGET_PATTERN = '^(\\*|[A-Za-z0-9_.-]+(->[A-Za-z0-9_.-]+(#[1-9][0-9]*)?)?)$';
