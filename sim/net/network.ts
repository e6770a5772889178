/**
 * What the world and the kernel's fault kinds need from a network, simulated (simNetwork.ts) or
 * real (sim/real/worldNet.ts), and the network's options. Fault model:
 * - Per connection and direction, frames are FIFO; each frame's latency is drawn from the `net`
 *   stream and never lets it overtake the frame before it. Separate connections (and every HTTP
 *   request) are independent, so a status probe can overtake a WebSocket.
 * - cut: both ends see an abnormal close (1006) at once; frames in flight are dropped. With
 *   `afterFrames`, the first matching connection to carry that many more data frames in `dir`
 *   (default s2c) is cut right after the last of them (connections.ts).
 * - half-open: the path dies silently: frames (and those in flight) vanish in both directions
 *   and nobody is told. It never resumes (a live TCP connection would retransmit, not lose
 *   frames; a temporary stall is `lag`). With `closeAfterMs`, both ends finally see 1006, as when
 *   TCP gives up; healing does not revive it, so only the protocol's own timeouts save it.
 * - lag: frames sent in a window get extra latency (still FIFO).
 * - refuse: the next connects or requests fail: connection refused, an HTTP status on the
 *   upgrade or request (404, 409, 502, 503...), or no answer until the caller's timeout.
 * - close: a proxy in the path closes both ends with a code (1001, 1011...); later frames drop.
 * Healing ends every lag window, refusal and armed cut; cuts, closes and half-open connections
 * stay dead.
 */
import type { Net } from '../ports/net.ts';
import type { Dir } from './connections.ts';
import type { RefuseRule } from './rules.ts';

export interface NetOptions {
  /** One-way latency of each frame or request leg, drawn uniformly (ms). */
  latencyMsMin: number;
  latencyMsMax: number;
  /** Default connect (upgrade) timeout (ms), like ws `handshakeTimeout`. */
  connectTimeoutMs: number;
  /** Default HTTP request timeout (ms). */
  requestTimeoutMs: number;
  /** How long a closing end waits for the peer's close frame before giving up with 1006 (ms). */
  closeTimeoutMs: number;
}

export const DEFAULT_NET_OPTIONS: NetOptions = {
  latencyMsMin: 1,
  latencyMsMax: 10,
  connectTimeoutMs: 30_000,
  requestTimeoutMs: 30_000,
  closeTimeoutMs: 30_000,
};

export type { Dir, RefuseRule };

/** The kernel's network fault kinds act through this (the simulated network, real mode's, the real fault proxy). */
export interface NetworkFaults {
  cut(target: string): void;
  /** Arms a one-shot cut of the first matching connection to carry `frames` more data frames in `dir`. */
  cutAfterFrames(target: string, frames: number, dir: Dir): void;
  halfOpen(target: string, closeAfterMs: number | undefined): void;
  lag(target: string, durationMs: number, extraMs: number): void;
  refuse(rule: RefuseRule): void;
  proxyClose(target: string, code: number, reason: string): void;
  heal(): void;
  openConnections(): string[];
}

export interface Network extends NetworkFaults {
  port(host: string): Net;
  /** Every connection made so far (for fault messages). */
  connectionIds?(): string[];
}
