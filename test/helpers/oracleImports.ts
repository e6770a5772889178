/**
 * Which implementation files an oracle (checkers, truth, recoverability, spec) reaches through
 * value imports. Type-only imports are erased and cannot carry a constant, so they are allowed;
 * everything a value import reaches inside reference-impl/ is followed. An implementation file
 * is any file of the target's folder outside `target/` (and `target.ts`, the glue).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/** Relative modules a file imports for their values (not `import type`, not all-`type` braces). */
export function valueImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+([\s\S]*?)\s+from\s+['"](\.[^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    const clause = (m[2] as string).trim();
    if (clause.startsWith('type ')) continue;
    const braces = /^\{([\s\S]*)\}$/.exec(clause);
    if (braces) {
      const names = (braces[1] as string)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    out.push(m[3] as string);
  }
  for (const m of source.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) out.push(m[1] as string);
  return out;
}

/** Every implementation file the oracle files reach, with the chain that reaches it. */
export function implementationReached(targetDir: string, oracleFiles: readonly string[]): string[] {
  const root = resolve(targetDir);
  const isImpl = (f: string) => {
    const rel = relative(root, f);
    return !rel.startsWith('..') && !rel.startsWith(`target${sep}`) && rel !== 'target.ts';
  };
  const insideTarget = (f: string) => !relative(resolve(root, '..'), f).startsWith('..');
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (isImpl(file)) {
      found.push([...chain, file].map((f) => relative(root, f)).join(' -> '));
      return;
    }
    if (!existsSync(file)) throw new Error(`oracle import scan: ${file} does not exist`);
    for (const spec of valueImports(readFileSync(file, 'utf8'))) {
      const next = resolve(dirname(file), spec);
      if (insideTarget(next)) walk(next, [...chain, file]);
    }
  };
  for (const f of oracleFiles) walk(resolve(root, f), []);
  return found;
}
