/**
 * The `execsim` command line. Exit codes: 0 as expected, 1 a property violated, 2 bad usage or
 * input. Errors print clear lines (no stack trace) and the next step.
 */
import { isExecsimError } from '../errors.ts';
import { ExecsimError } from '../errors.ts';
import { CliContext, type Io } from './context.ts';
import { exploreCommand } from './exploreCommand.ts';
import { listCommand } from './listCommand.ts';
import { mergeCommand } from './mergeCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { validateCommand } from './validateCommand.ts';
import { replayCommand } from './replayCommand.ts';
import { runCommand, smokeCommand } from './runCommand.ts';

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
                                        conformance of a real executor under network faults
  execsim serve [--port P]              the reference exec-server on loopback (real commands)
  execsim smoke [--seed S]              the protocol-free smoke world and its trace hash
  execsim COMMAND --help                details of one command

A third-party target is loaded from a module path: --target ./my-target.js
Exit codes: 0 as expected, 1 a property violated, 2 bad usage or input, 3 execsim itself crashed.
A violation is named safety or liveness (terminates) in the output and reports (summary.json failedAs).
`;

const stdio: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const ctx = new CliContext(io);
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
        return await runCommand(ctx, rest);
      case 'explore':
        return await exploreCommand(ctx, rest);
      case 'replay':
        return await replayCommand(ctx, rest);
      case 'list':
        return await listCommand(ctx, rest);
      case 'smoke':
        return await smokeCommand(ctx, rest);
      case 'merge-reports':
        return await mergeCommand(ctx, rest);
      case 'serve':
        return await serveCommand(ctx, rest);
      case 'validate':
        return await validateCommand(ctx, rest);
      default:
        throw new ExecsimError('EXECSIM_USAGE', `unknown command "${command}" (try: execsim --help)`);
    }
  } catch (e) {
    if (isExecsimError(e)) {
      io.err(`execsim: ${e.message}\n`);
      return 2;
    }
    // A crash of execsim itself is neither a verdict nor bad input: keep it apart (exit 3).
    io.err(`execsim: internal error (a bug in execsim, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}
