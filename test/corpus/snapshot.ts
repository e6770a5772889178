/**
 * The corpus fingerprint: for every scenario file under scenarios/, its violated properties (the
 * verdicts) and its trace hash. A refactor that must not change the simulator is checked against
 * the committed `corpus.snapshot.json` (test/corpus/corpus.test.ts); a change that is meant to
 * move verdicts or traces rewrites it on purpose, so the diff shows what moved:
 *
 *   node --import tsx test/corpus/snapshot.ts --write
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { TargetRegistry } from '../../sim/registry.ts';
import { runScenario } from '../../sim/runner.ts';
import { loadScenarioText } from '../../sim/scenario/load.ts';

export interface CorpusEntry {
  violated: string[];
  traceHash: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
export const SNAPSHOT_FILE = fileURLToPath(new URL('./corpus.snapshot.json', import.meta.url));

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...scenarioFiles(p));
    else if (name.endsWith('.json') && !name.endsWith('.schema.json')) out.push(p);
  }
  return out;
}

/** Every corpus file's verdicts and trace hash, keyed by its path from the repository root. */
export async function corpusFingerprint(): Promise<Record<string, CorpusEntry>> {
  const registry = new TargetRegistry(BUILTIN_TARGETS);
  const out: Record<string, CorpusEntry> = {};
  for (const file of scenarioFiles(join(root, 'scenarios'))) {
    const rel = relative(root, file);
    const { scenario, target } = await loadScenarioText(readFileSync(file, 'utf8'), rel, registry);
    const run = await runScenario(target, scenario);
    out[rel] = { violated: [...run.violated].sort(), traceHash: run.traceHash };
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fp = await corpusFingerprint();
  const text = JSON.stringify(fp, null, 2) + '\n';
  if (process.argv.includes('--write')) {
    writeFileSync(SNAPSHOT_FILE, text);
    console.log(`wrote ${Object.keys(fp).length} entries to ${relative(root, SNAPSHOT_FILE)}`);
  } else {
    const old = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as Record<string, CorpusEntry>;
    let moved = 0;
    for (const k of new Set([...Object.keys(old), ...Object.keys(fp)])) {
      if (JSON.stringify(old[k]) !== JSON.stringify(fp[k])) {
        moved++;
        console.log(`${k}: ${JSON.stringify(old[k])} -> ${JSON.stringify(fp[k])}`);
      }
    }
    console.log(`${Object.keys(fp).length} scenarios, ${moved} moved`);
    process.exitCode = moved === 0 ? 0 : 1;
  }
}
