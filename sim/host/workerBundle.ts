/**
 * The worker threads' code in a checkout. Without this, each worker thread would load the
 * TypeScript sources through tsx: its own loader-hooks thread and a transform per module (about
 * 0.4 s of CPU per thread, and seconds of wall time on a busy machine before the first run).
 * Instead the pool starts its threads on one esbuild bundle of the worker and the built-in
 * target, built on first use and kept in node_modules/.cache/execsim/ until one of its inputs
 * changes (every input's size and mtime are checked at each start). The bundle is the same
 * source compiled as tsx compiles it (esbuild, the same target and keepNames), so every lane
 * runs the same code; anything that stops it (no esbuild, a read-only tree, a module target)
 * falls back to exploreWorker.mjs through tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILTIN_TARGET_MODULES } from '../../reference-impl/targets.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'execsim');

interface Manifest {
  /** What built it: the esbuild version and the Node version targeted. */
  built: string;
  /** The bundle's file name in CACHE (named by its content, so a manifest never names a half-written file). */
  file: string;
  /** Each input (relative to the checkout): [mtimeMs, size] when it was built. */
  inputs: Record<string, [number, number]>;
}

const stamp = (path: string): [number, number] | undefined => {
  try {
    const s = statSync(join(ROOT, path));
    return [s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
};

function fresh(m: Manifest, built: string): boolean {
  if (m.built !== built || !existsSync(join(CACHE, m.file))) return false;
  return Object.entries(m.inputs).every(([path, [mtimeMs, size]]) => {
    const now = stamp(path);
    return now !== undefined && now[0] === mtimeMs && now[1] === size;
  });
}

/**
 * The URL of the bundled worker for a built-in target, built if missing or stale; undefined
 * when the pool should load exploreWorker.mjs instead (the installed package, whose dist/ is
 * compiled already, or a target module, or any failure to build).
 */
export async function workerBundle(targetName: string): Promise<string | undefined> {
  const path = BUILTIN_TARGET_MODULES[targetName];
  if (path === undefined || !existsSync(new URL('./exploreTask.ts', import.meta.url))) return undefined;
  try {
    const esbuild = await import('esbuild');
    const built = `esbuild ${esbuild.version}, node ${process.versions.node}`;
    const manifestPath = join(CACHE, `worker-${targetName}.json`);
    if (existsSync(manifestPath)) {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      if (fresh(m, built)) return pathToFileURL(join(CACHE, m.file)).href;
    }
    const entry = `worker-${targetName}.ts`;
    const started = Date.now();
    const result = await esbuild.build({
      stdin: {
        contents: [
          `import { batchTaskRunner } from './sim/host/exploreTask.ts';`,
          `import * as target from './reference-impl/${path.replace(/^\.\//, '')}.ts';`,
          `export default batchTaskRunner({ ${JSON.stringify(targetName)}: async () => target });`,
        ].join('\n'),
        resolveDir: ROOT,
        sourcefile: entry,
        loader: 'ts',
      },
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: `node${process.versions.node}`,
      keepNames: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text;
    if (code === undefined) return undefined;
    const inputs: Manifest['inputs'] = {};
    for (const input of [...Object.keys(result.metafile.inputs).filter((p) => p !== entry), 'tsconfig.json']) {
      const s = stamp(input);
      // an input changed while it was built: use the tsx worker this time, build again next time
      if (s === undefined || s[0] >= started) return undefined;
      inputs[input] = s;
    }
    const file = `worker-${targetName}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
    mkdirSync(CACHE, { recursive: true });
    const write = (to: string, text: string): void => {
      const tmp = `${to}.tmp-${process.pid}`;
      writeFileSync(tmp, text);
      renameSync(tmp, to);
    };
    write(join(CACHE, file), code);
    write(manifestPath, JSON.stringify({ built, file, inputs } satisfies Manifest, null, 1) + '\n');
    return pathToFileURL(join(CACHE, file)).href;
  } catch (e) {
    console.error('H17W', e);
    return undefined;
  }
}
