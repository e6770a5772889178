/**
 * The conformance report: conformance.json, junit.xml (one case per property and fault kind), and
 * conformance.html with the property x fault table, each violated cell linking the timeline of
 * the first run that violated it.
 */
import { join } from 'node:path';
import { renderJunit, type JunitCase } from '../../report/junit.ts';
import { renderTimelineHtml } from '../../report/html.ts';
import { timelineFileName } from '../../report/htmlReporter.ts';
import type { Scenario } from '../../target.ts';
import { writeTextAtomic } from '../../host/hostIo.ts';
import type { CaseResult } from './runCase.ts';
import type { Cell, ValidationReport } from './validate.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function caseName(c: CaseResult): string {
  return `${c.workload}-${c.fault}`;
}

function pseudoScenario(r: ValidationReport, c: CaseResult): Scenario {
  return {
    format: 1,
    title: `${r.executor.preset ?? 'executor'}: ${c.workload} under ${c.fault}`,
    source: r.executor.command,
    target: 'exec-stream',
    variant: 'validate',
    seed: r.seed,
    mode: 'safety',
    workload: { name: c.workload },
    faults: c.faults.map((f) => ({ at: typeof f.at === 'number' ? f.at : 0, kind: String(f.kind), ...f })),
    expect: 'pass',
  };
}

export function writeValidationReport(dir: string, r: ValidationReport, wallMs: number): { html: string; timelines: string[] } {
  const timelines: string[] = [];
  const firstViolation = new Map<string, string>();
  for (const c of r.cases) {
    const bad = Object.entries(c.results).filter(([, v]) => v.valid === false);
    if (bad.length === 0) continue;
    const file = join('timelines', timelineFileName(caseName(c)));
    timelines.push(join(dir, file));
    writeTextAtomic(
      join(dir, file),
      renderTimelineHtml({
        scenario: pseudoScenario(r, c),
        events: c.events,
        results: c.results,
        properties: r.properties,
        classes: r.classes,
        traceHash: '(real run: not replayable byte for byte)',
        replayCommand: `npx execsim validate --executor ${r.executor.preset ?? JSON.stringify(r.executor.command)} --workloads ${c.workload} --faults ${c.fault}`,
        verdict: `violated: ${bad.map(([p]) => p).join(', ')}`,
      }),
    );
    for (const [p] of bad) if (!firstViolation.has(`${p}|${c.fault}`)) firstViolation.set(`${p}|${c.fault}`, file);
  }
  const json = {
    ...r,
    cases: r.cases.map((c) => ({
      workload: c.workload,
      fault: c.fault,
      recoverable: c.recoverable,
      results: Object.fromEntries(
        Object.entries(c.results).map(([k, v]) => [
          k,
          {
            valid: v.valid,
            summary: v.summary,
            ...(v.notApplicable !== undefined ? { notApplicable: v.notApplicable } : {}),
            evidence: v.evidence.slice(0, 5),
          },
        ]),
      ),
      faults: c.faults,
      faultsFrom: c.faultsFrom,
      wallMs: Math.round(c.wallMs),
      virtualMs: Math.round(c.virtualMs),
    })),
    timing: { wallMs: Math.round(wallMs), executorStartMs: r.executorMs.start, executorStopMs: r.executorMs.stop },
  };
  writeTextAtomic(join(dir, 'conformance.json'), JSON.stringify(json, null, 2) + '\n');

  const cases: JunitCase[] = [];
  for (const [p, row] of Object.entries(r.matrix)) {
    for (const [k, cell] of Object.entries(row)) {
      const failing = r.cases.find((c) => c.fault === k && c.results[p]?.valid === false);
      const why = r.notApplicable[p]?.[k];
      cases.push({
        classname: `execsim.validate.${r.executor.preset ?? 'executor'}`,
        name: `${p} × ${k}`,
        ...(cell === 'violated'
          ? { failure: `${failing?.workload ?? ''}: ${failing?.results[p]?.summary ?? 'violated'}`, failureType: r.classes[p] ?? 'safety' }
          : {}),
        ...(cell === 'not applicable' ? { skipped: why ?? 'not applicable' } : {}),
        detail: why ? `${cell}: ${why}` : cell,
        timeS: 0,
      });
    }
  }
  writeTextAtomic(join(dir, 'junit.xml'), renderJunit(`execsim validate ${r.executor.preset ?? r.executor.command}`, cases));

  const kinds = Object.keys(r.faultKinds);
  const cell = (p: string, k: string, v: Cell): string => {
    const link = firstViolation.get(`${p}|${k}`);
    const text = v === 'violated' && link ? `<a href="${esc(link)}">violated</a>` : esc(v);
    const why = v === 'not applicable' ? r.notApplicable[p]?.[k] : undefined;
    return `<td class="cell ${v.replace(' ', '-')}" data-property="${esc(p)}" data-fault="${esc(k)}"${why ? ` title="${esc(why)}"` : ''}>${text}</td>`;
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>execsim validate: ${esc(r.executor.preset ?? r.executor.command)}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222} h1{font-size:18px}
table{border-collapse:collapse} th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.holds{background:#e8f5e9} td.violated{background:#ffcdd2;font-weight:600} td.not-applicable{color:#999} td.unknown{background:#fff8e1}
#verdict{padding:8px 12px;margin:8px 0;border-left:4px solid ${r.conforms ? '#2e7d32' : '#c62828'};background:${r.conforms ? '#e8f5e9' : '#fdecea'}}
code{font-size:12px}
</style></head><body>
<h1>Conformance of ${esc(r.executor.preset ?? 'an executor')} to the codex exec-server protocol</h1>
<div>command: <code>${esc(r.executor.command)}</code> · seed ${r.seed} · ${r.runs} run(s) of ${r.cases.length / Math.max(1, r.runs)} cases</div>
<div id="verdict"><b>${
    r.conforms
      ? 'every required property holds'
      : Object.entries(r.violatedByClass)
          .filter(([, ps]) => ps.length > 0)
          .map(([cls, ps]) => `${cls} violated: ${ps.map(esc).join(', ')}`)
          .join('; ')
  }</b></div>
<table id="matrix"><thead><tr><th>property</th>${kinds.map((k) => `<th class="fault" title="${esc(r.faultKinds[k] ?? '')}">${esc(k)}</th>`).join('')}</tr></thead><tbody>
${Object.entries(r.matrix)
  .map(
    ([p, row]) =>
      `<tr><th class="property" data-class="${esc(r.classes[p] ?? 'safety')}" title="${esc(r.properties[p] ?? '')}">${esc(p)}</th>${kinds.map((k) => cell(p, k, row[k] ?? 'not applicable')).join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>
<h2>Fault kinds</h2><ul>${kinds.map((k) => `<li><b>${esc(k)}</b>: ${esc(r.faultKinds[k] ?? '')}</li>`).join('')}</ul>
<h2>Properties</h2><ul>${Object.entries(r.properties)
    .map(([p, d]) => `<li><b>${esc(p)}</b> (${esc(r.classes[p] ?? 'safety')}): ${esc(d)}</li>`)
    .join('')}</ul>
<h2>Not applicable</h2><ul>${Object.entries(r.notApplicable)
    .flatMap(([p, row]) => Object.entries(row).map(([k, why]) => `<li><b>${esc(p)}</b> × ${esc(k)}: ${esc(why)}</li>`))
    .join('')}</ul>
<p>Real runs are best-effort: timing is the machine's, so a rerun may differ; each timeline is the run as it happened.</p>
</body></html>
`;
  const htmlFile = join(dir, 'conformance.html');
  writeTextAtomic(htmlFile, html);
  return { html: htmlFile, timelines };
}
