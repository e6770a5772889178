/**
 * The compact timeline printed in the terminal (TigerBeetle-style, one event a line): the
 * faults, the results and the events around the evidence, so a failure reads in a minute.
 */
import type { Evidence } from '../check/result.ts';
import { formatTime, type TraceEvent } from '../trace.ts';
import { describeEvent, laneOf } from './lanes.ts';

export interface TextTimelineOptions {
  /** Most lines printed (default 60). */
  max?: number;
  evidence?: readonly Evidence[];
}

export function textTimeline(events: readonly TraceEvent[], opts: TextTimelineOptions = {}): string {
  const max = opts.max ?? 60;
  const shown = events.filter((e) => e.actor === 'faults' || laneOf(e) !== undefined);
  const focus = new Set<number>();
  for (const ev of opts.evidence ?? []) {
    if (ev.t !== undefined) focus.add(ev.t);
    if (ev.tEnd !== undefined) focus.add(ev.tEnd);
  }
  const important = (e: TraceEvent) =>
    e.actor === 'faults' || /result|error|exit|cut|half-open|refused|closed|failed/.test(e.kind) || focus.has(e.t);
  let keep: TraceEvent[];
  if (shown.length <= max) keep = shown;
  else {
    const edge = Math.max(1, Math.floor(max / 6));
    const head = shown.slice(0, edge);
    const tail = shown.slice(-edge);
    const middle = shown.slice(edge, -edge).filter(important);
    // keep the important events nearest the evidence if there are too many
    keep = [...head, ...middle.slice(0, max - 2 * edge), ...tail];
  }
  const lines: string[] = [];
  let last = -1;
  for (const e of keep) {
    const idx = shown.indexOf(e);
    if (last >= 0 && idx > last + 1) lines.push(`  … ${idx - last - 1} more events`);
    last = idx;
    const lane = e.actor === 'faults' ? 'FAULT' : (laneOf(e) as string);
    const mark = focus.has(e.t) ? '*' : ' ';
    lines.push(`${mark} ${formatTime(e.t).padEnd(12)} ${lane.padEnd(12)} ${describeEvent(e)}`);
  }
  return lines.join('\n') + '\n';
}
