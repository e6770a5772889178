/**
 * A real run has no server ledger: the executor's record of a process's seqs is what it said on
 * the wire. This rebuilds that record from the frames the client received (notifications and
 * read responses), so the checkers that judge against the server's record (I4
 * authoritative-completion, the denial bit of truthful-exit) judge a real executor by its own
 * words. A seq the client never saw is not in it: the record is as complete as the wire was.
 */
import { METHOD, type ExecOutputStream, type ReadResult } from '../protocol/wire.ts';
import type { LedgerSeq } from '../server/ledger.ts';
import type { Frame } from './wireCheckers.ts';

const paramsOf = (m: Record<string, unknown>): Record<string, unknown> => (m.params ?? {}) as Record<string, unknown>;

export function wireLedger(frames: readonly Frame[], processId: string): LedgerSeq[] {
  const bySeq = new Map<number, LedgerSeq>();
  const add = (s: LedgerSeq): void => {
    if (!bySeq.has(s.seq)) bySeq.set(s.seq, s);
  };
  const output = (t: number, seq: number, stream: unknown, chunk: unknown): void =>
    add({
      t,
      processId,
      seq,
      type: 'output',
      stream: String(stream) as ExecOutputStream,
      offset: 0,
      bytes: Buffer.from(String(chunk ?? ''), 'base64').length,
    });
  const reads = new Map<unknown, { maxBytes: unknown }>();
  for (const f of frames) {
    const m = f.message;
    if (!m) continue;
    const p = paramsOf(m);
    if (f.dir === 'out') {
      if (m.method === METHOD.read && p.processId === processId) reads.set(m.id, { maxBytes: p.maxBytes ?? null });
      continue;
    }
    if (p.processId === processId && typeof p.seq === 'number') {
      if (m.method === METHOD.output) output(f.t, p.seq, p.stream, p.chunk);
      if (m.method === METHOD.exited)
        add({
          t: f.t,
          processId,
          seq: p.seq,
          type: 'exited',
          exitCode: Number(p.exitCode),
          sandboxDenied: p.sandboxDenied === true,
          watcherLost: false,
        });
      if (m.method === METHOD.closed) add({ t: f.t, processId, seq: p.seq, type: 'closed' });
    }
    const read = m.id !== undefined ? reads.get(m.id) : undefined;
    if (read && m.result && typeof m.result === 'object') {
      reads.delete(m.id);
      const r = m.result as Partial<ReadResult>;
      for (const c of r.chunks ?? []) output(f.t, c.seq, c.stream, c.chunk);
      // without maxBytes, a closed process's nextSeq is one past Closed, the largest seq (spec §1.6)
      if (r.closed === true && read.maxBytes === null && typeof r.nextSeq === 'number')
        add({ t: f.t, processId, seq: r.nextSeq - 1, type: 'closed' });
    }
  }
  const seqs = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const offsets: Record<string, number> = {};
  for (const s of seqs) {
    if (s.type !== 'output') continue;
    s.offset = offsets[s.stream] ?? 0;
    offsets[s.stream] = s.offset + s.bytes;
  }
  return seqs;
}
