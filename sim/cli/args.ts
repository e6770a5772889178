/** Argument parsing for every command: strict, with errors that say what to type instead. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExecsimError } from '../errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(command: string, args: string[], options: Options) {
  // `--runs -5`: Node calls a value starting with a dash ambiguous; take a number as the value,
  // so the option's own check says what it expects.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = args[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/, '') : String(e);
    throw new ExecsimError('EXECSIM_USAGE', `${command}: ${msg} (try: execsim ${command} --help)`);
  }
}

export function intOption(value: unknown, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new ExecsimError(
      'EXECSIM_USAGE',
      `--${name}: expected an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

export function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ExecsimError('EXECSIM_USAGE', `--${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/** A module path rather than a target name: `./x.js`, `/abs/x.ts`, `x.mjs`. */
export function isModulePath(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || /\.(m?[jt]s)$/.test(s);
}

/** `NAME[:VARIANT]` or `./module.js[:VARIANT]`. */
export function splitTargetSpec(spec: string): { target: string; variant?: string } {
  const i = spec.lastIndexOf(':');
  if (i > 0 && !spec.slice(i + 1).includes('/') && !spec.slice(i + 1).includes('.'))
    return { target: spec.slice(0, i), variant: spec.slice(i + 1) };
  return { target: spec };
}

/** `--shard i/n` (1-based). */
export function shardOption(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? /^(\d+)\/(\d+)$/.exec(value) : null;
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new ExecsimError('EXECSIM_USAGE', `--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got ${JSON.stringify(value)}`);
  return { index, count };
}
