/**
 * reports/junit.xml for CI: one test case per scenario and property, named after the property
 * (stable identifiers), so a CI dashboard shows `no-lost-output` failing, not "scenario 7".
 * A case fails when the property did not do what the scenario expected of it; its failure type
 * is the property's class (safety or liveness). A property the run did not judge is skipped.
 */
import { join } from 'node:path';
import { writeTextAtomic } from '../host/hostIo.ts';
import { rowOf, type SummaryRow } from './summaryJson.ts';
import type { Reporter, RunSummary, ScenarioReport } from './types.ts';

const xml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

export interface JunitCase {
  classname: string;
  name: string;
  failure?: string;
  /** The failure's type attribute: `safety`, `liveness` or `expectation`. */
  failureType?: string;
  /** Not judged on this run: why. */
  skipped?: string;
  detail?: string;
  timeS: number;
}

export function casesOf(r: SummaryRow): JunitCase[] {
  const expected = r.expect === 'pass' ? [] : r.expect.violates;
  const classname = `execsim.${r.target}.${r.variant}`;
  const cases: JunitCase[] = [];
  for (const [prop, res] of Object.entries(r.properties)) {
    const mustFail = expected.includes(prop);
    const cls = res.class ?? 'safety';
    let failure: string | undefined;
    let failureType: string | undefined;
    if (mustFail && res.valid !== false) {
      failure = `expected ${prop} to be violated, but it held: ${res.summary}`;
      failureType = 'expectation';
    }
    const othersAllowed = r.expect !== 'pass' && r.expect.allowOthers === true;
    if (!mustFail && !othersAllowed && res.valid === false) {
      failure = `${prop} violated (${cls}): ${res.summary}`;
      failureType = cls;
    }
    const verdict =
      res.notApplicable !== undefined
        ? 'not applicable'
        : res.valid === false
          ? `violated (${cls})`
          : res.valid === true
            ? 'held'
            : 'unknown';
    cases.push({
      classname,
      name: `${r.name} › ${prop}`,
      ...(failure ? { failure, ...(failureType ? { failureType } : {}) } : {}),
      ...(!failure && res.notApplicable !== undefined ? { skipped: res.notApplicable } : {}),
      detail: `${verdict}: ${res.summary}`,
      timeS: 0,
    });
  }
  if (!r.ok && !cases.some((c) => c.failure))
    cases.push({ classname, name: `${r.name} › expectation`, failure: r.why, failureType: 'expectation', timeS: 0 });
  if (cases[0]) cases[0].timeS = r.timing.wallMs / 1000;
  return cases;
}

export function renderJunit(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => !c.failure && c.skipped !== undefined).length;
  const time = cases.reduce((n, c) => n + c.timeS, 0);
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="${c.timeS.toFixed(3)}"`;
      const out = c.detail ? `<system-out>${xml(c.detail)}</system-out>` : '';
      const type = c.failureType ? ` type="${xml(c.failureType)}"` : '';
      if (c.failure)
        return `${open}>\n      <failure message="${xml(c.failure)}"${type}>${xml(c.failure)}</failure>${out}\n    </testcase>`;
      if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xml(c.skipped)}"/>${out}\n    </testcase>`;
      return `${open}>${out}</testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="execsim" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${body}\n  </testsuite>\n</testsuites>\n`;
}

export class JunitReporter implements Reporter {
  private readonly cases: JunitCase[] = [];
  private suite = 'execsim';
  constructor(private readonly dir: string) {}
  onStart(info: { command: string }): void {
    this.suite = info.command;
    this.write();
  }
  onScenario(r: ScenarioReport): void {
    this.cases.push(...casesOf(rowOf(r)));
    this.write();
  }
  onEnd(s: RunSummary): void {
    for (const why of s.refused ?? [])
      this.cases.push({ classname: 'execsim.input', name: `${why.split(':')[0] ?? 'scenario'} › every fault takes effect`, failure: why, timeS: 0 });
    if (s.refused?.length) this.write();
    const x = s.exploration;
    // a clean exploration is a passing case, so CI shows what was searched
    if (x && !x.violation) {
      this.cases.push({
        classname: `execsim.${x.target}.${x.variant}`,
        name: `explore ${x.mode} seed ${x.seed} › no violation in ${x.runsExecuted} runs${x.interrupted ? ' (budget reached)' : ''}`,
        detail: `${x.batches} batches, fault kinds: ${x.faultKinds.join(', ')}`,
        timeS: s.wallMs / 1000,
      });
      this.write();
    }
  }
  private write(): void {
    writeTextAtomic(join(this.dir, 'junit.xml'), renderJunit(this.suite, this.cases));
  }
}
