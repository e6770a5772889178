/**
 * Which layer of execsim a CPU profile's samples belong to, for `benches/layers.ts`: how much of a
 * target's run is the scheduler work its limit also does, how much the simulated fs, network and
 * checkers, how much the protocol under test. Pure functions of a profile, so they are tested on
 * made-up ones.
 */

/** The parts of a V8 CPU profile (inspector `Profiler.stop`) the benches read. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  startTime?: number;
  endTime?: number;
}

/** The scheduler's own files: what a limit run (benches/sections/limit.ts) pays too. */
const SCHEDULER = /^sim\/(world|scheduler|clock|kernel|globals|rng)\.ts$/;

/**
 * The layer of one file (a path relative to the checkout, or a node: / empty url), or undefined
 * for code that works for whoever called it (node's internals, natives, libraries other than the
 * fake clock), so the caller's layer is charged instead.
 */
export function layerOfFile(file: string): string | undefined {
  if (file.includes('node_modules/@sinonjs/fake-timers/')) return 'scheduler';
  if (file === '' || file.startsWith('node:') || file.includes('node_modules/')) return undefined;
  if (SCHEDULER.test(file)) return 'scheduler';
  if (file === 'sim/trace.ts') return 'trace';
  if (file === 'benches/sections/limit.ts') return 'limit actor';
  let m = /^reference-impl\/[^/]+\/target\//.exec(file);
  if (m) return 'target glue';
  m = /^reference-impl\//.exec(file);
  if (m) return 'protocol';
  m = /^sim\/([^/.]+)/.exec(file);
  if (m) {
    const d = m[1] as string;
    if (d === 'judge' || d === 'check') return 'sim check';
    if (['fs', 'net', 'proc', 'faults', 'runner'].includes(d)) return `sim ${d}`;
    return 'sim other';
  }
  return 'other';
}

/** A file path relative to `root` from a profile url (file:// or a plain path). */
export function fileOf(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
}

/**
 * Samples per layer. A sample is charged to the nearest frame on its stack that has a layer:
 * Buffer or TOML parsing called by the protocol is the protocol's cost. Samples with no such
 * frame: the garbage collector, microtask and promise machinery, V8's own.
 */
export function samplesByLayer(profile: CpuProfile, root: string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOfNode = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = layerOfNode.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    if (!n) throw new Error(`profile: sample of unknown node ${id}`);
    let layer = layerOfFile(fileOf(n.callFrame.url, root));
    if (layer === undefined) {
      const up = parent.get(id);
      if (up !== undefined && byId.get(up)?.callFrame.functionName !== '(root)') layer = resolve(up);
      else layer = runtimeLayer(n.callFrame.functionName);
    }
    layerOfNode.set(id, layer);
    return layer;
  };
  const counts = new Map<string, number>();
  for (const s of profile.samples ?? []) {
    const layer = resolve(s);
    counts.set(layer, (counts.get(layer) ?? 0) + 1);
  }
  return counts;
}

function runtimeLayer(fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)') return 'V8 other';
  return 'runtime';
}
