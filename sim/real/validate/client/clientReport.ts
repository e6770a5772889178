/**
 * The report of `validate --client`: conformance.json (every case, the real verdict and the
 * model's per property, the evidence), junit.xml (one case per case x property, failing where
 * the real client violates it) and conformance.html (the side-by-side table; each real violation
 * links the timeline of that run).
 */
import { join } from 'node:path';
import { writeTextAtomic } from '../../../host/hostIo.ts';
import { renderJunit, type JunitCase } from '../../../report/junit.ts';
import { escHtml as esc, reportHead, writeViolationTimelines } from '../realCase.ts';
import type { ClientValidationReport } from './validateClient.ts';


/** The side-by-side table as text: one row per case x property, `real / model`. */
export function differentialText(r: ClientValidationReport): string {
  const props = Object.keys(r.properties);
  const w = Math.max(...r.cases.map((c) => c.name.length), 4);
  let s = `${'case'.padEnd(w)}  ${props.map((p) => p.padEnd(21)).join('')}\n`;
  for (const c of r.cases) {
    s += `${c.name.padEnd(w)}  ${props.map((p) => `${short(c.real[p])}/${short(c.model[p])}${c.differs.includes(p) ? ' ≠' : ''}`.padEnd(21)).join('')}\n`;
  }
  return s + `(real/model: ok = holds, VIOL = violated, ? = unknown; ≠ where the ${r.model} model disagrees with the real client)\n`;
}
const short = (v: string | undefined): string => (v === 'holds' ? 'ok' : v === 'violated' ? 'VIOL' : '?');

export function writeClientReport(dir: string, r: ClientValidationReport, wallMs: number): { html: string; timelines: string[] } {
  const { timelines, links } = writeViolationTimelines(dir, r.cases, {
    prefix: 'client',
    title: (name) => `${r.client.preset ?? 'client'}: ${name}`,
    variant: 'real client',
    replay: (name) => `npx execsim validate --client ${JSON.stringify(r.client.preset ? `${r.client.preset}@${r.client.version}` : r.client.command)} --cases ${name}`,
    properties: r.properties,
  });
  const json = {
    ...reportHead(r),
    properties: r.properties,
    cases: r.cases.map((c) => ({
      name: c.name,
      summary: c.summary,
      real: c.real,
      model: c.model,
      differs: c.differs,
      wallMs: c.wallMs,
      clientExit: c.clientExit,
      faults: c.result.scenario.faults,
      observed: {
        stdout: (c.result.observed.streams.stdout ?? []).map((d) => Buffer.from(d.data).toString()),
        stderr: (c.result.observed.streams.stderr ?? []).map((d) => Buffer.from(d.data).toString()),
        notices: c.result.observed.notices,
        results: c.result.observed.results,
      },
      evidence: Object.fromEntries(
        Object.entries(c.result.results)
          .filter(([, v]) => v.valid !== true)
          .map(([k, v]) => [k, { summary: v.summary, evidence: v.evidence.slice(0, 5) }]),
      ),
    })),
    timing: { wallMs: Math.round(wallMs) },
  };
  writeTextAtomic(join(dir, 'conformance.json'), JSON.stringify(json, null, 2) + '\n');
  const cases: JunitCase[] = [];
  for (const c of r.cases)
    for (const p of Object.keys(r.properties))
      cases.push({
        classname: `execsim.validate.client.${r.client.preset ?? 'client'}`,
        name: `${c.name} × ${p}`,
        ...(c.real[p] === 'violated' ? { failure: c.result.results[p]?.summary ?? 'violated' } : {}),
        detail: `real ${c.real[p]}, model (${r.model}) ${c.model[p]}`,
        timeS: c.wallMs / 1000 / Object.keys(r.properties).length,
      });
  writeTextAtomic(join(dir, 'junit.xml'), renderJunit(`execsim validate --client ${r.client.preset ?? r.client.command}`, cases));
  const props = Object.keys(r.properties);
  const cell = (c: (typeof r.cases)[number], p: string): string => {
    const v = c.real[p] ?? 'unknown';
    const link = links.get(c.name);
    const real = v === 'violated' && link ? `<a href="${esc(link)}">violated</a>` : esc(v);
    return `<td class="cell ${v}${c.differs.includes(p) ? ' differs' : ''}" data-case="${esc(c.name)}" data-property="${esc(p)}">${real} <small>/ ${esc(c.model[p] ?? '')}</small></td>`;
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>execsim validate --client ${esc(r.client.preset ?? r.client.command)}</title>
<style>body{font:13px/1.4 system-ui,sans-serif;margin:16px} table{border-collapse:collapse} th,td{border:1px solid #ccc;padding:4px 8px}
td.holds{background:#e8f5e9} td.violated{background:#ffcdd2;font-weight:600} td.unknown{background:#fff8e1} td.differs{outline:2px solid #1565c0}</style></head><body>
<h1>${esc(r.client.preset ? `${r.client.preset}@${r.client.version}` : 'client')} against the attach-pump runner</h1>
<div>command: <code>${esc(r.client.command)}</code> · time ×${r.timeFactor} · model: attach-pump:${esc(r.model)} · ${r.modelMatches ? 'the model matches the real client everywhere' : 'the model differs (outlined cells)'}</div>
<table id="differential"><thead><tr><th>case</th>${props.map((p) => `<th title="${esc(r.properties[p] ?? '')}">${esc(p)}</th>`).join('')}</tr></thead><tbody>
${r.cases.map((c) => `<tr><th title="${esc(c.summary)}">${esc(c.name)}</th>${props.map((p) => cell(c, p)).join('')}</tr>`).join('\n')}
</tbody></table><p>Each cell: the real client's verdict / the model's. Real runs are best-effort: timing is the machine's.</p></body></html>
`;
  const htmlFile = join(dir, 'conformance.html');
  writeTextAtomic(htmlFile, html);
  return { html: htmlFile, timelines };
}
