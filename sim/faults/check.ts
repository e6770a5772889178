/**
 * Field checks for fault parameters and other data. Each problem names the JSON path, what was
 * expected and what was found, so a bad scenario file gets a clear error, never a stack trace.
 */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export class FieldCheck {
  readonly problems: string[] = [];
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
  ) {}

  private at(name: string): string {
    return `${this.path}.${name}`;
  }

  int(name: string, opts: { min?: number; max?: number; optional?: boolean } = {}): this {
    const v = this.obj[name];
    if (v === undefined && opts.optional) return this;
    const min = opts.min ?? 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || (opts.max !== undefined && v > opts.max)) {
      const range = opts.max !== undefined ? `from ${min} to ${opts.max}` : `>= ${min}`;
      this.problems.push(`${this.at(name)}: expected an integer ${range}, got ${show(v)}`);
    }
    return this;
  }

  str(name: string, opts: { optional?: boolean; oneOf?: readonly string[]; problem?: (v: unknown) => string | undefined } = {}): this {
    const v = this.obj[name];
    if (v === undefined && opts.optional) return this;
    if (opts.problem) {
      const p = opts.problem(v);
      if (p) this.problems.push(`${this.at(name)}: ${p}`);
      return this;
    }
    if (typeof v !== 'string' || (opts.oneOf && !opts.oneOf.includes(v))) {
      const what = opts.oneOf ? `one of ${opts.oneOf.map((o) => JSON.stringify(o)).join(', ')}` : 'a string';
      this.problems.push(`${this.at(name)}: expected ${what}, got ${show(v)}`);
    }
    return this;
  }

  bool(name: string, opts: { optional?: boolean } = {}): this {
    const v = this.obj[name];
    if (v === undefined && opts.optional) return this;
    if (typeof v !== 'boolean') this.problems.push(`${this.at(name)}: expected true or false, got ${show(v)}`);
    return this;
  }

  /** Flags members not in `allowed` (typos like `durationMS` must not pass silently). */
  only(allowed: readonly string[]): this {
    for (const k of Object.keys(this.obj)) {
      if (!allowed.includes(k)) this.problems.push(`${this.at(k)}: unknown field (expected one of ${allowed.join(', ')})`);
    }
    return this;
  }
}
