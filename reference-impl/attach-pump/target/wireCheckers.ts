/**
 * Wire-level checks where the user-visible ones are masked (issue 12): the client's cursor
 * logic drops a replayed prefix and notices a jump, so a runner that resumes at the wrong offset
 * may never show as lost or duplicated output. `cursor-frames` judges the runner's frames on
 * every cursor attach, as they reached the client's proxy: each stream starts at the cursor (or
 * with a gap frame from it) and continues without overlap or hole, every output frame positioned.
 */
import { fail, pass, type Checker, type Evidence } from '../../../sim/check/index.ts';
import type { WireConnection } from './proxy.ts';
import { SPEC_CURSOR, SPEC_STREAMS } from './spec.ts';

type Stream = (typeof SPEC_STREAMS)[number];

function problemsOf(conn: WireConnection): Evidence[] {
  const m = SPEC_CURSOR.query.exec(conn.url);
  if (!m) return [];
  const next: Record<Stream, number> = { stdout: Number(m[1]), stderr: Number(m[2]) };
  const bad: Evidence[] = [];
  for (const f of conn.frames) {
    if ('head' in f) {
      const prefix = f.head[0] as number;
      if ((SPEC_CURSOR.plain as readonly number[]).includes(prefix)) {
        bad.push({ t: f.t, note: `${conn.id}: an unpositioned output frame on a cursor attach` });
        continue;
      }
      const stream = SPEC_CURSOR.positioned[prefix];
      if (!stream || f.length < SPEC_CURSOR.headerBytes) continue;
      const view = new DataView(f.head.buffer, f.head.byteOffset, f.head.length);
      const offset = view.getUint32(1) * 0x1_0000_0000 + view.getUint32(5);
      if (offset !== next[stream])
        bad.push({
          t: f.t,
          note: `${conn.id}: ${stream} frame at offset ${offset}, expected ${next[stream]} (${offset < next[stream] ? 'overlap' : 'hole'})`,
        });
      next[stream] = offset + f.length - SPEC_CURSOR.headerBytes;
      continue;
    }
    let v: { type?: unknown; stream?: unknown; from?: unknown; to?: unknown };
    try {
      v = JSON.parse(f.text) as typeof v;
    } catch {
      continue;
    }
    if (v?.type !== 'gap' || (v.stream !== 'stdout' && v.stream !== 'stderr') || typeof v.from !== 'number' || typeof v.to !== 'number')
      continue;
    if (v.from !== next[v.stream]) bad.push({ t: f.t, note: `${conn.id}: ${v.stream} gap from ${v.from}, expected ${next[v.stream]}` });
    next[v.stream] = v.to;
  }
  return bad;
}

/** `cursor-frames`: on a cursor attach, the runner's frames start at the cursor and stay contiguous. */
export const cursorFrames: Checker<{ observed: { wire?: readonly WireConnection[] } }> = ({ observed }) => {
  const conns = (observed.wire ?? []).filter((c) => SPEC_CURSOR.query.test(c.url));
  if (conns.length === 0) return pass('no cursor attach');
  const bad = conns.flatMap(problemsOf);
  if (bad.length === 0) return pass(`${conns.length} cursor attach(es), every stream from its cursor and contiguous`);
  return fail(`runner frames off the cursor: ${bad[0]?.note}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, bad.slice(0, 12));
};
