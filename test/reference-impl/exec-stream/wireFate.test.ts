/** Which notifications the network really lost, from the trace (issue 12: a send in the instant of a cut). */
import { describe, expect, it } from 'vitest';
import { lostNotifications } from '../../../reference-impl/exec-stream/target/wireFate.ts';
import type { TraceEvent } from '../../../sim/trace.ts';

const send = (t: number, n: number, text: string): TraceEvent => ({
  t,
  actor: 'exec-server',
  kind: 'net.send',
  data: { id: 'c#1', dir: 's2c', n, text },
});
const deliver = (t: number, n: number): TraceEvent => ({ t, actor: 'network', kind: 'net.deliver', data: { id: 'c#1', dir: 's2c', n } });
const NOTE = '{"method":"process/output","params":{"processId"';

describe('lostNotifications', () => {
  it('a delivered notification is not lost; a response in between is skipped', () => {
    const trace = [send(10, 1, '{"id":2,"result":{}}'), send(10, 2, NOTE), deliver(12, 1), deliver(12, 2)];
    expect(lostNotifications(trace, [{ t: 10, dropped: false }], 'exec-server')).toEqual([false]);
  });
  it('a refused send, or a send never delivered, is lost; a detached drop is lost', () => {
    const refused: TraceEvent = { t: 99, actor: 'exec-server', kind: 'net.send-refused', data: { id: 'c#1', state: 3 } };
    const trace = [send(50, 1, NOTE), deliver(55, 1), refused, send(120, 2, NOTE)];
    expect(
      lostNotifications(
        trace,
        [
          { t: 50, dropped: false },
          { t: 99, dropped: false },
          { t: 110, dropped: true },
          { t: 120, dropped: false },
        ],
        'exec-server',
      ),
    ).toEqual([false, true, true, true]);
  });
});
