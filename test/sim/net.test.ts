import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Inbox, NetError, OPEN, type WsSocket } from '../../sim/ports/index.ts';
import { createWorld, type World } from '../../sim/world.ts';

interface Received {
  t: number;
  data: string;
}

/** Client and server that each send scheduled frames and record what arrives. */
function pingPongWorld(seed: number, sendsC2S: number[], sendsS2C: number[], net: { latencyMsMin: number; latencyMsMax: number }) {
  const world = createWorld({ seed, net });
  const atServer: Received[] = [];
  const atClient: Received[] = [];
  const closes: Array<{ side: string; t: number; code: number }> = [];
  const sendResults: boolean[] = [];
  const server = world.host('server');
  const client = world.host('client');
  world.spawn('server', async () => {
    await server.net.listen(80, {
      connection: (sock) => {
        sock.on('message', (d) => atServer.push({ t: server.clock.now(), data: String(d) }));
        sock.on('close', (code) => closes.push({ side: 'server', t: server.clock.now(), code }));
        sendsS2C.forEach((at, i) => server.clock.setTimeout(() => sendResults.push(sock.send(`s${i}`)), at));
      },
    });
  });
  world.spawn('client', async () => {
    const sock = await client.net.connect('ws://server:80/');
    sock.on('message', (d) => atClient.push({ t: client.clock.now(), data: String(d) }));
    sock.on('close', (code) => closes.push({ side: 'client', t: client.clock.now(), code }));
    sendsC2S.forEach((at, i) => client.clock.setTimeout(() => sendResults.push(sock.send(`c${i}`)), at));
  });
  return { world, atServer, atClient, closes, sendResults };
}

/** The FIFO property: what arrived is a prefix of what was sent, in order. */
export function isFifoPrefix(sent: string[], received: string[]): boolean {
  return received.length <= sent.length && received.every((d, i) => d === sent[i]);
}

const sendTimes = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 25 }).map((a) => [...a].sort((x, y) => x - y));
const latency = fc
  .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 200 }))
  .map(([min, spread]) => ({ latencyMsMin: min, latencyMsMax: min + spread }));

describe('net: per-connection FIFO', () => {
  it('delivers every frame, in order, under any latency schedule', async () => {
    let couldOvertake = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer(), sendTimes, sendTimes, latency, async (seed, c2s, s2c, lat) => {
        const w = pingPongWorld(seed, c2s, s2c, lat);
        await w.world.run();
        const sentC = c2s.map((_, i) => `c${i}`);
        const sentS = s2c.map((_, i) => `s${i}`);
        expect(w.atServer.map((r) => r.data)).toEqual(sentC);
        expect(w.atClient.map((r) => r.data)).toEqual(sentS);
        // Non-vacuity: frames sent closer together than the latency spread could have overtaken.
        const spread = lat.latencyMsMax - lat.latencyMsMin;
        if (c2s.some((t, i) => i > 0 && t - (c2s[i - 1] as number) < spread)) couldOvertake++;
      }),
      { numRuns: 150, seed: 42 },
    );
    expect(couldOvertake).toBeGreaterThan(30);
  });

  it('the FIFO check itself rejects a reordered or invented delivery', () => {
    expect(isFifoPrefix(['a', 'b', 'c'], ['a', 'b'])).toBe(true);
    expect(isFifoPrefix(['a', 'b', 'c'], ['b', 'a'])).toBe(false);
    expect(isFifoPrefix(['a', 'b'], ['a', 'b', 'b'])).toBe(false);
  });
});

describe('net: cut', () => {
  it('delivers nothing after a cut, and both ends see 1006 at the cut', async () => {
    let inFlightDropped = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        sendTimes,
        sendTimes,
        latency,
        fc.integer({ min: 0, max: 250 }),
        async (seed, c2s, s2c, lat, cutAt) => {
          const w = pingPongWorld(seed, c2s, s2c, lat);
          w.world.schedule([{ at: cutAt, kind: 'cut', target: 'client->server' }]);
          await w.world.run();
          const cut = w.world.trace.events.find((e) => e.kind === 'net.cut');
          if (!cut) return; // the connection was not open yet: nothing to cut
          for (const r of [...w.atServer, ...w.atClient]) expect(r.t).toBeLessThanOrEqual(cut.t);
          const atCut = (r: Received) => r.t === cut.t;
          // deliveries at the cut instant happened before it (same instant, earlier task)
          expect([...w.atServer, ...w.atClient].filter(atCut).length).toBeLessThanOrEqual(c2s.length + s2c.length);
          // A cut during the upgrade fails the connect instead: that client has no socket to close.
          const opened = w.world.trace.events.some((e) => e.kind === 'net.open' && e.t <= cut.t);
          expect(w.closes.map((c) => [c.side, c.code, c.t]).sort()).toEqual([
            ...(opened ? [['client', 1006, cut.t]] : []),
            ['server', 1006, cut.t],
          ]);
          expect(
            isFifoPrefix(
              c2s.map((_, i) => `c${i}`),
              w.atServer.map((r) => r.data),
            ),
          ).toBe(true);
          expect(
            isFifoPrefix(
              s2c.map((_, i) => `s${i}`),
              w.atClient.map((r) => r.data),
            ),
          ).toBe(true);
          inFlightDropped += (cut.data?.dropped as number) ?? 0;
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    expect(inFlightDropped).toBeGreaterThan(0);
  });

  it('refuses sends on a cut socket', async () => {
    const w = pingPongWorld(1, [], [], { latencyMsMin: 1, latencyMsMax: 1 });
    let sock: WsSocket | undefined;
    w.world.spawn('late', async () => {
      await w.world.host('late').clock.sleep(50);
      sock = await w.world.host('late').net.connect('ws://server:80/');
      w.world.schedule([{ at: 60, kind: 'cut', target: 'late->server' }]);
      await w.world.host('late').clock.sleep(20);
      expect(sock.readyState).not.toBe(OPEN);
      expect(sock.send('x')).toBe(false);
    });
    await w.world.run();
    expect(w.world.errors).toEqual([]);
    expect(sock).toBeDefined();
  });
});

describe('net: half-open', () => {
  it('delivers nothing and closes nothing, while the sender believes it sent', async () => {
    let exercised = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer(), sendTimes, sendTimes, latency, fc.integer({ min: 5, max: 150 }), async (seed, c2s, s2c, lat, at) => {
        const w = pingPongWorld(seed, c2s, s2c, lat);
        w.world.schedule([{ at, kind: 'half-open', target: '*' }]);
        await w.world.run();
        const ho = w.world.trace.events.find((e) => e.kind === 'net.half-open');
        const open = w.world.trace.events.find((e) => e.kind === 'net.open');
        // A half-open during the upgrade swallows the upgrade; the client's own connect timeout
        // then closes it. That is the client acting, so this property starts once open.
        if (!ho || !open || open.t > ho.t) return;
        exercised++;
        for (const r of [...w.atServer, ...w.atClient]) expect(r.t).toBeLessThanOrEqual(ho.t);
        expect(w.closes).toEqual([]);
        expect(w.sendResults.every((ok) => ok)).toBe(true);
      }),
      { numRuns: 100, seed: 9 },
    );
    expect(exercised).toBeGreaterThan(20);
  });

  it('never resumes: frames sent later vanish too, and closeAfterMs ends it with 1006 on both ends', async () => {
    const w = pingPongWorld(1, [10, 100], [], { latencyMsMin: 2, latencyMsMax: 2 });
    w.world.schedule([{ at: 5, kind: 'half-open', target: 'client->server', closeAfterMs: 500 }]);
    await w.world.run();
    expect(w.atServer).toEqual([]);
    expect(w.world.trace.events.filter((e) => e.kind === 'net.vanish')).toHaveLength(2);
    expect(w.closes.map((c) => [c.side, c.code, c.t]).sort()).toEqual([
      ['client', 1006, 505],
      ['server', 1006, 505],
    ]);
  });

  it('healing does not revive a half-open connection (only the protocol can)', async () => {
    const w = pingPongWorld(1, [10, 100], [], { latencyMsMin: 2, latencyMsMax: 2 });
    w.world.schedule([{ at: 5, kind: 'half-open', target: '*' }]);
    w.world.healAt(50);
    await w.world.run();
    expect(w.atServer).toEqual([]);
    expect(w.closes).toEqual([]);
  });

  it('rejects durationMs with a hint', () => {
    const w = pingPongWorld(1, [], [], { latencyMsMin: 2, latencyMsMax: 2 });
    expect(w.world.faults.validate([{ at: 5, kind: 'half-open', target: '*', durationMs: 5 }])).toEqual([
      'faults[0].durationMs: a half-open connection never resumes; use closeAfterMs (1006 after it), or lag for a temporary stall',
    ]);
  });
});

describe('net: lag, refuse, close', () => {
  it('lag delays frames in the window and keeps their order', async () => {
    const w = pingPongWorld(1, [10, 11, 12, 80], [], { latencyMsMin: 1, latencyMsMax: 1 });
    w.world.schedule([{ at: 9, kind: 'lag', target: 'client', durationMs: 20, extraMs: 100 }]);
    await w.world.run();
    // the client opens at t=2 and sends at 12, 13, 14 (in the window) and 82 (after it)
    expect(w.atServer).toEqual([
      { t: 113, data: 'c0' },
      { t: 114, data: 'c1' },
      { t: 115, data: 'c2' },
      // sent after the window, but FIFO keeps it behind the lagged frames
      { t: 115, data: 'c3' },
    ]);
  });

  it('refuse fails the next connects with a status, an error or a timeout, then lets one through', async () => {
    const world = createWorld({ seed: 5 });
    const c = world.host('client');
    const outcomes: string[] = [];
    world.spawn('server', async () => {
      await world.host('server').net.listen(80, { connection: () => undefined });
    });
    world.schedule([
      { at: 0, kind: 'refuse', target: 'client->server', status: 502, count: 1 },
      { at: 0, kind: 'refuse', target: 'server', count: 1 },
      { at: 0, kind: 'refuse', target: '*', timeout: true, scope: 'ws' },
    ]);
    world.spawn('client', async () => {
      for (let i = 0; i < 4; i++) {
        try {
          await c.net.connect('ws://server:80/', { timeoutMs: 1_000 });
          outcomes.push('open');
        } catch (e) {
          expect(e).toBeInstanceOf(NetError);
          const err = e as NetError;
          outcomes.push(`${err.code}${err.status ? ' ' + err.status : ''}@${c.clock.now()}`);
        }
      }
    });
    await world.run();
    expect(outcomes.map((o) => o.replace(/@\d+/, ''))).toEqual(['UNEXPECTED_RESPONSE 502', 'ECONNREFUSED', 'ETIMEDOUT', 'open']);
  });

  it('a server can refuse an upgrade with a status (409 while another attach holds the slot)', async () => {
    const world = createWorld({ seed: 5 });
    let attached = false;
    world.spawn('server', async () => {
      await world.host('server').net.listen(80, {
        upgrade: () => (attached ? 409 : undefined),
        connection: () => {
          attached = true;
        },
      });
    });
    const statuses: Array<number | string> = [];
    world.spawn('client', async () => {
      const c = world.host('client');
      await c.net.connect('ws://server:80/a');
      await c.net.connect('ws://server:80/a').catch((e: NetError) => statuses.push(e.status ?? e.code));
    });
    await world.run();
    expect(statuses).toEqual([409]);
  });

  it('close: a proxy closes both ends with a code, in order after frames in flight', async () => {
    // accept at 5, open at 10; server frame sent at 15 (lands 20), client frame sent at 20 (lands 25)
    const w = pingPongWorld(1, [10], [10], { latencyMsMin: 5, latencyMsMax: 5 });
    w.world.schedule([{ at: 22, kind: 'close', target: 'server', code: 1011, reason: 'proxy' }]);
    await w.world.run();
    expect(w.atServer.map((r) => r.data)).toEqual(['c0']);
    expect(w.atClient.map((r) => r.data)).toEqual(['s0']);
    expect(w.closes.map((c) => [c.side, c.code]).sort()).toEqual([
      ['client', 1011],
      ['server', 1011],
    ]);
  });

  it('a graceful close completes the handshake on both ends', async () => {
    const world = createWorld({ seed: 2 });
    const got: string[] = [];
    world.spawn('server', async () => {
      await world.host('server').net.listen(80, {
        connection: (s) => {
          s.on('close', (code, reason) => got.push(`server ${code} ${reason}`));
          s.send('hello');
          s.close(1000, 'done');
        },
      });
    });
    world.spawn('client', async () => {
      const sock = await world.host('client').net.connect('ws://server:80/');
      const inbox = new Inbox(sock);
      const first = await inbox.next();
      const second = await inbox.next();
      got.push(JSON.stringify(first), JSON.stringify(second));
    });
    const r = await world.run();
    expect(r.status).toBe('idle');
    expect(got).toEqual([
      JSON.stringify({ type: 'message', data: 'hello', isBinary: false }),
      JSON.stringify({ type: 'close', code: 1000, reason: 'done' }),
      'server 1000 done',
    ]);
  });
});

describe('net: HTTP', () => {
  it('a status probe and a WebSocket frame are independent: either can arrive first', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const world = createWorld({ seed, net: { latencyMsMin: 1, latencyMsMax: 30 } });
      const arrivals: string[] = [];
      world.spawn('server', async () => {
        await world.host('server').net.listen(80, {
          connection: (s) => s.on('message', () => arrivals.push('ws')),
          request: () => {
            arrivals.push('http');
            return { status: 200, body: { ok: true } };
          },
        });
      });
      world.spawn('client', async () => {
        const c = world.host('client');
        const sock = await c.net.connect('ws://server:80/');
        sock.send('frame');
        const res = await c.net.request({ method: 'GET', url: 'http://server:80/status' });
        expect(res).toEqual({ status: 200, body: { ok: true } });
      });
      await world.run();
      orders.add(arrivals.join(','));
    }
    expect(orders).toEqual(new Set(['ws,http', 'http,ws']));
  });

  it('answers 404 without a handler, refuses without a server, and times out when told', async () => {
    const world = createWorld({ seed: 1 });
    const results: string[] = [];
    world.spawn('server', async () => {
      await world.host('server').net.listen(80, {});
    });
    world.schedule([{ at: 0, kind: 'refuse', target: 'server', scope: 'http', timeout: true }]);
    world.spawn('client', async () => {
      const c = world.host('client');
      const show = (p: Promise<{ status: number }>) =>
        p.then(
          (r) => results.push(`status ${r.status}`),
          (e: NetError) => results.push(e.code),
        );
      await show(c.net.request({ method: 'GET', url: 'http://server:80/x', timeoutMs: 100 }));
      await show(c.net.request({ method: 'GET', url: 'http://server:80/x' }));
      await show(c.net.request({ method: 'GET', url: 'http://nowhere:80/x' }));
    });
    await world.run();
    expect(results).toEqual(['ETIMEDOUT', 'status 404', 'ECONNREFUSED']);
  });
});

export type { World };
