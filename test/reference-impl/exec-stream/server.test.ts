import { describe, expect, it } from 'vitest';
import type { ProcessScript } from '../../../sim/ports/index.ts';
import { RawPeer, START, harness, inWorld } from './serverHarness.ts';

// The observed 0.169 session: `echo hi; echo err >&2; seq 1 3; exit 3`.
const OBSERVED: ProcessScript = {
  steps: [
    { atMs: 1, stream: 'stdout', data: 'hi\n' },
    { atMs: 2, stream: 'stderr', data: 'err\n' },
    { atMs: 3, stream: 'stdout', data: '1\n2\n3\n' },
  ],
  end: { atMs: 4, code: 3 },
};

describe('exec-server: the wire, frame for frame (codex-exec-server-observed.md)', () => {
  it('a short command on one connection gives the frames the 0.169 binary gave', async () => {
    const h = harness(1, { sh: { script: OBSERVED } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      const init = JSON.parse(await peer.request('initialize', { clientName: 'probe' }));
      expect(Object.keys(init)).toEqual(['id', 'result']);
      expect(init.result.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      peer.sendRaw('{"method":"initialized","params":{}}');
      expect(await peer.request('process/start', START('p1', 'sh'))).toBe('{"id":2,"result":{"processId":"p1","sandboxType":"none"}}');
      await peer.notificationsUntil(5);
      expect(peer.notifications).toEqual([
        '{"method":"process/output","params":{"processId":"p1","seq":1,"stream":"stdout","chunk":"aGkK"}}',
        '{"method":"process/output","params":{"processId":"p1","seq":2,"stream":"stderr","chunk":"ZXJyCg=="}}',
        '{"method":"process/output","params":{"processId":"p1","seq":3,"stream":"stdout","chunk":"MQoyCjMK"}}',
        '{"method":"process/exited","params":{"processId":"p1","seq":4,"exitCode":3,"sandboxDenied":false}}',
        '{"method":"process/closed","params":{"processId":"p1","seq":5}}',
      ]);
      expect(await peer.request('process/read', { processId: 'p1', afterSeq: 0 })).toBe(
        '{"id":3,"result":{"chunks":[{"seq":1,"stream":"stdout","chunk":"aGkK"},{"seq":2,"stream":"stderr","chunk":"ZXJyCg=="},{"seq":3,"stream":"stdout","chunk":"MQoyCjMK"}],"nextSeq":6,"exited":true,"exitCode":3,"closed":true,"failure":null,"sandboxDenied":false}}',
      );
      // maxBytes given: nextSeq is the last returned chunk + 1; the first chunk is always included.
      expect(await peer.request('process/read', { processId: 'p1', afterSeq: 2, maxBytes: 3 })).toBe(
        '{"id":4,"result":{"chunks":[{"seq":3,"stream":"stdout","chunk":"MQoyCjMK"}],"nextSeq":4,"exited":true,"exitCode":3,"closed":true,"failure":null,"sandboxDenied":false}}',
      );
    });
  });

  it('refuses what the binary refuses, with its codes and texts', async () => {
    const h = harness(2, { sh: { script: OBSERVED } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      expect((await peer.call('process/read', { processId: 'p1' })).error?.code).toBe(-32600);
      await peer.handshake();
      const bare = await peer.call('process/start', START('p1', 'sh', { cwd: '/tmp' }));
      expect(bare.error).toEqual({ code: -32602, message: 'invalid URI: relative URL without a base' });
      expect((await peer.call('process/read', { processId: 'p1' })).error).toEqual({ code: -32600, message: 'unknown process id p1' });
      expect((await peer.call('process/start', START('p1', 'sh', { argv: [] }))).error?.code).toBe(-32602);
      expect((await peer.call('process/start', START('p1', 'missing'))).error?.code).toBe(-32603);
      expect((await peer.call('process/start', START('p1', 'sh'))).result).toEqual({ processId: 'p1', sandboxType: 'none' });
      expect((await peer.call('process/start', START('p1', 'sh'))).error).toEqual({ code: -32600, message: 'process p1 already exists' });
      peer.sendRaw('{"method":"process/bogus","params":{}}');
      await h.client.clock.sleep(10);
      expect(peer.frames.some((f) => f.startsWith('{"id":-1,"error":'))).toBe(true);
      expect((await peer.call('process/write', { processId: 'zz', chunk: '', writeId: 'w1' })).result).toEqual({
        status: 'unknownProcess',
      });
      expect((await peer.call('process/write', { processId: 'p1', chunk: 'eA==', writeId: 'w1' })).result).toEqual({
        status: 'stdinClosed',
      });
    });
  });
});

describe('exec-server: seq rules (spec §1.5)', () => {
  it('one counter from 1 shared by output, exit and close; exited before closed; closed last; output may follow exited', async () => {
    let outputAfterExit = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const script: ProcessScript = {
        steps: [
          { atMs: 1, stream: 'stdout', data: 'a' },
          { atMs: 2, stream: 'stderr', data: 'b' },
          { atMs: 3, stream: 'stdout', data: 'c' },
        ],
        end: { atMs: 3, code: 0 },
      };
      const h = harness(seed, { sh: { script } }, { pipeJitterMsMax: 4, sendJitterMsMax: 3 });
      await inWorld(h, async () => {
        const peer = await RawPeer.connect(h.client);
        await peer.handshake();
        await peer.call('process/start', START('p1', 'sh'));
        await peer.notificationsUntil(5);
      });
      const seqs = h.server.ledger.seqs;
      expect(seqs.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(seqs[seqs.length - 1]?.type).toBe('closed');
      const exitAt = seqs.findIndex((s) => s.type === 'exited');
      expect(exitAt).toBeGreaterThanOrEqual(0);
      if (seqs.slice(exitAt).some((s) => s.type === 'output')) outputAfterExit++;
    }
    expect(outputAfterExit).toBeGreaterThan(0); // the rule was exercised, not vacuous
  });

  it('notifications can leave out of seq order (independent tasks), and a held one arrives late', async () => {
    const script: ProcessScript = { steps: [{ atMs: 1, stream: 'stdout', data: 'a' }], end: { atMs: 2, code: 0 } };
    const h = harness(3, { sh: { script } }, { holds: new Map([[1, { ms: 50 }]]) });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(3);
      // the stdout task is blocked on seq 1, and its end of stream (which emits Closed) waits behind it
      expect(peer.notifications.map((n) => JSON.parse(n).params.seq)).toEqual([2, 1, 3]);
    });
  });
});

describe('exec-server: retained output and process/read (spec §1.6)', () => {
  const many: ProcessScript = {
    steps: [1, 2, 3, 4, 5].map((i) => ({ atMs: i, stream: 'stdout' as const, data: `${i}${i}${i}\n` })),
    end: { atMs: 10, code: 0 },
  };

  it('evicts the oldest chunks over the byte cap, silently: a read after an evicted seq starts at the oldest retained', async () => {
    const h = harness(4, { sh: { script: many } }, { retainedBytesMax: 9 });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(7);
      const r = (await peer.call<{ chunks: Array<{ seq: number }>; nextSeq: number }>('process/read', { processId: 'p1', afterSeq: 1 }))
        .result;
      expect(r?.chunks.map((c) => c.seq)).toEqual([4, 5]);
      expect(r?.nextSeq).toBe(8);
    });
    expect(h.server.ledger.evicted.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('evicts over the chunk cap too', async () => {
    const h = harness(5, { sh: { script: many } }, { retainedChunksMax: 2 });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(7);
      const r = (await peer.call<{ chunks: Array<{ seq: number }> }>('process/read', { processId: 'p1' })).result;
      expect(r?.chunks.map((c) => c.seq)).toEqual([4, 5]);
    });
  });

  it('the old nextSeq rule (a legacy server) answers last chunk + 1 even without maxBytes', async () => {
    const h = harness(6, { sh: { script: many } }, { oldNextSeq: true });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(7);
      expect((await peer.call<{ nextSeq: number }>('process/read', { processId: 'p1' })).result?.nextSeq).toBe(6);
      expect((await peer.call<{ nextSeq: number }>('process/read', { processId: 'p1', afterSeq: 5 })).result?.nextSeq).toBe(8);
    });
  });

  it('long-polls: returns when output arrives, and does not spin on an exit already seen while a grandchild holds the pipes (#19130)', async () => {
    const script: ProcessScript = {
      steps: [{ atMs: 100, stream: 'stdout', data: 'x' }],
      end: { atMs: 200, code: 0 },
      childHoldsPipesMs: 1_000,
    };
    const h = harness(7, { sh: { script } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      const t0 = h.client.clock.now();
      const first = (await peer.call<{ chunks: unknown[] }>('process/read', { processId: 'p1', waitMs: 5_000 })).result;
      expect(first?.chunks).toHaveLength(1);
      expect(h.client.clock.now() - t0).toBeLessThan(150);
      // the exit (seq 2) is new to a reader after seq 1: returned at once
      const exit = (await peer.call<{ exited: boolean; closed: boolean }>('process/read', { processId: 'p1', afterSeq: 1, waitMs: 5_000 }))
        .result;
      expect(exit).toMatchObject({ exited: true, closed: false });
      // after the exit was seen, the read waits for closed instead of returning at once
      const t1 = h.client.clock.now();
      const closed = (await peer.call<{ closed: boolean }>('process/read', { processId: 'p1', afterSeq: 2, waitMs: 5_000 })).result;
      expect(closed?.closed).toBe(true);
      expect(h.client.clock.now() - t1).toBeGreaterThan(500);
      // and a deadline ends a wait with nothing new
      const t2 = h.client.clock.now();
      await peer.call('process/read', { processId: 'p1', afterSeq: 3, waitMs: 300 });
      expect(h.client.clock.now() - t2).toBeLessThan(50); // closed: at once
    });
  });

  it('forgets an exited process 30 s after Closed: read is unknown, write is unknownProcess', async () => {
    const h = harness(8, { sh: { script: many } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(7);
      await h.client.clock.sleep(29_000);
      expect((await peer.call('process/read', { processId: 'p1' })).result).toBeDefined();
      await h.client.clock.sleep(1_100);
      expect((await peer.call('process/read', { processId: 'p1' })).error).toEqual({ code: -32600, message: 'unknown process id p1' });
      expect((await peer.call('process/write', { processId: 'p1', chunk: '', writeId: 'w' })).result).toEqual({ status: 'unknownProcess' });
    });
    expect(h.server.ledger.forgotten).toHaveLength(1);
  });
});

describe('exec-server: sessions, detach and resume (spec §1.2, #28512)', () => {
  const slow: ProcessScript = {
    steps: [1, 2, 3, 4, 5, 6].map((i) => ({ atMs: 1 + (i - 1) * 300, stream: 'stdout' as const, data: `line${i}\n` })),
    end: { atMs: 1_800, code: 7 },
  };

  it('a cut detaches: output while detached is not pushed again after resume, but read returns it (the observed cut)', async () => {
    const h = harness(9, { sh: { script: slow } });
    await inWorld(h, async () => {
      const a = await RawPeer.connect(h.client);
      const id = await a.handshake();
      await a.call('process/start', START('p1', 'sh'));
      await h.client.clock.sleep(520);
      a.socket.close(1000);
      await h.client.clock.sleep(1_180);
      const b = await RawPeer.connect(h.client);
      expect(await b.handshake(id)).toBe(id);
      await b.notificationsUntil(2);
      expect(b.notifications.map((n) => JSON.parse(n).method)).toEqual(['process/exited', 'process/closed']);
      const r = (await b.call<{ chunks: Array<{ seq: number }> }>('process/read', { processId: 'p1', afterSeq: 0 })).result;
      expect(r?.chunks.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(a.notifications.length).toBe(2);
    });
    expect(h.server.ledger.notifications.filter((n) => n.dropped).map((n) => n.seq)).toEqual([3, 4, 5, 6]);
  });

  it('resume while attached is -32010; an unknown id is -32600; after 30 s detached the session is gone and its process killed', async () => {
    const long: ProcessScript = { steps: [{ atMs: 1, stream: 'stdout', data: 'x' }], end: { atMs: 100_000, code: 0 } };
    const h = harness(10, { sh: { script: long } });
    await inWorld(h, async () => {
      const a = await RawPeer.connect(h.client);
      const id = await a.handshake();
      await a.call('process/start', START('p1', 'sh'));
      const b = await RawPeer.connect(h.client);
      expect((await b.call('initialize', { clientName: 'x', resumeSessionId: id })).error).toEqual({
        code: -32010,
        message: `session ${id} is already attached`,
      });
      expect((await b.call('initialize', { clientName: 'x', resumeSessionId: 'nope' })).error).toEqual({
        code: -32600,
        message: 'unknown session id nope',
      });
      a.socket.close(1000);
      await h.client.clock.sleep(30_500);
      const c = await RawPeer.connect(h.client);
      expect((await c.call('initialize', { clientName: 'x', resumeSessionId: id })).error?.code).toBe(-32600);
    });
    expect(h.server.ledger.expiredSessions).toHaveLength(1);
    expect(h.world.proc.records.find((r) => r.name === 'job')?.exit?.status.signal).toBe('SIGKILL');
  });
});

describe('exec-server: writes and denials', () => {
  it('a retried writeId is accepted without sending the bytes twice', async () => {
    const echo: ProcessScript = { steps: [], end: { atMs: 1_000, code: 0 }, echoStdinAfterMs: 1 };
    const h = harness(11, { cat: { script: echo } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'cat', { pipeStdin: true }));
      for (const id of ['w1', 'w1', 'w2'])
        expect((await peer.call('process/write', { processId: 'p1', chunk: 'eA==', writeId: id })).result).toEqual({ status: 'accepted' });
    });
    const rec = h.world.proc.records.find((r) => r.name === 'job');
    expect(rec?.output.map((o) => Buffer.from(o.data).toString())).toEqual(['x', 'x']);
  });

  const denied: ProcessScript = {
    steps: [{ atMs: 1, stream: 'stderr', data: 'touch: /etc/x: Permission denied\n' }],
    end: { atMs: 2, code: 1 },
  };

  it('a sandboxed denial is classified from retained output into process/exited and read; a legacy server omits it from exited', async () => {
    for (const legacy of [false, true]) {
      const h = harness(12, { sh: { script: denied, sandboxType: 'linuxSeccomp' } }, { legacyExited: legacy });
      await inWorld(h, async () => {
        const peer = await RawPeer.connect(h.client);
        await peer.handshake();
        expect((await peer.call('process/start', START('p1', 'sh'))).result).toEqual({ processId: 'p1', sandboxType: 'linuxSeccomp' });
        await peer.notificationsUntil(3);
        const exited = JSON.parse(peer.notifications.find((n) => n.includes('process/exited')) as string).params;
        expect(exited).toEqual(
          legacy ? { processId: 'p1', seq: 2, exitCode: 1 } : { processId: 'p1', seq: 2, exitCode: 1, sandboxDenied: true },
        );
        expect((await peer.call<{ sandboxDenied: boolean }>('process/read', { processId: 'p1' })).result?.sandboxDenied).toBe(true);
      });
    }
  });

  it('an unsandboxed process, or one that succeeded, is never classified as denied', async () => {
    const h = harness(13, { sh: { script: denied } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await peer.notificationsUntil(3);
      expect(peer.notifications.find((n) => n.includes('process/exited'))).toContain('"sandboxDenied":false');
    });
  });

  it('a dropped exit channel is reported as exit code -1 (F22), and Closed still follows', async () => {
    const long: ProcessScript = {
      steps: [
        { atMs: 1, stream: 'stdout', data: 'x' },
        { atMs: 80, stream: 'stdout', data: 'y' },
      ],
      end: { atMs: 100, code: 0 },
    };
    const h = harness(14, { sh: { script: long } });
    await inWorld(h, async () => {
      const peer = await RawPeer.connect(h.client);
      await peer.handshake();
      await peer.call('process/start', START('p1', 'sh'));
      await h.client.clock.sleep(30);
      h.server.dropExitWatchers();
      await peer.notificationsUntil(4);
      expect(peer.notifications.map((n) => JSON.parse(n).method)).toEqual([
        'process/output',
        'process/exited',
        'process/output',
        'process/closed',
      ]);
      expect(peer.notifications[1]).toContain('"exitCode":-1');
    });
  });
});
