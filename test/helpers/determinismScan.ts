/**
 * The determinism guard: code under simulation (sim/ and reference-impl/) must take time,
 * randomness, files and sockets from ports. This scan fails on any direct use. It skips the two
 * folders where real I/O is the point: sim/real/ (real adapters: loopback ws, wall clock, child
 * processes, real ports; the fault proxy, serve, validate) and sim/host/ (host tooling: progress,
 * git, host file I/O, the worker pool). sim/globals.ts may capture setImmediate for the
 * quiescence barrier and nothing else.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ScanHit {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const RULES: Array<{ rule: string; re: RegExp }> = [
  { rule: 'Date.now', re: /\bDate\.now\s*\(/ },
  { rule: 'new Date(', re: /\bnew\s+Date\s*\(/ },
  { rule: 'Math.random', re: /\bMath\.random\b/ },
  { rule: 'performance.now', re: /\bperformance\.now\b/ },
  { rule: 'process.hrtime', re: /\bprocess\.hrtime\b/ },
  { rule: 'global timer', re: /(?<![.\w$])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|queueMicrotask)\s*\(/ },
  { rule: 'global timer', re: /\bglobalThis\.(setTimeout|setInterval|setImmediate)\b/ },
  { rule: 'node:fs', re: /(from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:)?fs(\/promises)?['"]/ },
  { rule: 'ws', re: /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]ws['"]/ },
  {
    rule: 'real sockets',
    re: /(from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:)?(net|http|https|dgram|child_process|worker_threads)['"]/,
  },
];

/** Files allowed one specific rule, with the reason. */
const ALLOWED: Record<string, string[]> = {
  // the quiescence barrier: one captured setImmediate
  'sim/globals.ts': ['global timer'],
  // the process entry, never simulated: it checks whether the TypeScript sources are beside it
  'sim/cli/bin.js': ['node:fs'],
};

/** Blanks out comments so prose about `Date.now` is not a hit; keeps line numbers. */
export function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, (_m, p: string) => p);
}

/** A method declaration such as `setTimeout(fn: () => void, ms: number)`: a port, not a call. */
const DECLARATION =
  /^\s*(?:(?:public|private|protected|static|async|readonly)\s+)*(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\s*\(\s*\w+\??\s*:/;

export function scanSource(file: string, src: string): ScanHit[] {
  const hits: ScanHit[] = [];
  const allowed = ALLOWED[file] ?? [];
  const lines = stripComments(src).split('\n');
  lines.forEach((text, i) => {
    for (const { rule, re } of RULES) {
      if (rule === 'global timer' && DECLARATION.test(text)) continue;
      if (re.test(text) && !allowed.includes(rule)) hits.push({ file, line: i + 1, rule, text: text.trim() });
    }
  });
  return hits;
}

/** The folders whose code may do real I/O. */
export const REAL_IO_FOLDERS = ['sim/real/', 'sim/host/'] as const;

export function isSkipped(rel: string): boolean {
  return REAL_IO_FOLDERS.some((d) => rel.startsWith(d)) || /\.test\.ts$/.test(rel);
}

export function scanTree(root: string, dirs: string[]): { files: number; hits: ScanHit[] } {
  const hits: ScanHit[] = [];
  const files = scannedFiles(root, dirs, /\.(ts|mts|js|mjs)$/);
  for (const rel of files) hits.push(...scanSource(rel, readFileSync(join(root, rel), 'utf8')));
  return { files: files.length, hits };
}

/** The files under `dirs` whose names match, as paths relative to `root`, minus the skipped ones. */
export function scannedFiles(root: string, dirs: string[], names: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (names.test(e)) {
        const rel = relative(root, p).split('\\').join('/');
        if (!isSkipped(rel)) out.push(rel);
      }
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}
