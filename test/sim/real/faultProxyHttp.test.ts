/**
 * The fault proxy's HTTP side and its control frames: plain requests (REST calls, status probes)
 * pass through to the upstream and `refuse` with scope http answers them instead; WebSocket
 * pings and pongs travel end to end, and a half-open link swallows them (no proxy-side pong
 * hides a hang).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Fault } from '../../../sim/faults/fault.ts';
import { RealClock } from '../../../sim/real/clock.ts';
import { FaultProxy } from '../../../sim/real/faultProxy.ts';
import { RealNet } from '../../../sim/real/net.ts';
import { RealTimeline } from '../../../sim/real/ports.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(faults: Fault[]) {
  const net = new RealNet();
  const upstream = await net.listen(0, {
    request: (req) => ({ status: 200, body: { echo: `${req.method} ${req.path}`, body: req.body ?? null } }),
    connection: () => undefined,
  });
  const timeline = new RealTimeline(new RealClock());
  const proxy = new FaultProxy(upstream.url, timeline);
  await proxy.start();
  proxy.inject(faults);
  cleanup.push(
    () => net.closeAll(),
    () => proxy.stop(),
  );
  return { proxy, http: `http://127.0.0.1:${proxy.port}` };
}

const pingAnswered = (ws: WebSocket, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    ws.once('pong', () => {
      clearTimeout(t);
      resolve(true);
    });
    ws.ping();
  });

const open = (url: string): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });

describe('fault proxy: HTTP pass-through and control frames', () => {
  it('passes plain HTTP through with method, path and body', async () => {
    const { http } = await setup([]);
    const r = await fetch(`${http}/v1/boxes/b/exec?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ echo: 'POST /v1/boxes/b/exec?x=1', body: { a: 1 } });
  });

  it('refuse with scope http answers the next count requests with the status, then passes again', async () => {
    const { http } = await setup([{ at: 0, kind: 'refuse', target: '*', scope: 'http', count: 2, status: 503 }]);
    await new Promise((r) => setTimeout(r, 50));
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fetch(`${http}/v1/x`)).status);
    expect(codes).toEqual([503, 503, 200]);
  });

  it('forwards pings end to end; a half-open link answers none', async () => {
    // the half-open comes 1.5 s after the fault schedule starts: room for a loaded machine to open
    // the socket and get the first pong before it, and the second ping is sent only after it
    const t0 = performance.now();
    const { proxy } = await setup([{ at: 1_500, kind: 'half-open', target: '*' }]);
    const ws = await open(proxy.url + '/a');
    cleanup.push(() => ws.terminate());
    expect(await pingAnswered(ws, 1_000)).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 1_800 - performance.now())));
    expect(await pingAnswered(ws, 500)).toBe(false);
  });
});
