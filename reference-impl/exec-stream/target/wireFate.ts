/**
 * Which of the server's notifications the network really lost, from the world's trace: a frame
 * the socket refused (the connection was already cut in that instant) or one sent but never
 * delivered. The server's ledger says only whether a session had a sender (attached or not); a
 * notification sent in the very instant of a cut looks sent there but never reached the client
 * (issue 12, v1-strict's pending-cap failure). Pure: the trace in, a flag per ledger entry out.
 */
import type { TraceEvent } from '../../../sim/trace.ts';

export interface SentNotification {
  t: number;
  /** The ledger's flag: no session sender at all (detached). */
  dropped: boolean;
}

interface Frame {
  t: number;
  notification: boolean;
  /** Refused by the socket: lost whatever follows. */
  refused: boolean;
  /** The connection and frame number of a sent frame (to find its delivery). */
  id: unknown;
  n: unknown;
}

/** For each ledger notification, in order, whether it never reached the client. */
export function lostNotifications(trace: readonly TraceEvent[], sent: readonly SentNotification[], serverHost: string): boolean[] {
  // one pass over the history: the server's sends (and refusals) in order, and every s2c delivery by connection
  const delivered = new Map<unknown, Set<unknown>>();
  const frames: Frame[] = [];
  for (const e of trace) {
    if (e.kind === 'net.deliver') {
      const d = e.data;
      if (d?.dir !== 's2c') continue;
      let ns = delivered.get(d.id);
      if (!ns) delivered.set(d.id, (ns = new Set()));
      ns.add(d.n);
      continue;
    }
    if (e.actor !== serverHost) continue;
    if (e.kind === 'net.send-refused') frames.push({ t: e.t, notification: true, refused: true, id: undefined, n: undefined });
    else if (e.kind === 'net.send' && e.data?.dir === 's2c')
      frames.push({
        t: e.t,
        notification: String(e.data.text ?? '').startsWith('{"method":"process/'),
        refused: false,
        id: e.data.id,
        n: e.data.n,
      });
  }
  // Match each sent notification to the next notification frame of the same instant, in order.
  let i = 0;
  return sent.map((n) => {
    if (n.dropped) return true;
    while (i < frames.length && ((frames[i] as Frame).t < n.t || !(frames[i] as Frame).notification)) i++;
    const f = frames[i];
    if (!f || f.t !== n.t) return false;
    i++;
    return f.refused || !(delivered.get(f.id)?.has(f.n) ?? false);
  });
}
