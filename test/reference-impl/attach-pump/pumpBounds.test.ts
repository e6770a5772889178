/**
 * What bounds the pump: an unbounded drain hangs and `terminates` says so; and the per-frame
 * lossy decode the upstream pump applies to every binary frame.
 */
import { describe, expect, it } from 'vitest';
import { ECHO_HELLO, scenario } from './helpers.ts';

describe('spec scenario 5, the other side: an unbounded drain would hang, and terminates catches it', () => {
  it('a pump that re-attaches on every Terminal against a runner that never sends exit has no result by the deadline', async () => {
    const { createWorld } = await import('../../../sim/index.ts');
    const { AttachPump } = await import('../../../reference-impl/attach-pump/client/pump.ts');
    const { defineVariant } = await import('../../../sim/ports/index.ts');
    const { pre627 } = await import('../../../reference-impl/attach-pump/variants/pre627.ts');
    const { ApiClient } = await import('../../../reference-impl/attach-pump/client/api.ts');
    const { Runner } = await import('../../../reference-impl/attach-pump/runner/server.ts');
    const { ObservedLog, truthOf } = await import('../../../reference-impl/attach-pump/target/outcome.ts');
    const { LIVENESS } = await import('../../../reference-impl/attach-pump/target/checkers.ts');
    const { livenessChecker } = await import('../../../sim/judge.ts');
    const { processScript } = await import('../../../reference-impl/attach-pump/target/workload.ts');

    const unboundedDrain = defineVariant(
      'unbounded-drain',
      pre627,
      {
        onTerminal: async (p) => {
          const c = await p.connect();
          return c.ok ? { to: 'session', socket: c.socket } : { to: 'reconnect', cause: 'drain failed' };
        },
      },
      { summary: '#627 without its one-attempt flag', source: 'this test', expected: ['terminates'] },
    );
    const s = scenario('fixed-627', ECHO_HELLO);
    const world = createWorld({ seed: 1 });
    const runner = new Runner(world.host('runner'), world.host('box').proc, {
      sizes: { backlogBytesMax: 1024, subscriberChunksMax: 8 },
      commands: () => processScript(ECHO_HELLO),
      hooks: { writesBlockedUntil: () => 0, muteExit: () => true },
    });
    await runner.listen();
    runner.manager.stop(); // no reaper: nothing evicts the execution to end the spin
    const client = world.host('client');
    const log = new ObservedLog(() => client.clock.now());
    world.spawn('client', async () => {
      const api = new ApiClient(client);
      const created = await api.exec('box1', 'echo hello');
      if (created.ok) await new AttachPump(client, api, 'box1', created.id, log, unboundedDrain.slots).run();
    });
    const r = await world.run(1_000_000);
    expect(r.status).toBe('until'); // still spinning: a 45 s watchdog, a probe, a re-attach, forever
    const truth = truthOf(world, s, r.timeMs);
    const verdict = livenessChecker(LIVENESS)({ scenario: s, truth, observed: log.observed(), history: [] });
    expect(verdict?.valid).toBe(false);
    expect(world.trace.events.filter((e) => e.kind === 'pump.attached').length).toBeGreaterThan(20);
  });
});

describe('per-frame from_utf8_lossy', () => {
  it('keeps a leading BOM, replaces a split codepoint with U+FFFD, and leaves ASCII as it is', async () => {
    const { lossy } = await import('../../../reference-impl/attach-pump/client/pump.ts');
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(lossy(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])))).toBe('efbbbf41');
    expect(hex(lossy(new Uint8Array([0x41, 0xc3])))).toBe('41efbfbd'); // é cut after its first byte
    const ascii = new TextEncoder().encode('o000001\n');
    expect(lossy(ascii)).toBe(ascii);
  });
});
