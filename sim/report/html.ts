/**
 * A self-contained timeline.html for one run (no external resources): the violated properties in
 * words at the top, the evidence and the fault schedule, then one column (lane) per actor with
 * every event in order; faults span all lanes, and events at the evidence's times are
 * highlighted (lost bytes red where they were produced, duplicates amber where delivered).
 * Capped at an op limit, as Jepsen's timeline is, so huge runs stay usable.
 */
import type { CheckResult, Evidence } from '../check/result.ts';
import type { Scenario } from '../target.ts';
import { formatTime, type TraceEvent } from '../trace.ts';
import { describeEvent, laneOf, lanesOf } from './lanes.ts';

export const OP_LIMIT = 10_000;

export interface TimelineInput {
  scenario: Scenario;
  events: readonly TraceEvent[];
  results: Record<string, CheckResult>;
  /** Property descriptions, for the headline. */
  properties: Record<string, string>;
  /** Each property's class (safety or liveness), for the headline. */
  classes?: Record<string, string>;
  traceHash: string;
  replayCommand: string;
  /** e.g. "expected a pass, but violated: no-lost-output" */
  verdict: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function classify(e: TraceEvent, lane: string, evidence: Array<Evidence & { property: string }>): string {
  for (const ev of evidence) {
    const isDup = /duplicat/.test(ev.note);
    if (!isDup && ev.t === e.t && lane === 'process' && /output/.test(e.kind)) return 'lost';
    if (isDup && ev.tEnd === e.t && lane !== 'process' && lane !== 'file system') return 'dup';
    if (!isDup && ev.t === e.t && /result/.test(e.kind)) return 'lost';
  }
  return '';
}

export function renderTimelineHtml(input: TimelineInput): string {
  const { scenario, events, results } = input;
  const lanes = lanesOf(events);
  const violated = Object.entries(results).filter(([, r]) => r.valid === false);
  const evidence = violated.flatMap(([property, r]) => r.evidence.map((ev) => ({ ...ev, property })));
  let rows = events.filter((e) => e.actor === 'faults' || laneOf(e) !== undefined);
  let elided = 0;
  if (rows.length > OP_LIMIT) {
    elided = rows.length - OP_LIMIT;
    rows = [...rows.slice(0, OP_LIMIT / 2), ...rows.slice(-OP_LIMIT / 2)];
  }
  const headline = violated.length
    ? violated
        .map(
          ([name, r]) =>
            `<li><b>${esc(name)}</b> violated (${esc(input.classes?.[name] ?? 'safety')}): ${esc(r.summary)}<br><small>${esc(input.properties[name] ?? '')}</small></li>`,
        )
        .join('')
    : '<li>every property held</li>';
  const body: string[] = [];
  rows.forEach((e, i) => {
    if (elided > 0 && i === OP_LIMIT / 2)
      body.push(`<tr class="gap"><td colspan="${lanes.length + 1}">… ${elided} events not shown (op limit ${OP_LIMIT})</td></tr>`);
    const time = `<td class="t">${esc(formatTime(e.t))}</td>`;
    if (e.actor === 'faults') {
      // what a fault hit (fault.effect, fault.outcome) is told apart from the fault itself
      const cls = e.kind === 'fault.effect' || e.kind === 'fault.outcome' ? 'fault-effect' : 'fault';
      body.push(`<tr class="${cls}">${time}<td colspan="${lanes.length}">⚡ ${esc(describeEvent(e, 400))}</td></tr>`);
      return;
    }
    const lane = laneOf(e) as string;
    const cls = classify(e, lane, evidence);
    const cells = lanes
      .map((l) =>
        l === lane ? `<td class="ev ${cls}" title="${esc(JSON.stringify(e.data ?? {}))}">${esc(describeEvent(e))}</td>` : '<td></td>',
      )
      .join('');
    body.push(`<tr>${time}${cells}</tr>`);
  });
  const faults = scenario.faults.length
    ? scenario.faults.map((f) => `<li><code>${esc(JSON.stringify(f))}</code></li>`).join('')
    : '<li>none</li>';
  const ev = evidence.length
    ? evidence
        .slice(0, 40)
        .map(
          (x) =>
            `<li>${esc(x.property)}: ${esc(x.note)}${x.t !== undefined ? ` (${esc(formatTime(x.t))}${x.tEnd !== undefined ? ` → ${esc(formatTime(x.tEnd))}` : ''})` : ''}</li>`,
        )
        .join('')
    : '<li>none</li>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>execsim: ${esc(scenario.title ?? `${scenario.target}:${scenario.variant} seed ${scenario.seed}`)}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 8px} h2{font-size:14px;margin:16px 0 4px}
#violation{background:#fdecea;border-left:4px solid #c62828;padding:8px 12px;margin:8px 0}
#violation ul{margin:0;padding-left:18px}
.meta{color:#555} code{font-size:12px}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{position:sticky;top:0;background:#eceff1;text-align:left;padding:4px;border-bottom:2px solid #90a4ae}
td{padding:2px 4px;border-bottom:1px solid #eee;vertical-align:top;overflow-wrap:anywhere}
td.t{width:90px;color:#555;font-family:monospace}
td.ev{font-family:monospace;font-size:12px}
tr.fault td{background:#fff3e0;color:#b71c1c;font-weight:600}
tr.fault-effect td{background:#fff8ef;color:#8d4b00}
td.lost{background:#ffcdd2} td.dup{background:#ffe082}
tr.gap td{text-align:center;color:#777;font-style:italic}
</style></head><body>
<h1>${esc(scenario.title ?? 'execsim run')}</h1>
<div class="meta">${esc(`${scenario.target}:${scenario.variant}`)} · seed ${scenario.seed} · ${esc(scenario.mode)} mode${scenario.healAtMs !== undefined ? ` · heal at ${esc(formatTime(scenario.healAtMs))}` : ''}${scenario.source ? ` · source: ${esc(scenario.source)}` : ''}</div>
<div id="violation"><div><b>${esc(input.verdict)}</b></div><ul>${headline}</ul></div>
<div class="meta">replay: <code>${esc(input.replayCommand)}</code> · trace sha256 <code>${esc(input.traceHash)}</code></div>
<h2>Evidence</h2><ul id="evidence">${ev}</ul>
<h2>Fault schedule</h2><ul id="faults">${faults}</ul>
<h2>Timeline</h2>
<table id="timeline"><thead><tr><th class="t">time</th>${lanes.map((l) => `<th class="lane" data-lane="${esc(l)}">${esc(l)}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table>
</body></html>
`;
}
