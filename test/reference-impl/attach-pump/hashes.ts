/** Child-process half of the determinism test: reads scenarios (JSON on stdin), prints their trace hashes. */
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../sim/runner.ts';
import { target } from '../../../reference-impl/attach-pump/target.ts';

const scenarios = JSON.parse(readFileSync(0, 'utf8')) as Parameters<typeof runScenario>[1][];
const out: string[] = [];
for (const s of scenarios) out.push((await runScenario(target, s as never)).traceHash);
process.stdout.write(JSON.stringify(out));
