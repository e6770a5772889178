/**
 * The report of `validate --client codex`: conformance.json (each case: the real verdict and the
 * model's per property, what codex answered, the evidence), junit.xml (case x property, failing
 * where the real consumer violates it, skipped where not applicable) and conformance.html (the
 * side-by-side table; each real violation links the timeline of that run).
 */
import { join } from 'node:path';
import { writeTextAtomic } from '../../../host/hostIo.ts';
import { renderJunit, type JunitCase } from '../../../report/junit.ts';
import { escHtml as esc, reportHead, writeViolationTimelines } from '../realCase.ts';
import type { ConsumerValidationReport, Verdict } from './validateConsumer.ts';

const SHORT: Record<Verdict, string> = { holds: 'ok', violated: 'VIOL', 'not applicable': 'n/a', unknown: '?' };

const clientName = (r: ConsumerValidationReport): string => (r.client.preset ? `${r.client.preset}@${r.client.version}` : r.client.command);

/** The verdict table as text: one row per case, `real/model` per property, ≠ where they differ. */
export function consumerTable(r: ConsumerValidationReport): string {
  const props = Object.keys(r.properties).filter((p) => r.cases.some((c) => c.real[p] !== 'not applicable' || c.model[p] !== 'not applicable'));
  const w = Math.max(4, ...r.cases.map((c) => c.name.length));
  const cols = props.map((p) => Math.max(p.length, 11));
  let s = `${'case'.padEnd(w)}  ${props.map((p, i) => p.padEnd(cols[i] as number)).join('  ')}\n`;
  for (const c of r.cases) {
    const cells = props.map((p, i) => `${SHORT[c.real[p] ?? 'unknown']}/${SHORT[c.model[p] ?? 'unknown']}${c.differs.includes(p) ? ' ≠' : ''}`.padEnd(cols[i] as number));
    s += `${c.name.padEnd(w)}  ${cells.join('  ')}\n`;
  }
  s += `(real/model: ok holds, VIOL violated, n/a not applicable, ? unknown; ≠ where exec-stream:${r.model} disagrees with the real consumer)\n`;
  s += '\nterminal answers (time after process/start), real | model:\n';
  for (const c of r.cases) s += `${c.name.padEnd(w)}  ${c.outcome.real} ${c.outcome.differs ? '≠' : '|'} ${c.outcome.model}\n`;
  for (const c of r.cases) for (const n of c.notes) s += `note (${c.name}): ${n}\n`;
  return s;
}

export function writeConsumerReport(dir: string, r: ConsumerValidationReport, wallMs: number): { html: string; timelines: string[] } {
  const { timelines, links } = writeViolationTimelines(dir, r.cases, {
    prefix: 'consumer',
    title: (name) => `${clientName(r)}: ${name}`,
    replay: (name) => `npx execsim validate --client ${JSON.stringify(clientName(r))}${r.client.preset ? '' : ' --protocol codex-exec-server'} --cases ${name}`,
    properties: r.properties,
  });
  const text = (chunks: ReadonlyArray<{ data: Uint8Array }> | undefined) => (chunks ?? []).map((d) => Buffer.from(d.data).toString()).join('');
  const json = {
    ...reportHead(r),
    outcomesDiffer: r.outcomesDiffer,
    properties: r.properties,
    cases: r.cases.map((c) => ({
      name: c.name,
      summary: c.summary,
      source: c.source,
      real: c.real,
      model: c.model,
      differs: c.differs,
      wallMs: c.wallMs,
      consumerExit: c.result.exit,
      faults: c.result.scenario.faults,
      recoverable: c.result.truth.recoverable,
      unrecoverableBecause: c.result.truth.unrecoverableBecause,
      observed: {
        stdout: text(c.result.observed.streams.stdout),
        stderr: text(c.result.observed.streams.stderr),
        other: text(c.result.observed.streams.other),
        results: c.result.observed.results,
        toolOutputs: c.result.toolOutputs,
        items: c.result.items,
      },
      evidence: Object.fromEntries(
        Object.entries(c.result.results)
          .filter(([, v]) => v.valid !== true || v.notApplicable !== undefined)
          .map(([k, v]) => [k, { summary: v.notApplicable ?? v.summary, evidence: v.evidence.slice(0, 5) }]),
      ),
      modelEvidence: c.modelEvidence,
      outcome: c.outcome,
      notes: c.notes,
    })),
    timing: { wallMs: Math.round(wallMs) },
  };
  writeTextAtomic(join(dir, 'conformance.json'), JSON.stringify(json, null, 2) + '\n');
  const cases: JunitCase[] = [];
  for (const c of r.cases)
    for (const p of Object.keys(r.properties)) {
      const v = c.real[p];
      const res = c.result.results[p];
      cases.push({
        classname: `execsim.validate.consumer.${r.client.preset ?? 'command'}`,
        name: `${c.name} × ${p}`,
        ...(v === 'violated' ? { failure: res?.summary ?? 'violated' } : {}),
        ...(v === 'not applicable' ? { skipped: res?.notApplicable ?? 'not applicable' } : {}),
        detail: `real ${v}, model (${r.model}) ${c.model[p]}`,
        timeS: c.wallMs / 1000 / Object.keys(r.properties).length,
      });
    }
  writeTextAtomic(join(dir, 'junit.xml'), renderJunit(`execsim validate --client ${clientName(r)}`, cases));
  const props = Object.keys(r.properties);
  const cell = (c: (typeof r.cases)[number], p: string): string => {
    const v = c.real[p] ?? 'unknown';
    const link = links.get(c.name);
    const shown = v === 'violated' && link ? `<a href="${esc(link)}">violated</a>` : esc(v);
    const cls = v.replace(' ', '-');
    return `<td class="${cls}${c.differs.includes(p) ? ' differs' : ''}" title="${esc(c.result.results[p]?.notApplicable ?? c.result.results[p]?.summary ?? '')}">${shown} <small>/ ${esc(c.model[p] ?? '')}</small></td>`;
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>execsim validate --client ${esc(clientName(r))}</title>
<style>body{font:13px/1.4 system-ui,sans-serif;margin:16px} table{border-collapse:collapse} th,td{border:1px solid #ccc;padding:4px 8px}
td.holds{background:#e8f5e9} td.violated{background:#ffcdd2;font-weight:600} td.unknown{background:#fff8e1} td.not-applicable{color:#777} td.differs{outline:2px solid #1565c0}</style></head><body>
<h1>${esc(clientName(r))}: an exec-server consumer against the reference exec-server</h1>
<div>command: <code>${esc(r.client.command)}</code> · real time · model: exec-stream:${esc(r.model)} · ${r.modelMatches ? 'the model matches the real consumer everywhere' : 'the model differs (outlined cells)'}</div>
<table id="differential"><thead><tr><th>case</th>${props.map((p) => `<th title="${esc(r.properties[p] ?? '')}">${esc(p)}</th>`).join('')}</tr></thead><tbody>
${r.cases.map((c) => `<tr><th title="${esc(c.summary)}">${esc(c.name)}</th>${props.map((p) => cell(c, p)).join('')}</tr>`).join('\n')}
</tbody></table>
<h2>Terminal answers (time after process/start)</h2><table id="outcomes"><thead><tr><th>case</th><th>real</th><th>model</th><th>notes</th></tr></thead><tbody>
${r.cases.map((c) => `<tr><th>${esc(c.name)}</th><td${c.outcome.differs ? ' class="differs"' : ''}>${esc(c.outcome.real)}</td><td>${esc(c.outcome.model)}</td><td>${esc(c.notes.join(' '))}</td></tr>`).join('\n')}
</tbody></table><p>Each cell: the real consumer's verdict / the model's. Real runs are best-effort: timing is the machine's.</p></body></html>
`;
  const htmlFile = join(dir, 'conformance.html');
  writeTextAtomic(htmlFile, html);
  return { html: htmlFile, timelines };
}
