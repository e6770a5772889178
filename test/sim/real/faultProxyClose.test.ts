/**
 * The fault proxy passes a close on as the wire carried it, in both directions: no close frame
 * (the peer's TCP connection just ended: 1006) gives no close frame on the other side; a close
 * frame without a status (1005) gives one without a status; a code and reason are forwarded as
 * they are. A proxy that turned the first two into a clean 1000 would hide a client that takes
 * any close for the end of the stream. Raw `ws` ends on both sides, real loopback sockets.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Fault } from '../../../sim/faults/fault.ts';
import { RealClock } from '../../../sim/real/clock.ts';
import { FaultProxy } from '../../../sim/real/faultProxy.ts';
import { RealTimeline } from '../../../sim/real/ports.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

type Ending = (ws: WebSocket) => void;
const endings: Array<[string, Ending, { code: number; reason: string }]> = [
  ['no close frame (TCP just ends)', (ws) => ws.terminate(), { code: 1006, reason: '' }],
  ['a close frame without a status', (ws) => ws.close(), { code: 1005, reason: '' }],
  ['a close frame with a code and reason', (ws) => ws.close(4001, 'gone away, on purpose'), { code: 4001, reason: 'gone away, on purpose' }],
];

/** An upstream on loopback, the proxy in front of it, and a client through the proxy; both ends' sockets are handed back. */
async function link(faults: Fault[] = []): Promise<{ client: WebSocket; upstream: WebSocket; proxy: FaultProxy; timeline: RealTimeline }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const timeline = new RealTimeline(new RealClock());
  const proxy = new FaultProxy(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, timeline);
  await proxy.start();
  proxy.inject(faults);
  const client = new WebSocket(proxy.url + '/x');
  cleanup.push(
    () => new Promise<void>((r) => wss.close(() => r())),
    () => proxy.stop(),
    () => client.terminate(),
  );
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const upstream = await within(accepted, 'the upstream never saw the proxied connection');
  upstream.on('error', () => undefined);
  cleanup.push(() => upstream.terminate());
  return { client, upstream, proxy, timeline };
}

/** A promise bounded at 5 s, so a proxy that never passes the close on fails instead of hanging. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} within 5 s`)), 5_000);
    void p.then((v) => (clearTimeout(t), resolve(v)));
  });
}

/** Resolves once `cond` holds, polled every 10 ms; fails after 5 s. */
function until(cond: () => boolean, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const start = Date.now();
    const poll = () => (cond() ? resolve() : Date.now() - start > 5_000 ? reject(new Error(`${what} within 5 s`)) : setTimeout(poll, 10));
    poll();
  });
}

const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((r) => ws.once('close', (code: number, reason: Buffer) => r({ code, reason: reason.toString() })));

describe('fault proxy: a close is passed on as the wire carried it', () => {
  for (const [what, end, seen] of endings) {
    it(`executor -> client: ${what} reaches the client as ${seen.code}`, async () => {
      const { client, upstream } = await link();
      const got = closed(client);
      end(upstream);
      expect(await within(got, 'the client saw no close')).toEqual(seen);
    }, 15_000);

    it(`client -> executor: ${what} reaches the executor as ${seen.code}`, async () => {
      const { client, upstream } = await link();
      const got = closed(upstream);
      end(client);
      expect(await within(got, 'the executor saw no close')).toEqual(seen);
    }, 15_000);
  }
});

/** The data frames an end receives up to its close, and the close. */
const framesThenClose = (ws: WebSocket): Promise<{ frames: string[]; code: number; reason: string }> => {
  const frames: string[] = [];
  ws.on('message', (d: Buffer) => frames.push(d.toString()));
  return closed(ws).then((c) => ({ frames: [...frames], ...c }));
};

describe('fault proxy: a close waits for the frames a lag still holds (a network delivers them first)', () => {
  const LAG: Fault[] = [{ at: 0, kind: 'lag', target: '*', durationMs: 60_000, extraMs: 300 }];
  for (const [what, end, seen] of endings.filter(([, , s]) => s.code !== 1006)) {
    it(`executor -> client: two frames then ${what}: the client gets both, then ${seen.code}`, async () => {
      const { client, upstream } = await link(LAG);
      const got = framesThenClose(client);
      upstream.send('one');
      upstream.send('two');
      end(upstream);
      expect(await within(got, 'the client saw no close')).toEqual({ frames: ['one', 'two'], ...seen });
    }, 15_000);

    it(`client -> executor: two frames then ${what}: the executor gets both, then ${seen.code}`, async () => {
      const { client, upstream } = await link(LAG);
      const got = framesThenClose(upstream);
      client.send('one');
      client.send('two');
      end(client);
      expect(await within(got, 'the executor saw no close')).toEqual({ frames: ['one', 'two'], ...seen });
    }, 15_000);
  }

  it('the close fault too goes out after the frames a lag holds, in each direction (as the simulated network sends it)', async () => {
    const { client, upstream, proxy, timeline } = await link(LAG);
    const toClient = framesThenClose(client);
    const toExecutor = framesThenClose(upstream);
    upstream.send('one');
    upstream.send('two');
    client.send('three');
    await until(() => timeline.events.filter((e) => e.kind === 'proxy.frame').length === 3, 'the proxy got the three frames');
    proxy.inject([{ at: 0, kind: 'close', target: '*', code: 4002, reason: 'proxy' }]);
    expect(await within(toClient, 'the client saw no close')).toEqual({ frames: ['one', 'two'], code: 4002, reason: 'proxy' });
    expect(await within(toExecutor, 'the executor saw no close')).toEqual({ frames: ['three'], code: 4002, reason: 'proxy' });
  }, 15_000);
});
