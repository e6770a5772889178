/**
 * The harness's own I/O on the real machine: scenario files, reports, wall time, the terminal.
 * Host tooling lives under sim/host/ and real adapters under sim/real/ (the determinism scan
 * skips both); simulated runs never touch it, and reference implementations never import it.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Writes via a temporary file and a rename, so a reader (or an interrupted run) never sees half a file. */
export function writeTextAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function appendText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, text);
}

export function pathExists(path: string): boolean {
  return existsSync(path);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every `*.json` file under `dir` (recursively), sorted, skipping JSON Schemas. */
export function listScenarioFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json') && !e.endsWith('.schema.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Wall-clock ms for timing figures and progress (never for anything simulated). */
export function wallMs(): number {
  return performance.now();
}

export function stderrIsTty(): boolean {
  return process.stderr.isTTY === true;
}
