import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, TIMED_OUT, type NetError, type Server } from '../../../sim/ports/index.ts';
import { RealClock } from '../../../sim/real/clock.ts';
import type { Fault } from '../../../sim/faults/fault.ts';
import { FaultProxy } from '../../../sim/real/faultProxy.ts';
import { RealNet } from '../../../sim/real/net.ts';
import { RealTimeline } from '../../../sim/real/ports.ts';

const clock = new RealClock();
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** An upstream that answers every frame with three numbered frames. */
async function setup(faults: Fault[]) {
  const net = new RealNet();
  const upstream: Server = await net.listen(0, {
    connection: (s) => s.on('message', (d) => [1, 2, 3].forEach((i) => s.send(`${String(d)}-${i}`))),
  });
  const timeline = new RealTimeline(clock);
  const proxy = new FaultProxy(upstream.url, timeline);
  await proxy.start();
  proxy.inject(faults);
  cleanup.push(
    () => net.closeAll(),
    () => proxy.stop(),
  );
  return { net, proxy, timeline };
}

describe('fault proxy (real sockets on loopback)', () => {
  it('a client that resets a refused upgrade does not crash the proxy (its socket errors are handled)', async () => {
    const { net, proxy } = await setup([{ at: 0, kind: 'refuse', target: '*', scope: 'ws', count: 40, status: 503 }]);
    const port = new URL(proxy.url).port;
    // raw upgrades, each reset (RST) as soon as it is sent: the proxy's 503 meets a reset socket
    await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          new Promise<void>((resolve) => {
            const c = tcpConnect({ host: '127.0.0.1', port: Number(port) }, () => {
              c.write(
                `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
              );
              setImmediate(() => c.resetAndDestroy());
            });
            c.on('error', () => undefined);
            c.on('close', () => resolve());
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    // refusals spent, the proxy still forwards
    const inbox = new Inbox(await net.connect(proxy.url + '/x'));
    void inbox;
    expect(proxy.openConnections().length).toBe(1);
  });

  it('forwards frames both ways in order', async () => {
    const { net, proxy } = await setup([]);
    const inbox = new Inbox(await net.connect(proxy.url + '/x'));
    const s = await net.connect(proxy.url + '/x');
    const ib = new Inbox(s);
    s.send('a');
    const got = [await ib.next(), await ib.next(), await ib.next()].map((m) => (m.type === 'message' ? m.data : m.code));
    expect(got).toEqual(['a-1', 'a-2', 'a-3']);
    void inbox;
  });

  it('cuts after the n-th frame: the client gets exactly n frames, then 1006', async () => {
    const { net, proxy, timeline } = await setup([{ at: 0, kind: 'cut', target: '*', afterFrames: 2, dir: 's2c' }]);
    const items: string[] = [];
    const sock = await net.connect(proxy.url);
    const inbox = new Inbox(sock);
    sock.send('q');
    for (;;) {
      const m = await inbox.nextWithin(clock, 5_000);
      if (m === TIMED_OUT) break;
      items.push(m.type === 'message' ? String(m.data) : `close ${m.code}`);
      if (m.type === 'close') break;
    }
    expect(items).toEqual(['q-1', 'q-2', 'close 1006']);
    expect(timeline.events.filter((e) => e.kind === 'fault').map((e) => e.data?.kind)).toEqual(['cut']);
  }, 15_000);

  it('refuses the next connect with a status, then lets one through', async () => {
    const { net, proxy } = await setup([{ at: 0, kind: 'refuse', target: 'client->executor', count: 1, status: 502 }]);
    await expect(net.connect(proxy.url)).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 502 } satisfies Partial<NetError>);
    const ok = await net.connect(proxy.url);
    expect(ok.readyState).toBe(1);
  });

  it('half-open: frames stop, nobody is told, until closeAfterMs drops both ends', async () => {
    const { net, proxy, timeline } = await setup([]);
    const sock = await net.connect(proxy.url);
    await clock.sleep(50);
    proxy.inject([{ at: 0, kind: 'half-open', target: '*', closeAfterMs: 400 }]);
    await clock.sleep(50);
    const inbox = new Inbox(sock);
    sock.send('q');
    const m = await inbox.nextWithin(clock, 2_000);
    expect(m !== TIMED_OUT && m.type === 'close' ? m.code : m).toBe(1006);
    expect(timeline.events.some((e) => e.kind === 'proxy.vanish')).toBe(true);
  }, 10_000);

  it('names connections as the simulator does: a cut on client->executor#2 leaves #1 alone', async () => {
    const { net, proxy, timeline } = await setup([]);
    const first = new Inbox(await net.connect(proxy.url));
    const second = new Inbox(await net.connect(proxy.url));
    await clock.sleep(50);
    proxy.inject([{ at: 0, kind: 'cut', target: 'client->executor#2' }]);
    const m = await second.nextWithin(clock, 2_000);
    expect(m !== TIMED_OUT && m.type === 'close' ? m.code : m).toBe(1006);
    expect(await first.nextWithin(clock, 200)).toBe(TIMED_OUT);
    expect(proxy.openConnections()).toEqual(['client->executor#1']);
    expect(timeline.events.filter((e) => e.kind === 'proxy.connect').map((e) => e.data?.id)).toEqual([
      'client->executor#1',
      'client->executor#2',
    ]);
  });

  it('rejects a fault the simulator would reject, with the same JSON path and words', async () => {
    const { proxy } = await setup([]);
    expect(() =>
      proxy.inject([
        { at: 0, kind: 'cut', target: '*', afterFrame: 2 },
        { at: 0, kind: 'teleport' },
      ]),
    ).toThrow(
      [
        'invalid proxy faults:',
        '  - faults[0].afterFrame: unknown field (expected one of at, kind, target, afterFrames, dir)',
        '  - faults[1].kind: unknown fault kind "teleport" (known: cut, half-open, lag, refuse, close)',
      ].join('\n'),
    );
  });
});
