/**
 * The `execsim` command line. Exit codes: 0 as expected, 1 a property violated, 2 bad usage or
 * input. Errors print one clear line (no stack trace) and the next step.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExecsimError, isExecsimError } from '../errors.ts';
import { runSmokeWorld } from '../smoke/busyWorld.ts';
import { formatTime } from '../trace.ts';

export const USAGE = `execsim: deterministic simulation and fault injection for remote process execution

Usage:
  execsim run [--seed S]        run the scenario corpus (until it exists: the built-in smoke world)
  execsim --help                this text
  execsim --version             the version

Exit codes: 0 as expected, 1 a property violated, 2 bad usage or input.
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.out('execsim 0.1.0\n');
      return 0;
    }
    if (command === 'run') return await runCommand(rest, io);
    throw new ExecsimError('EXECSIM_USAGE', `unknown command "${command}" (try: execsim --help)`);
  } catch (e) {
    if (isExecsimError(e)) {
      io.err(`execsim: ${e.message}\n`);
      return 2;
    }
    io.err(`execsim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ExecsimError('EXECSIM_USAGE', `${e instanceof Error ? e.message : String(e)} (try: execsim --help)`);
  }
}

function intOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ExecsimError('EXECSIM_USAGE', `--${name}: expected an integer, got ${JSON.stringify(value)}`);
  return n;
}

async function runCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { seed: { type: 'string' } });
  const seed = intOption(values.seed, 'seed', 1);
  const r = await runSmokeWorld(seed);
  io.out(
    `smoke world seed=${seed}: ${r.run.status} at ${formatTime(r.run.timeMs)}, ${r.events} trace events, ${r.errors} actor errors\n` +
      `trace sha256 ${r.traceHash}\n`,
  );
  return r.errors === 0 ? 0 : 1;
}
