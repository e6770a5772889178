/**
 * The session files' TOML writer against smol-toml's: the same bytes for any flat table, which
 * is what the trace (bytes written) and the readers depend on.
 */
import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { formatPacket, formatResult, formatState, packetFor, tomlTable } from '../../../reference-impl/session-wait/sessionFiles.ts';

const key = fc.oneof(fc.constantFrom('status', 'exit_code', 'completed_at', 'a-b', 'X9'), fc.string({ maxLength: 6 }));
// control characters, DEL, non-ASCII and lone surrogates among the rest
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\t', '\x00', '\x1f', '\x7f', 'é', '\ud800', '\udc00'), maxLength: 12 }),
  // printable ASCII (tomlTable's quote-only path) and the characters at its edges
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(' ', '!', '"', '#', '[', '\\', ']', '~', '\x7f', '\x1f', 'a'), maxLength: 12 }),
);
const value = fc.oneof(text, fc.integer(), fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53) - 2, 1.5, 1e21));

describe('session files: tomlTable writes what smol-toml writes', () => {
  it('for any flat table of strings and numbers, byte for byte', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (t) => {
        expect(tomlTable(t)).toBe(stringify(t));
      }),
      { numRuns: 2_000, seed: 17 },
    );
  });

  it('for the files the daemon and the wait write', () => {
    const result = { status: 'success', exitCode: 0, summary: 'tool completed', tool: 'codex', startedAt: 'a', completedAt: 'b' };
    expect(formatResult({ ...result, eventsCount: 3 })).toBe(
      stringify({
        status: 'success',
        exit_code: 0,
        summary: 'tool completed',
        tool: 'codex',
        started_at: 'a',
        completed_at: 'b',
        events_count: 3,
      }) + '\n',
    );
    expect(formatPacket(packetFor(143))).toBe('exit_code = 143\nstatus = "signal"\n\n');
    expect(formatState('Active', 'codex')).toBe('phase = "Active"\ntool = "codex"\n\n');
  });
});
