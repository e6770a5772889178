/**
 * The `execsim` command line. Exit codes: 0 as expected, 1 a property violated, 2 bad usage or
 * input, 3 execsim itself crashed. Errors print clear lines (no stack trace) and the next step.
 */
import { describeError, ExecsimError, isExecsimError } from '../errors.ts';
import type { Io } from './context.ts';

export type { Io };

export const USAGE = `execsim: deterministic simulation and fault injection for remote process execution

Usage:
  execsim run [PATH...] [--shard i/n]   replay the scenario corpus (default scenarios/) and check
                                        each scenario's expectation; reports in reports/run/
  execsim explore --target NAME[:VARIANT] [--runs N] [--seed S | --seed-from-commit]
                  [--budget SECONDS] [--mode safety|liveness] [--faults k1,k2]
                  [--workers N] [--shard i/n] [--save DIR] [--json]
                                        search for a violation; shrink, save and print a replay
  execsim replay FILE [--trace] [--html OUT]
                                        re-run one scenario exactly: verdicts and trace hash
  execsim list [--json]                 targets, variants, properties, fault kinds
  execsim merge-reports DIR... [--out DIR]
                                        merge the reports of CI shards into one
  execsim validate --executor "CMD {port}"|codex|reference [--runs N] [--seed S] [--report DIR]
  execsim validate --client boxlite[@VERSION]|"CMD {url}" [--time-factor N] [--cases c1,c2] [--report DIR]
                                        conformance of a real executor under network faults
  execsim serve [--port P]              the reference exec-server on loopback (real commands)
  execsim smoke [--seed S]              the protocol-free smoke world and its trace hash
  execsim COMMAND --help                details of one command

A third-party target is loaded from a module path: --target ./my-target.js
Exit codes: 0 as expected, 1 a property violated, 2 bad usage or input, 3 execsim itself crashed.
A violation is named safety or liveness (terminates) in the output and reports (summary.json failedAs);
run and explore --exit-by-class exit 4 when every violation is a liveness one.
`;

const stdio: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  // Commands (and what they pull in: fast-check, ajv, the targets) load only when called, so
  // --help and a usage error cost a Node start-up and little more.
  const ctx = async () => new (await import('./context.ts')).CliContext(io);
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
        io.err(USAGE);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case '--version':
      case '-v':
        io.out('execsim 0.1.0\n');
        return 0;
      case 'run':
        return await (await import('./runCommand.ts')).runCommand(await ctx(), rest);
      case 'explore':
        return await (await import('./exploreCommand.ts')).exploreCommand(await ctx(), rest);
      case 'replay':
        return await (await import('./replayCommand.ts')).replayCommand(await ctx(), rest);
      case 'list':
        return await (await import('./listCommand.ts')).listCommand(await ctx(), rest);
      case 'smoke':
        return await (await import('./runCommand.ts')).smokeCommand(await ctx(), rest);
      case 'merge-reports':
        return await (await import('./mergeCommand.ts')).mergeCommand(await ctx(), rest);
      case 'serve':
        return await (await import('./serveCommand.ts')).serveCommand(await ctx(), rest);
      case 'validate':
        return await (await import('./validateCommand.ts')).validateCommand(await ctx(), rest);
      default:
        throw new ExecsimError('EXECSIM_USAGE', `unknown command "${command}" (try: execsim --help)`);
    }
  } catch (e) {
    if (isExecsimError(e)) {
      io.err(`execsim: ${e.message}\n`);
      return 2;
    }
    return crashed(e, argv, io);
  }
}

/**
 * A crash of execsim itself is neither a verdict nor bad input: exit 3, one line on the terminal
 * and the stack in a report file (never a stack trace on the terminal). Also called by bin.js
 * for an exception nothing caught.
 */
export async function crashed(e: unknown, argv: readonly string[], io: Io = stdio): Promise<number> {
  let path: string | undefined;
  try {
    path = (await import('../host/crashReport.ts')).writeCrashReport(e, argv, io.crashDir);
  } catch {
    path = undefined;
  }
  const first = (describeError(e).split('\n')[0] ?? '').slice(0, 300);
  io.err(`execsim: internal error (a bug in execsim, please report it): ${first}${path ? `; details in ${path}` : ''}\n`);
  return 3;
}
