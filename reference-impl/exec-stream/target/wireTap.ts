/**
 * The wire record of a simulated exec-stream run (issue 12: wire-level checks where the
 * user-visible ones are masked). A tap on the client's Net puts in the history, as the client's
 * host, each message the wire checkers judge, as it crossed the wire, reduced to the fields they
 * read (target/wireCheckers.ts): sent, the process/read requests (id, processId, afterSeq,
 * maxBytes); received, the output, exited and closed notifications (processId, seq; an output's
 * stream and chunk) and the responses to those reads (chunks, nextSeq, exited, closed). The
 * handshake, starts, writes and errors are left out: the checkers never read them, and a run
 * pays for every event it keeps (issue 17).
 */
import { TappedNet } from '../../../sim/net/tap.ts';
import type { Net, WsData } from '../../../sim/ports/index.ts';
import { lendParsed } from '../protocol/codec.ts';
import { SPEC_METHOD } from './spec.ts';
import { WIRE_RECORD } from './wireCheckers.ts';

type Message = Record<string, unknown>;
type Log = (kind: string, data: Record<string, unknown>) => void;

const NOTIFIED: ReadonlySet<unknown> = new Set([SPEC_METHOD.output, SPEC_METHOD.exited, SPEC_METHOD.closed]);

function parse(data: WsData): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The client's Net, with every frame the wire checkers judge logged as a `wire.in` / `wire.out` event. */
export function recordWire(net: Net, log: Log): Net {
  // per socket: the ids of reads sent and not yet answered (ids restart on each connection)
  const reads = new Map<string, Set<unknown>>();
  const pendingOf = (id: string): Set<unknown> => {
    let s = reads.get(id);
    if (!s) reads.set(id, (s = new Set()));
    return s;
  };
  const received = (m: Message, pending: Set<unknown>): void => {
    const method = m.method;
    if (NOTIFIED.has(method)) {
      const p = (m.params ?? {}) as Message;
      const params =
        method === SPEC_METHOD.output
          ? { processId: p.processId, seq: p.seq, stream: p.stream, chunk: p.chunk }
          : { processId: p.processId, seq: p.seq };
      log(WIRE_RECORD.in, { method, params });
      return;
    }
    if (method !== undefined || !pending.delete(m.id)) return;
    const r = m.result as Message | undefined;
    if (!r || typeof r !== 'object') return;
    log(WIRE_RECORD.in, { id: m.id, result: { chunks: r.chunks, nextSeq: r.nextSeq, exited: r.exited, closed: r.closed } });
  };
  return new TappedNet(net, (dir, data, socket) => {
    if (dir === 'out') {
      // only reads: the client's other requests are never judged, so never parsed
      if (typeof data !== 'string' || !data.includes(SPEC_METHOD.read)) return;
      const m = parse(data) as Message | undefined;
      if (m?.method !== SPEC_METHOD.read || m.id === undefined) return;
      const p = (m.params ?? {}) as Message;
      pendingOf(socket.id).add(m.id);
      log(WIRE_RECORD.out, { id: m.id, method: m.method, params: { processId: p.processId, afterSeq: p.afterSeq, maxBytes: p.maxBytes } });
      return;
    }
    const v = parse(data);
    // the client decodes this very frame next: it takes this parse instead of making its own
    if (v !== undefined) lendParsed(data, v);
    const pending = pendingOf(socket.id);
    if (Array.isArray(v)) for (const m of v) received(m as Message, pending);
    else if (v && typeof v === 'object') received(v as Message, pending);
  });
}
