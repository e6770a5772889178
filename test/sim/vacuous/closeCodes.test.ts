/**
 * A `close` fault's code must be one a close frame may carry (RFC 6455 §7.4), as ws enforces: ws
 * throws on 1004-1006, 1015, 1016-2999 and a reason over 123 bytes, so the real fault proxy would
 * throw inside a timer mid-run. The one definition (sim/net/closeCodes.ts) serves the simulated
 * network and the proxy alike; here it is refused before the run, exit 2, with the file, the JSON
 * path and the ranges, one code either side of every edge of every range.
 */
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { KERNEL_FAULT_SPECS } from '../../../sim/faults/kernelKinds.ts';
import { validateFaults } from '../../../sim/faults/validate.ts';
import { RealClock } from '../../../sim/real/clock.ts';
import { FaultProxy } from '../../../sim/real/faultProxy.ts';
import { RealTimeline } from '../../../sim/real/ports.ts';
import { runEdited } from './runEdited.ts';

const FILE = 'scenarios/field-bugs/attach-pump/cut-while-running.cursor.json';
const RANGES = '1000-1003, 1007-1014 or 3000-4999';
const REFUSED = [999, 1004, 1006, 1015, 2999, 5000, 1005, 1016];
const SENDABLE = [1000, 1003, 1007, 1014, 3000, 4999];
const close = (code: number, reason?: string) => ({ at: 100, kind: 'close', target: 'client->runner', code, ...(reason !== undefined ? { reason } : {}) });

// ws's frame writer: exported by the package, not by its type declarations
interface WsSender {
  close(code: number, reason: string | undefined, mask: boolean, cb: () => void): void;
}
const { Sender } = ws as unknown as { Sender: new (socket: unknown) => WsSender };

/** What ws itself lets a close frame carry: its Sender throws on anything else (nothing is written anywhere). */
function wsSends(code: number, reason?: string): boolean {
  const sender = new Sender({ cork() {}, uncork() {}, write: () => true });
  try {
    sender.close(code, reason, false, () => undefined);
    return true;
  } catch {
    return false;
  }
}

describe('close fault codes (issue 13)', () => {
  for (const code of REFUSED) {
    it(`code ${code}: exit 2 before the run, naming the file, faults[0].code and the ranges`, async () => {
      const r = await runEdited(FILE, (s) => {
        s.faults = [close(code)];
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(r.path);
      expect(r.stderr).toContain(`faults[0].code: expected a close code a close frame may carry: ${RANGES}`);
      expect(r.stderr).toContain(`got ${code}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.summary().status).toBe('bad-input');
    });
  }

  it('each range edge itself runs (the simulated network takes it): no input error', { timeout: 60_000 }, async () => {
    for (const code of SENDABLE) {
      const r = await runEdited(FILE, (s) => {
        s.faults = [close(code)];
      });
      expect(r.stderr, `code ${code}`).not.toContain('faults[0]');
      expect([0, 1], `code ${code}`).toContain(r.code);
    }
  });

  it('a reason over 123 bytes in UTF-8 is refused (ws throws on it); 123 bytes pass', async () => {
    const r = await runEdited(FILE, (s) => {
      s.faults = [close(1001, 'é'.repeat(62))];
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faults[0].reason: 124 bytes in UTF-8, expected at most 123');
    expect(validateFaults([close(1001, 'x'.repeat(123))], KERNEL_FAULT_SPECS)).toEqual([]);
  });

  it('accepts exactly what ws sends, every code from 0 to 5999 and reasons around the limit', () => {
    const accepted = (code: number, reason?: string) => validateFaults([close(code, reason)], KERNEL_FAULT_SPECS).length === 0;
    const disagree = Array.from({ length: 6000 }, (_, c) => c).filter((c) => accepted(c) !== wsSends(c));
    expect(disagree).toEqual([]);
    for (const reason of ['x'.repeat(123), 'x'.repeat(124), 'é'.repeat(61), 'é'.repeat(62)])
      expect(accepted(1000, reason), `${reason.length} chars`).toBe(wsSends(1000, reason));
  });

  it('the real fault proxy refuses the same codes before scheduling anything', () => {
    const proxy = new FaultProxy('ws://127.0.0.1:1', new RealTimeline(new RealClock()));
    expect(() => proxy.inject([close(1005)])).toThrow(/faults\[0\]\.code: expected a close code a close frame may carry: 1000-1003/);
    expect(() => proxy.inject([close(3000)])).not.toThrow();
    return proxy.stop();
  });
});
