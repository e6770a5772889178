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

/** A big-endian u32 of `b` at `i`. */
const u32 = (b: Uint8Array, i: number): number =>
  (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;

/**
 * Whether a text frame can be a gap frame: JSON whose `type` is "gap" holds `"gap"` as written,
 * unless it uses an escape. So the JSON parse (and a throw for every ping, which is no JSON) is
 * only for text that can be one.
 */
const mayBeGap = (text: string): boolean => text.includes('"gap"') || text.includes('\\');

/** The problems of one cursor attach (`m`: its URL's match of the cursor query). */
function problemsOf(conn: WireConnection, m: RegExpExecArray, bad: Evidence[]): void {
  const next: Record<Stream, number> = { stdout: Number(m[1]), stderr: Number(m[2]) };
  for (const f of conn.frames) {
    if ('head' in f) {
      const prefix = f.head[0] as number;
      if ((SPEC_CURSOR.plain as readonly number[]).includes(prefix)) {
        bad.push({ t: f.t, note: `${conn.id}: an unpositioned output frame on a cursor attach` });
        continue;
      }
      const stream = SPEC_CURSOR.positioned[prefix];
      if (!stream || f.length < SPEC_CURSOR.headerBytes) continue;
      const offset = u32(f.head, 1) * 0x1_0000_0000 + u32(f.head, 5);
      if (offset !== next[stream])
        bad.push({
          t: f.t,
          note: `${conn.id}: ${stream} frame at offset ${offset}, expected ${next[stream]} (${offset < next[stream] ? 'overlap' : 'hole'})`,
        });
      next[stream] = offset + f.length - SPEC_CURSOR.headerBytes;
      continue;
    }
    if (!mayBeGap(f.text)) continue;
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
}

/** `cursor-frames`: on a cursor attach, the runner's frames start at the cursor and stay contiguous. */
export const cursorFrames: Checker<{ observed: { wire?: readonly WireConnection[] } }> = ({ observed }) => {
  let conns = 0;
  const bad: Evidence[] = [];
  for (const conn of observed.wire ?? []) {
    const m = SPEC_CURSOR.query.exec(conn.url);
    if (!m) continue;
    conns++;
    problemsOf(conn, m, bad);
  }
  if (conns === 0) return pass('no cursor attach');
  if (bad.length === 0) return pass(`${conns} cursor attach(es), every stream from its cursor and contiguous`);
  return fail(`runner frames off the cursor: ${bad[0]?.note}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, bad.slice(0, 12));
};
