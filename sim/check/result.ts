/**
 * Checker results, Jepsen style: a verdict of true, false or 'unknown' (could not tell), merged
 * with false winning, plus a one-line summary and evidence a timeline can highlight.
 */
export type Validity = true | false | 'unknown';

export interface Evidence {
  /** Virtual time (ms) the evidence points at, and an optional end. */
  t?: number;
  tEnd?: number;
  /** The stream concerned, for output evidence. */
  stream?: string;
  /** Produced byte range [start, end), for output evidence. */
  bytes?: [number, number];
  note: string;
}

export interface CheckResult {
  valid: Validity;
  /** One line, in words, e.g. "12 bytes of stdout lost silently (offsets 5-17)". */
  summary: string;
  /** Truncated on purpose (at most a few dozen items). */
  evidence: Evidence[];
  /** Counts and the like. */
  details?: Record<string, unknown>;
  /**
   * Set when the property was not judged on this run, with the reason (a liveness-only
   * property in a safety run, a property needing a record the run does not keep). Its verdict
   * stays true so it never counts as a violation; reports show it as not applicable, not held.
   */
  notApplicable?: string;
}

export type Checker<I> = (input: I) => CheckResult;

const RANK: Record<string, number> = { true: 0, unknown: 1, false: 2 };

/** The worst of several verdicts: false > 'unknown' > true. */
export function mergeValid(vs: Iterable<Validity>): Validity {
  let worst: Validity = true;
  for (const v of vs) {
    // the usual verdict, which never makes the worst worse
    if (v === true) continue;
    if (!(String(v) in RANK)) throw new Error(`execsim.mergeValid: unknown verdict ${JSON.stringify(v)}`);
    if ((RANK[String(v)] as number) > (RANK[String(worst)] as number)) worst = v;
  }
  return worst;
}

/** Runs a checker; a throw becomes 'unknown' with the error, so one crash cannot hide others. */
export function checkSafe<I>(checker: Checker<I>, input: I): CheckResult {
  try {
    return checker(input);
  } catch (e) {
    return { valid: 'unknown', summary: `checker crashed: ${e instanceof Error ? e.message : String(e)}`, evidence: [] };
  }
}

export interface Composed {
  valid: Validity;
  results: Record<string, CheckResult>;
}

/** Runs named checkers on one input; each result by name plus the merged verdict. */
export function compose<I>(checkers: Record<string, Checker<I>>, input: I): Composed {
  const results: Record<string, CheckResult> = {};
  for (const [name, c] of Object.entries(checkers)) results[name] = checkSafe(c, input);
  return { valid: mergeValid(Object.values(results).map((r) => r.valid)), results };
}

export function pass(summary: string, details?: Record<string, unknown>): CheckResult {
  return details ? { valid: true, summary, evidence: [], details } : { valid: true, summary, evidence: [] };
}

export function fail(summary: string, evidence: Evidence[], details?: Record<string, unknown>): CheckResult {
  return details ? { valid: false, summary, evidence, details } : { valid: false, summary, evidence };
}

/** A property this run does not judge, and why. */
export function notApplicable(reason: string): CheckResult {
  return { valid: true, summary: `not applicable: ${reason}`, evidence: [], notApplicable: reason };
}

export function unknown(summary: string): CheckResult {
  return { valid: 'unknown', summary, evidence: [] };
}
