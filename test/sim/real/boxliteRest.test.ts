/**
 * The attach-pump reference runner served for real (sim/real/boxliteRest.ts): the boxlite REST
 * routes over loopback HTTP, the attach over a real WebSocket with real pings, the single-attach
 * slot (409), the status probe, DELETE (then 404) and the truth recorded from the script; on a
 * dilated clock (x100) so the runner's 15 s keepalive takes 150 ms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveBoxliteRunner, type RunningBoxliteRunner } from '../../../sim/real/boxliteRest.ts';
import { DilatedClock } from '../../../sim/real/dilatedClock.ts';
import { RealTimeline } from '../../../sim/real/ports.ts';

let running: RunningBoxliteRunner | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(): Promise<RunningBoxliteRunner> {
  running = await serveBoxliteRunner({
    timeline: new RealTimeline(new DilatedClock(100)),
    script: {
      steps: [
        { atMs: 0, stream: 'stdout', data: 'part1\n' },
        { atMs: 20_000, stream: 'stderr', data: 'part2\n' },
      ],
      // the end leaves 40 virtual s (400 ms real) after part2: a 15 s keepalive ping fits even when
      // a loaded machine takes a few hundred ms between the exec and the attach
      end: { atMs: 60_000, code: 3 },
    },
    sizes: { backlogBytesMax: 256 * 1024, subscriberChunksMax: 256 },
  });
  return running;
}

const call = async (url: string, method: string, path: string, body?: unknown) => {
  const r = await fetch(`${url}/v1${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

interface Frame {
  kind: 'stdout' | 'stderr' | 'text' | 'ping';
  text: string;
}

function attach(url: string, path: string): Promise<{ ws: WebSocket; frames: Frame[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1${path}`);
    const frames: Frame[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (d: Buffer, isBinary) =>
      frames.push(isBinary ? { kind: d[0] === 1 ? 'stdout' : 'stderr', text: d.subarray(1).toString() } : { kind: 'text', text: d.toString() }),
    );
    ws.on('ping', () => frames.push({ kind: 'ping', text: '' }));
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the attach-pump runner over real HTTP and WebSocket', () => {
  it('serves create, exec, attach (with real pings), status and delete, and records the truth', async () => {
    const r = await start();
    const box = await call(r.url, 'POST', '/boxes', { image: 'alpine:latest' });
    expect(box.status).toBe(201);
    for (const k of ['box_id', 'status', 'created_at', 'updated_at', 'image', 'cpus', 'memory_mib']) expect(box.body).toHaveProperty(k);
    const id = box.body?.box_id as string;
    expect((await call(r.url, 'GET', `/boxes/${id}`)).status).toBe(200);
    const exec = await call(r.url, 'POST', `/boxes/${id}/exec`, { command: 'anything', args: [], tty: false });
    expect(exec.status).toBe(201);
    const eid = exec.body?.execution_id as string;
    const a = await attach(r.url, `/boxes/${id}/executions/${eid}/attach`);
    // the slot is taken: a second attach is refused before the upgrade
    await expect(attach(r.url, `/boxes/${id}/executions/${eid}/attach`)).rejects.toThrow('409');
    expect((await call(r.url, 'GET', `/boxes/${id}/executions/${eid}`)).body).toMatchObject({ status: 'running' });
    const code = await a.closed;
    expect(code).toBe(1000);
    const data = a.frames.filter((f) => f.kind !== 'ping');
    expect(data.map((f) => `${f.kind}:${f.text}`)).toEqual(['stdout:part1\n', 'stderr:part2\n', expect.stringMatching(/^text:\{"type":"exit","exit_code":3/)]);
    // up to 60 virtual s of a 15 s keepalive: at least one real Ping frame
    expect(a.frames.some((f) => f.kind === 'ping')).toBe(true);
    expect((await call(r.url, 'GET', `/boxes/${id}/executions/${eid}`)).body).toMatchObject({ status: 'completed', exit_code: 3 });
    expect((await call(r.url, 'DELETE', `/boxes/${id}/executions/${eid}`)).status).toBe(204);
    const gone = await call(r.url, 'GET', `/boxes/${id}/executions/${eid}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: { code: 404, type: 'NotFoundError' } });
    const rec = r.proc.records[0];
    expect(rec?.output.map((o) => Buffer.from(o.data).toString())).toEqual(['part1\n', 'part2\n']);
    expect(rec?.exit?.status.code).toBe(3);
    // virtual times: part2 20 s after part1 on the script, give or take the machine's timer jitter (x100)
    expect((rec?.output[1]?.t ?? 0) - (rec?.output[0]?.t ?? 0)).toBeGreaterThanOrEqual(10_000);
  });

  it('answers unknown routes and executions with boxlite error bodies', async () => {
    const r = await start();
    expect((await call(r.url, 'GET', '/boxes/nope/executions/x')).body).toMatchObject({ error: { code: 404 } });
    await expect(attach(r.url, '/boxes/box-1/executions/exec-9/attach')).rejects.toThrow('404');
    expect((await fetch(`${r.url}/boxes`)).status).toBe(404);
  });
});
