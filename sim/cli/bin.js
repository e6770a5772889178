#!/usr/bin/env node
// Entry point of `npx execsim`. The installed package runs the compiled JavaScript in dist/
// (no TypeScript at run time); a checkout, where main.ts sits beside this file, runs the
// sources through tsx, so there is no build step and a stale build is never picked up.
import { existsSync } from 'node:fs';

const here = (p) => new URL(p, import.meta.url);
let entry;
if (existsSync(here('./main.ts'))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = here('./main.ts');
} else {
  // dist/sim/cli/bin.js (a copy made by the build) or sim/cli/bin.js of the installed package
  entry = existsSync(here('./main.js')) ? here('./main.js') : here('../../dist/sim/cli/main.js');
}
const { main, crashed } = await import(entry.href);
// Whatever escapes main (a stray timer's throw, an unawaited rejection) is execsim's own crash:
// exit 3 with one line and a report file, never Node's stack trace and exit code.
const argv = process.argv.slice(2);
const fatal = (e) => void crashed(e, argv).then((code) => process.exit(code));
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
process.exitCode = await main(argv);
