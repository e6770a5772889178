/**
 * The import rules between the harness (sim/) and the protocols under test (reference-impl/):
 * - protocol code: a file in reference-impl/ that is not target glue imports, of sim/, only
 *   sim/ports/ (the same code runs on simulated and real ports);
 * - target glue (reference-impl/targets.ts, reference-impl/NAME/target.ts and
 *   reference-impl/NAME/target/**) may import any of sim/ (checkers, faults, world, Target types)
 *   except the real edge and the tools around it: sim/real/, sim/host/, sim/cli/ (a target runs
 *   inside a simulated world);
 * - sim/ imports nothing from reference-impl/, except the real edge (sim/real/), the CLI
 *   (sim/cli/), the worker-thread entry sim/host/exploreTask.ts and its bundle (sim/host/workerBundle.ts)
 *   and the library entry sim/lib.ts
 *   (entry points, which name the built-in targets as the CLI does).
 * Only relative imports are read (bare packages are the determinism scan's business).
 */
import { posix } from 'node:path';
import { stripComments } from './determinismScan.ts';

export interface SourceFile {
  /** Repository-relative, with forward slashes. */
  file: string;
  source: string;
}

export interface ImportProblem {
  file: string;
  imports: string;
  rule: 'protocol-imports-only-ports' | 'glue-stays-off-the-real-edge' | 'sim-imports-no-reference-impl';
}

const SPECIFIERS = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];

/** The repository-relative paths a file imports (relative specifiers only). */
export function importsOf(f: SourceFile): string[] {
  const src = stripComments(f.source);
  const out: string[] = [];
  for (const re of SPECIFIERS) {
    for (const m of src.matchAll(re)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) out.push(posix.normalize(posix.join(posix.dirname(f.file), spec)));
    }
  }
  return out;
}

export function isTargetGlue(file: string): boolean {
  return file === 'reference-impl/targets.ts' || /^reference-impl\/[^/]+\/(target\.ts$|target\/)/.test(file);
}

const REAL_EDGE = ['sim/real/', 'sim/host/', 'sim/cli/'];
const MAY_IMPORT_TARGETS = (file: string) =>
  file.startsWith('sim/real/') ||
  file.startsWith('sim/cli/') ||
  file === 'sim/host/exploreTask.ts' ||
  file === 'sim/host/workerBundle.ts' ||
  file === 'sim/lib.ts';

export function importProblems(files: readonly SourceFile[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const f of files) {
    for (const imp of importsOf(f)) {
      if (f.file.startsWith('reference-impl/') && imp.startsWith('sim/')) {
        if (!isTargetGlue(f.file) && !imp.startsWith('sim/ports/'))
          problems.push({ file: f.file, imports: imp, rule: 'protocol-imports-only-ports' });
        if (isTargetGlue(f.file) && REAL_EDGE.some((d) => imp.startsWith(d)))
          problems.push({ file: f.file, imports: imp, rule: 'glue-stays-off-the-real-edge' });
      }
      if (f.file.startsWith('sim/') && imp.startsWith('reference-impl/') && !MAY_IMPORT_TARGETS(f.file))
        problems.push({ file: f.file, imports: imp, rule: 'sim-imports-no-reference-impl' });
    }
  }
  return problems;
}
