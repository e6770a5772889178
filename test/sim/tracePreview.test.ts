/** The trace's content preview: what a net.send, net.deliver or proc.output event shows of its data. */
import { describe, expect, it } from 'vitest';
import { preview } from '../../sim/trace.ts';

describe('preview', () => {
  it('escapes control characters only: \\n, \\t, else \\xNN (DEL included)', () => {
    expect(preview('plain "text" \\ é …')).toBe('plain "text" \\ é …');
    expect(preview('a\nb\tc\r\u0000\u001f\u007f\u0080')).toBe('a\\nb\\tc\\x0d\\x00\\x1f\\x7f\u0080');
  });
  it('reads bytes as latin1, one character a byte, the same as text of those characters', () => {
    const bytes = new Uint8Array([0x11, 0, 0, 0, 0, 0, 0, 0x01, 0x2c, 0x68, 0x69, 0x0a, 0xe9, 0xff]);
    expect(preview(bytes)).toBe('\\x11\\x00\\x00\\x00\\x00\\x00\\x00\\x01,hi\\n\u00e9\u00ff');
    expect(preview(bytes)).toBe(preview(Buffer.from(bytes).toString('latin1')));
    // a view into a larger buffer shows its own bytes
    expect(preview(bytes.subarray(9, 11))).toBe('hi');
  });
  it('clips at max characters (48 by default), escapes counted after the clip', () => {
    expect(preview('x'.repeat(48))).toBe('x'.repeat(48));
    expect(preview('x'.repeat(49))).toBe(`${'x'.repeat(48)}…`);
    expect(preview(new Uint8Array(49).fill(0x61))).toBe(`${'a'.repeat(48)}…`);
    expect(preview('\n'.repeat(5), 3)).toBe('\\n\\n\\n…');
    expect(preview(new Uint8Array([1, 2, 3]), 0)).toBe('…');
  });
});
