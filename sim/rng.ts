/**
 * Seeded randomness split into named streams (net, fs, proc, workload, faults, sched, and one
 * per host), as TigerBeetle gives each subsystem its own seed: extra draws in one stream never
 * shift another. Generators are pure-rand's xoroshiro128+, the one fast-check uses.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Random } from './ports/random.ts';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** FNV-1a over the stream name, mixed with the seed (murmur3 finalizer). */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= seed | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class Rng implements Random {
  private readonly gen: Generator;
  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }
  float(): number {
    return uniformFloat64(this.gen);
  }
  int(min: number, max: number): number {
    if (max <= min) return min;
    return uniformInt(this.gen, min, max);
  }
  bool(probability = 0.5): boolean {
    return this.float() < probability;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('execsim.rng.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }
}

export class RngStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly seed: number) {}
  get(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = new Rng(streamSeed(this.seed, name));
      this.streams.set(name, s);
    }
    return s;
  }
}
