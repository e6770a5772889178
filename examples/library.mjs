// The library in one page: `node examples/library.mjs` from an installed execsim
// (node node_modules/execsim/examples/library.mjs), or in a checkout after `npm run build`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScenario, exploreTarget, loadScenario, replay } from 'execsim';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'execsim-example-'));

// 1. A scenario file: validated (a bad file throws an ExecsimError naming the file and the JSON
//    path), run, and checked against its "expect", as one entry of `execsim run`.
const file = here('../scenarios/field-bugs/attach-pump/cut-while-running.cursor.json');
const { target, scenario } = await loadScenario(file);
const entry = await checkScenario(target, scenario, file);
console.log(`run: ${entry.ok ? 'as expected' : 'NOT as expected'}: ${entry.why} (trace ${entry.traceHash.slice(0, 12)})`);

// 2. Explore a target: the options of `execsim explore`, the result of `execsim explore --json`.
//    A violation is shrunk and saved; replay runs the saved file again, exactly.
const found = await exploreTarget({
  target: here('./log-poll/target.ts'),
  variant: 'server-cursor',
  runs: 500,
  seed: 1,
  save: out,
  report: out,
});
if (found.violation) {
  console.log(`explore: ${found.violation.violated.join(', ')} at run ${found.violation.foundAtRun}, saved ${found.file}`);
  const again = await replay(found.file);
  console.log(`replay: ${again.violated.join(', ')}, trace ${again.traceHash === found.violation.traceHash ? 'identical' : 'DIFFERENT'}`);
} else console.log(`explore: no violation in ${found.runsExecuted} runs`);
