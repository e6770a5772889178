/**
 * One conformance body, run against the simulated ports and the real ones (loopback `ws`, real
 * timers): drift between the two shows up here, not in a validator run.
 */
import { describe, expect, it } from 'vitest';
import { Inbox, NetError, type Clock, type Net } from '../../../sim/ports/index.ts';
import { RealClock } from '../../../sim/real/clock.ts';
import { RealNet, assertLoopback } from '../../../sim/real/net.ts';
import { createRealWorld } from '../../../sim/real/realWorld.ts';
import { createWorld, type World } from '../../../sim/world.ts';

async function conformance(server: { net: Net }, client: { net: Net; clock: Clock }): Promise<string[]> {
  const log: string[] = [];
  const srv = await server.net.listen(0, {
    upgrade: (req) => (req.path === '/busy' ? 409 : undefined),
    connection: (s) => {
      s.on('message', (d, isBinary) => {
        if (d === 'bye') s.close(4000, 'asked to');
        else s.send(isBinary ? new Uint8Array([...(d as Uint8Array)].reverse()) : `echo:${String(d)}`);
      });
    },
    request: (req) => ({ status: 201, body: { method: req.method, path: req.path, got: req.body } }),
  });
  const host = srv.url.replace('ws://', '');
  const sock = await client.net.connect(`ws://${host}/attach`);
  const inbox = new Inbox(sock);
  sock.send('a');
  sock.send(new Uint8Array([1, 2, 3]));
  const m1 = await inbox.next();
  const m2 = await inbox.next();
  log.push(JSON.stringify(m1), m2.type === 'message' ? `${m2.isBinary}:${[...(m2.data as Uint8Array)].join(',')}` : 'no');
  sock.send('bye');
  const c = await inbox.next();
  log.push(JSON.stringify(c));
  log.push(`sent after close: ${sock.send('late')}`);
  try {
    await client.net.connect(`ws://${host}/busy`);
  } catch (e) {
    log.push(`refused: ${(e as NetError).code} ${(e as NetError).status}`);
  }
  const res = await client.net.request({ method: 'POST', url: `http://${host}/boxes/b/exec`, body: { cmd: ['echo', 'hi'] } });
  log.push(JSON.stringify(res));
  await srv.close();
  return log;
}

const EXPECTED = [
  JSON.stringify({ type: 'message', data: 'echo:a', isBinary: false }),
  'true:3,2,1',
  JSON.stringify({ type: 'close', code: 4000, reason: 'asked to' }),
  'sent after close: false',
  'refused: UNEXPECTED_RESPONSE 409',
  JSON.stringify({ status: 201, body: { method: 'POST', path: '/boxes/b/exec', got: { cmd: ['echo', 'hi'] } } }),
];

describe('ports parity: simulated and real adapters behave alike', () => {
  it('simulated', async () => {
    const world = createWorld({ seed: 1 });
    let log: string[] = [];
    world.spawn('client', async () => {
      log = await conformance(world.host('server'), world.host('client'));
    });
    const r = await world.run();
    expect(world.errors).toEqual([]);
    expect(r.status).toBe('idle');
    expect(log).toEqual(EXPECTED);
  });

  it('real (loopback ws, real timers)', async () => {
    const net = new RealNet();
    try {
      expect(await conformance({ net }, { net, clock: new RealClock() })).toEqual(EXPECTED);
    } finally {
      net.closeAll();
    }
  }, 20_000);

  it('real-mode world (dilated real time, host names on loopback ports)', async () => {
    const { world, dispose } = createRealWorld({ seed: 1 }, 100);
    let log: string[] = [];
    try {
      world.spawn('client', async () => {
        log = await conformance(world.host('server'), world.host('client'));
      });
      const r = await world.run(600_000);
      expect(world.errors).toEqual([]);
      expect(r.status).toBe('idle');
    } finally {
      dispose();
    }
    expect(log).toEqual(EXPECTED);
  }, 20_000);

  it('real-mode world: cut afterFrames hands the client exactly n frames, then 1006', async () => {
    const { world, dispose } = createRealWorld({ seed: 1 }, 100);
    const got: string[] = [];
    try {
      world.schedule([{ at: 0, kind: 'cut', target: 'client->server', afterFrames: 2 }]);
      world.spawn('server', async () => {
        await world.host('server').net.listen(80, {
          connection: (s) => s.on('message', () => ['a', 'b', 'c', 'd', 'e'].forEach((f) => s.send(f))),
        });
      });
      world.spawn('client', async () => {
        const sock = await world.host('client').net.connect('ws://server:80/');
        const inbox = new Inbox(sock);
        sock.send('go');
        for (;;) {
          const m = await inbox.next();
          got.push(m.type === 'message' ? String(m.data) : `close ${m.code}`);
          if (m.type === 'close') break;
        }
      });
      await world.run(600_000);
      expect(world.errors).toEqual([]);
    } finally {
      dispose();
    }
    expect(got).toEqual(['a', 'b', 'close 1006']);
  }, 20_000);

  // The two real-mode drifts behind the bench's parity flakes, each run in both worlds.
  /** A server that speaks first: on accept it sends three frames and closes (as the attach runner does after an exit). */
  async function speaksFirst(world: World): Promise<string[]> {
    const got: string[] = [];
    world.spawn('server', async () => {
      await world.host('server').net.listen(80, {
        connection: (s) => {
          for (const f of ['a', 'b', 'c']) s.send(f);
          s.close(1000, 'done');
        },
      });
    });
    world.spawn('client', async () => {
      await world.host('client').clock.sleep(10);
      const sock = await world.host('client').net.connect('ws://server:80/');
      const inbox = new Inbox(sock);
      for (;;) {
        const m = await inbox.next();
        got.push(m.type === 'message' ? String(m.data) : `close ${m.code}`);
        if (m.type === 'close') break;
      }
    });
    await world.run(600_000);
    expect(world.errors).toEqual([]);
    return got;
  }

  /** A client that dials in the same instant as the server listens, before it in lane order. */
  async function dialsFirst(world: World): Promise<string> {
    let got = '';
    world.spawn('client', async () => {
      try {
        const sock = await world.host('client').net.connect('ws://server:80/');
        got = `connected ${sock.readyState}`;
        sock.close();
      } catch (e) {
        got = `refused ${(e as NetError).code}`;
      }
    });
    world.spawn('server', async () => {
      const srv = await world.host('server').net.listen(80, { connection: () => undefined });
      await world.host('server').clock.sleep(1_000);
      await srv.close();
    });
    await world.run(600_000);
    expect(world.errors).toEqual([]);
    return got;
  }

  for (const [name, make] of [
    ['simulated', () => ({ world: createWorld({ seed: 1, sched: { shuffle: false } }), dispose: () => undefined })],
    ['real-mode', () => createRealWorld({ seed: 1, sched: { shuffle: false } }, 100)],
  ] as const) {
    it(`${name} world: a server that speaks first at accept loses no frame`, async () => {
      const { world, dispose } = make();
      try {
        expect(await speaksFirst(world)).toEqual(['a', 'b', 'c', 'close 1000']);
      } finally {
        dispose();
      }
    }, 20_000);

    it(`${name} world: a connect dialled before the server listens, in the same instant, is accepted`, async () => {
      const { world, dispose } = make();
      try {
        expect(await dialsFirst(world)).toBe('connected 1');
      } finally {
        dispose();
      }
    }, 20_000);
  }

  it('real mode refuses anything but loopback', async () => {
    expect(() => assertLoopback('ws://10.0.0.5:4000')).toThrow(
      'real-network mode talks to loopback only (127.0.0.1, localhost, ::1), not 10.0.0.5',
    );
    expect(assertLoopback('ws://127.0.0.1:4000').port).toBe('4000');
    await expect(new RealNet().connect('ws://example.com:80/')).rejects.toThrow(/loopback only/);
  });
});
