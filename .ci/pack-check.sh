#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, the tarball installed in a fresh project that has no
# TypeScript, and used there: the CLI, a scenario file of that project, the example target
# (a TypeScript module) explored until its planted bug is found, and a vitest suite on the
# library API and its helper with one passing and one failing case. Exits non-zero on the first
# surprise, naming it. Needs the npm registry (for the tarball's dependencies and vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/execsim-pack-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS
step() { echo "pack-check [$((SECONDS - started)) s]: $*"; }
fail() { echo "pack-check: FAILED: $*" >&2; exit 1; }
# expect CODE CMD...: runs CMD, keeps its output in $work/out, fails unless it exits CODE
expect_exit() {
  local want=$1; shift
  local code=0
  "$@" >"$work/out" 2>&1 || code=$?
  if [ "$code" -ne "$want" ]; then
    cat "$work/out" >&2
    fail "\`$*\` exited $code, expected $want"
  fi
}
contains() { grep -q -- "$1" "$work/out" || { cat "$work/out" >&2; fail "expected output to contain: $1"; }; }

step "npm pack"
npm pack --silent --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "npm pack"; }
if grep -qi "warn" "$work/pack.log"; then cat "$work/pack.log" >&2; fail "npm pack printed a warning"; fi
tarball=$(ls "$work"/execsim-*.tgz)
step "packed $(basename "$tarball") ($(tar -tzf "$tarball" | wc -l) files)"
if tar -tzf "$tarball" | grep -qE '^package/(test|benches|\.ci|reports|scenarios/found)/'; then fail "the tarball ships tests, benches, .ci, reports or scenarios/found"; fi

project="$work/project"
mkdir "$project" && cd "$project"
npm init -y >/dev/null
npm pkg set type=module
vitest=$(node -p "require('$root/package.json').devDependencies.vitest")
step "npm install the tarball and vitest@$vitest"
npm install --no-audit --no-fund --prefer-offline "$tarball" "vitest@$vitest" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "npm install"; }
if [ -e node_modules/typescript ]; then fail "typescript got installed: the package must not need it"; fi

step "npx execsim --help"
t0=$(date +%s%N)
expect_exit 0 npx execsim --help
contains "Usage:"
step "  --help took $(( ($(date +%s%N) - t0) / 1000000 )) ms through npx"
t0=$(date +%s%N)
expect_exit 0 node node_modules/execsim/sim/cli/bin.js --help
step "  and $(( ($(date +%s%N) - t0) / 1000000 )) ms as node node_modules/execsim/sim/cli/bin.js --help"
expect_exit 2 npx execsim bogus
contains 'unknown command "bogus"'

step "npx execsim list"
expect_exit 0 npx execsim list
contains "exec-stream"
contains "attach-pump"

step "npx execsim run: a scenario file of this project, and the example's scenarios"
mkdir scenarios
cat >scenarios/attach-cut.json <<'EOF'
{
  "$schema": "../node_modules/execsim/scenarios/scenario.schema.json",
  "format": 1,
  "title": "this project's own scenario: attach, cut at 2 s while the command runs (cursor)",
  "target": "attach-pump",
  "variant": "cursor",
  "seed": 1,
  "mode": "safety",
  "expect": "pass",
  "workload": {
    "command": "yes | head -c 1000; sleep 60",
    "steps": [{ "atMs": 0, "stream": "stdout", "bytes": 1000 }],
    "exit": { "atMs": 60000, "code": 0 }
  },
  "faults": [{ "at": 2000, "kind": "cut", "target": "client->runner" }]
}
EOF
expect_exit 0 npx execsim run scenarios
contains "1/1 scenarios as expected"
# the example target, copied as a user starts from it: a TypeScript module importing 'execsim'
cp -r node_modules/execsim/examples/log-poll ./log-poll
expect_exit 0 npx execsim run log-poll/scenarios --target ./log-poll/target.ts
contains "2/2 scenarios as expected"

step "npx execsim explore the example target: finds its planted bug (exit 1)"
expect_exit 1 npx execsim explore --target ./log-poll/target.ts:server-cursor --runs 500 --seed 1
contains "violation found"
contains "no-lost-output"
found=scenarios/found/log-poll-server-cursor-safety-seed1.json
[ -f "$found" ] || fail "explore did not save $found"
contains "replay: npx execsim replay $found --target ./log-poll/target.ts"
expect_exit 0 npx execsim replay "$found" --target ./log-poll/target.ts
contains "as expected"
# on 2 worker threads (compiled worker entry, the .ts module loaded in each): the same finding
expect_exit 1 npx execsim explore --target ./log-poll/target.ts:server-cursor --runs 500 --seed 1 --workers 2 --save found-2w
contains "violation found"
node -e '
  const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("node:fs").readFileSync(f, "utf8")));
  const run = (s) => JSON.stringify([s.seed, s.workload, s.faults, s.expect]);
  process.exit(run(a) === run(b) ? 0 : 1);
' "$found" found-2w/log-poll-server-cursor-safety-seed1.json || fail "explore --workers 2 saved a different scenario than --workers 1"

step "the README's library example (examples/library.mjs)"
expect_exit 0 node node_modules/execsim/examples/library.mjs
contains "run: as expected"
contains "replay: no-lost-output, no-false-success, trace identical"

step "vitest in this project: the library API and execsim/vitest, one case passes, one must fail"
mkdir test
cat >test/execsim.test.js <<'EOF'
import { describe, expect, it } from 'vitest';
import { loadScenario, checkScenario, exploreTarget } from 'execsim';
import { expectHolds } from 'execsim/vitest';

const target = './log-poll/target.ts';

describe('execsim as a dev dependency', () => {
  it('library: this project scenario meets its expectation', async () => {
    const { target: t, scenario, file } = await loadScenario('scenarios/attach-cut.json');
    const report = await checkScenario(t, scenario, file);
    expect(report.ok, report.why).toBe(true);
  });

  it('library: exploreTarget reports the planted bug as explore --json does', async () => {
    const r = await exploreTarget({ target, variant: 'server-cursor', runs: 500, seed: 1, save: 'found-by-test' });
    expect(r.violation?.violated).toContain('no-lost-output');
    expect(r.file).toBe('found-by-test/log-poll-server-cursor-safety-seed1.json');
  });

  it('holds: the fix of log-poll', async () => {
    await expectHolds({ target, variant: 'offset', runs: 300, seed: 1, save: 'found-by-test' });
  });

  it('must fail: the planted bug of log-poll', async () => {
    await expectHolds({ target, variant: 'server-cursor', runs: 300, seed: 2, save: 'found-by-test' });
  });
});
EOF
expect_exit 1 npx vitest run --reporter=json --outputFile=vitest.json
node - <<'EOF' || fail "the vitest results are not one failing case among passing ones"
const fs = require('node:fs');
const r = JSON.parse(fs.readFileSync('vitest.json', 'utf8'));
const cases = r.testResults.flatMap((f) => f.assertionResults);
const by = Object.fromEntries(cases.map((c) => [c.title, c]));
const want = {
  'library: this project scenario meets its expectation': 'passed',
  'library: exploreTarget reports the planted bug as explore --json does': 'passed',
  'holds: the fix of log-poll': 'passed',
  'must fail: the planted bug of log-poll': 'failed',
};
let ok = cases.length === 4;
for (const [title, status] of Object.entries(want)) {
  const got = by[title]?.status;
  console.log(`  ${got === status ? 'ok' : 'WRONG'}: "${title}" ${got}`);
  if (got !== status) ok = false;
}
const msg = (by['must fail: the planted bug of log-poll']?.failureMessages ?? []).join('\n');
for (const part of ['violated no-lost-output', 'saved found-by-test/log-poll-server-cursor-safety-seed2.json', 'replay: npx execsim replay found-by-test/log-poll-server-cursor-safety-seed2.json --target ./log-poll/target.ts']) {
  const has = msg.includes(part);
  console.log(`  ${has ? 'ok' : 'MISSING'}: failure message has "${part}"`);
  if (!has) ok = false;
}
if (!fs.existsSync('found-by-test/log-poll-server-cursor-safety-seed2.json')) { console.log('  MISSING: the shrunk scenario file'); ok = false; }
console.log(msg.split('\n').slice(0, 8).map((l) => `  | ${l}`).join('\n'));
process.exit(ok ? 0 : 1);
EOF

step "passed"
