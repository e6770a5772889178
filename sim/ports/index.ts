/**
 * The ports: the only part of `sim/` that `reference-impl/` may import. Each has a simulated
 * adapter (the world) and a real one (`sim/real/`), so the same protocol code runs in both.
 */
import type { Clock } from './clock.ts';
import type { Fs } from './fs.ts';
import type { Log } from './log.ts';
import type { Net } from './net.ts';
import type { Proc } from './proc.ts';
import type { Random } from './random.ts';

export type { Clock, TimerHandle } from './clock.ts';
export type { Random } from './random.ts';
export type { Log } from './log.ts';
export * from './net.ts';
export * from './fs.ts';
export * from './proc.ts';
export * from './util.ts';
export * from './errors.ts';

/** Everything a host (a machine running one part of a protocol) can touch. */
export interface Ports {
  readonly host: string;
  readonly clock: Clock;
  readonly net: Net;
  readonly fs: Fs;
  readonly proc: Proc;
  readonly random: Random;
  readonly log: Log;
}
export * from './variant.ts';
