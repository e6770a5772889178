/**
 * Scenario files of every kind, for the any-file property (test/sim/vacuous/anyScenarioFile.test.ts,
 * 300 files) and the 10,000-file run (test/scenario/fuzzFiles.ts): valid ones drawn by the
 * explorer's arbitrary for every target and variant (a third in a drawn world), valid ones mutated (a field deleted, a type
 * swapped, extreme and boundary numbers, misspelt names and fault targets, faults after the end,
 * times around 2^31, world options at and past their limits, huge sizes), and garbage (any JSON, any bytes). Each is run in-process as
 * `execsim run` would run it, and classed by its exit code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { main, type Io } from '../../sim/cli/main.ts';
import { scenarioArbitrary } from '../../sim/explore/scenarioArbitrary.ts';
import { worldKnobsArbitrary } from '../../sim/explore/worldSwarm.ts';
import { TargetRegistry, type AnyTarget } from '../../sim/registry.ts';
import { faultSpecsOf } from '../../sim/scenario/load.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Mutation = { class: string; apply(v: Json, rng: Rand): Json };

/** Every path to a value inside a JSON value (objects and arrays), for mutations. */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
function setAt(v: Json, at: Array<string | number>, value: Json | undefined): Json {
  if (at.length === 0) return value ?? null;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, Json>;
  const [head, ...rest] = at as [string | number, ...Array<string | number>];
  if (rest.length === 0) {
    if (value === undefined) {
      if (Array.isArray(copy)) (copy as unknown as Json[]).splice(head as number, 1);
      else delete copy[head];
    } else copy[head] = value;
  } else copy[head] = setAt(copy[head] as Json, rest, value);
  return copy as Json;
}
const pick = <T>(rng: Rand, xs: readonly T[]): T => xs[rng.nextInt(0, xs.length - 1)] as T;
const numericPaths = (v: Json) => paths(v).filter((p) => typeof get(v, p) === 'number');
function get(v: Json, at: Array<string | number>): Json {
  return at.reduce<Json>((x, k) => (x as Record<string | number, Json>)?.[k] ?? null, v);
}

const EXTREMES = [0, -1, 1, 0.5, -2147483648, 2147483646, 4096, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
const HUGE_TIMES = [2147483647, 2147483648, 1e30];
const HUGE_SIZES = [1e10, 200 * 1024 * 1024, 200_000];

/** Each world option (issue 12's `world`), with values at and past its limits and across its pair. */
const WORLD_EDGES: Array<[string[], Json[]]> = [
  [
    ['net', 'latencyMsMin'],
    [0, -1, 0.5, 86_400_000, 86_400_001, 1e30],
  ],
  [
    ['net', 'latencyMsMax'],
    [0, -1, 86_400_000, 86_400_001],
  ],
  [
    ['fs', 'mtimeGranularity'],
    ['1s', '3s', '', 7],
  ],
  [
    ['fs', 'mtimeSkewMs'],
    [0.5, -86_400_000, 86_400_000, 86_400_001, -1e300, 1e300],
  ],
  [
    ['proc', 'pidMin'],
    [1, 2, 4_194_304, 4_194_305, 1e10],
  ],
  [
    ['proc', 'pidMax'],
    [1, 2, 3, 299, 4_194_304, 4_194_305, 1e10],
  ],
];

const MUTATIONS: Mutation[] = [
  { class: 'field deleted', apply: (v, r) => setAt(v, pick(r, paths(v).slice(1)), undefined) },
  {
    class: 'type swapped',
    apply: (v, r) => setAt(v, pick(r, paths(v).slice(1)), pick(r, ['x', 7, null, true, [], {}, '2000'] as Json[])),
  },
  {
    class: 'extreme number',
    apply: (v, r) => {
      const ps = numericPaths(v);
      return ps.length ? setAt(v, pick(r, ps), pick(r, EXTREMES)) : v;
    },
  },
  {
    class: 'misspelt name',
    apply: (v, r) => {
      const strings = paths(v).filter((p) => typeof get(v, p) === 'string' && p[0] !== 'title');
      if (!strings.length) return v;
      const p = pick(r, strings);
      const s = get(v, p) as string;
      const i = r.nextInt(0, s.length);
      return setAt(v, p, s.slice(0, i) + pick(r, ['x', '', '-', 'e']) + s.slice(i + 1));
    },
  },
  {
    class: 'fault target misspelt',
    apply: (v, r) => {
      const faults = (v as { faults?: Json[] }).faults;
      if (!Array.isArray(faults) || faults.length === 0) return v;
      const i = r.nextInt(0, faults.length - 1);
      const f = faults[i] as Record<string, Json>;
      return setAt(v, ['faults', i, 'target'], typeof f.target === 'string' ? `${f.target}x` : 'nosuch');
    },
  },
  {
    class: 'fault after the end',
    apply: (v, r) => {
      const faults = (v as { faults?: Json[] }).faults;
      if (!Array.isArray(faults) || faults.length === 0) return v;
      return setAt(v, ['faults', r.nextInt(0, faults.length - 1), 'at'], pick(r, [3_600_000, 50_000_000, 86_000_000]));
    },
  },
  {
    class: 'time around 2^31',
    apply: (v, r) => {
      const faults = (v as { faults?: Json[] }).faults;
      if (!Array.isArray(faults) || faults.length === 0) return v;
      return setAt(v, ['faults', r.nextInt(0, faults.length - 1), 'at'], pick(r, HUGE_TIMES));
    },
  },
  {
    class: 'world option',
    apply: (v, r) => {
      const [at, values] = pick(r, WORLD_EDGES);
      return setAt(v, ['world', ...at], pick(r, values));
    },
  },
  {
    class: 'huge size',
    apply: (v, r) => {
      const ps = numericPaths(v).filter((p) => p[0] === 'workload');
      return ps.length ? setAt(v, pick(r, ps), pick(r, HUGE_SIZES)) : v;
    },
  },
];

/** One scenario file: its class (valid, a mutation's name, garbage) and its text. */
export interface ScenarioFile {
  class: string;
  text: string;
}

/** Any scenario file for the built-in targets. */
export async function scenarioFileArbitrary(): Promise<fc.Arbitrary<ScenarioFile>> {
  const registry = new TargetRegistry(BUILTIN_TARGETS);
  const targets: AnyTarget[] = [];
  for (const name of registry.names()) targets.push(await registry.get(name));
  const inTargetWorld = fc.oneof(
    ...targets.flatMap((t) =>
      Object.keys(t.variants).map((variant) =>
        scenarioArbitrary({
          target: t,
          variant,
          mode: 'safety',
          kinds: faultSpecsOf(t).map((s) => s.kind),
          maxFaults: 4,
          healSlackMsMax: 0,
        }),
      ),
    ),
  ) as unknown as fc.Arbitrary<Json>;
  // a third of them in a drawn world (explore --explorer guided's swarm), the rest in the target's
  const valid = fc
    .tuple(inTargetWorld, fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: worldKnobsArbitrary }))
    .map(([v, world]) => (world ? { ...(v as Record<string, Json>), world: world as unknown as Json } : v));
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => ({ class: 'valid', text: JSON.stringify(v) })) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...MUTATIONS), fc.integer())
        .map(([v, m, seed]) => ({ class: m.class, text: JSON.stringify(m.apply(v, new Rand(seed))) })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.jsonValue().map((v) => ({ class: 'garbage', text: JSON.stringify(v) })),
        fc.string({ unit: 'binary' }).map((s) => ({ class: 'garbage', text: s })),
      ),
    },
  );
}

export interface FileRun {
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
}

/** `execsim run FILE` in-process, the file written under `dir` (as `name`), its reports there too. */
export async function runFile(file: ScenarioFile, dir: string, name: string): Promise<FileRun> {
  const path = join(dir, name);
  writeFileSync(path, file.text);
  const io = {
    stdout: '',
    stderr: '',
    crashDir: dir,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  } as Io & {
    stdout: string;
    stderr: string;
  };
  const t0 = performance.now();
  const code = await main(['run', path, '--report', join(dir, 'r')], io);
  return { code, ms: performance.now() - t0, stdout: io.stdout, stderr: io.stderr };
}

/** What must hold of every file's run; the problems, none when it held. */
export function runProblems(f: ScenarioFile, r: FileRun, boundMs: number): string[] {
  const out: string[] = [];
  if (![0, 1, 2].includes(r.code)) out.push(`exit ${r.code}: ${r.stderr.slice(0, 400)}`);
  if (/\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr + r.stdout)) out.push(`a stack trace: ${r.stderr.slice(0, 400)}`);
  if (r.ms >= boundMs) out.push(`took ${Math.round(r.ms)} ms (bound ${boundMs} ms)`);
  if (r.code === 0 && /took no effect/.test(r.stderr)) out.push('exit 0 with a fault that took no effect');
  if (out.length > 0) out.unshift(`${f.class}:`);
  return out;
}

/** A small seeded generator for the mutations (drawn by fast-check as one integer). */
export class Rand {
  constructor(private state: number) {}
  nextInt(min: number, max: number): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return min + (this.state % (max - min + 1));
  }
}
