import { describe, expect, it } from 'vitest';
import { EMPTY, StreamBus, type BusItem } from '../../../reference-impl/attach-pump/runner/streamBus.ts';

const b = (s: string) => new TextEncoder().encode(s);
const text = (i: BusItem | undefined | typeof EMPTY) =>
  i && i !== EMPTY && i.kind === 'data' ? Buffer.from(i.data).toString() : String(i === EMPTY ? 'EMPTY' : i?.kind);

describe('streamBus (exec_manager.go)', () => {
  it('keeps at most backlogBytesMax bytes, dropping the oldest at byte granularity', () => {
    const bus = new StreamBus('stdout', 8);
    bus.write(b('abcde'));
    bus.write(b('fghij'));
    expect(bus.total).toBe(10);
    expect(bus.head).toBe(2);
    const s = bus.subscribe(4);
    expect(text(s.poll())).toBe('cdefghij'); // mid-chunk cut: starts at "c"
  });

  it('replays the whole retained backlog as one snapshot chunk, then live chunks, on every subscribe', () => {
    const bus = new StreamBus('stdout', 1024);
    bus.write(b('A\n'));
    bus.write(b('B\n'));
    const first = bus.subscribe(4);
    const second = bus.subscribe(4);
    expect(text(first.poll())).toBe('A\nB\n');
    expect(text(second.poll())).toBe('A\nB\n'); // no resume offset: every attach starts at the head
    bus.write(b('C\n'));
    expect(text(first.poll())).toBe('C\n');
    expect(first.poll()).toBe(EMPTY);
  });

  it('drops a chunk for a subscriber whose channel is full, counts it, and never tells it', () => {
    const dropped: number[] = [];
    const bus = new StreamBus('stdout', 1024, (_s, n) => dropped.push(n));
    const s = bus.subscribe(2);
    bus.write(b('1'));
    bus.write(b('22'));
    bus.write(b('333'));
    expect([text(s.poll()), text(s.poll()), text(s.poll())]).toEqual(['1', '22', 'EMPTY']);
    expect(s.droppedBytes).toBe(3);
    expect(dropped).toEqual([3]);
    // the backlog still has it: a re-attach would replay it
    expect(text(bus.subscribe(4).poll())).toBe('122333');
  });

  it('a subscribe after close gets the snapshot, then EOF; writes after close reach only the backlog', () => {
    const bus = new StreamBus('stderr', 1024);
    const live = bus.subscribe(4);
    bus.write(b('x'));
    bus.close();
    bus.write(b('y'));
    expect([text(live.poll()), live.poll()]).toEqual(['x', undefined]);
    const late = bus.subscribe(4);
    expect([text(late.poll()), late.poll()]).toEqual(['xy', undefined]);
  });

  it('cursor extension: resumes at an offset, and names an expired range with a gap item first', () => {
    const bus = new StreamBus('stdout', 4);
    bus.write(b('abcdef'));
    expect(bus.head).toBe(2);
    const resumed = bus.subscribe(4, 4);
    expect(resumed.poll()).toEqual({ kind: 'data', offset: 4, data: b('ef') });
    const expired = bus.subscribe(4, 1);
    expect(expired.poll()).toEqual({ kind: 'gap', from: 1, to: 2 });
    expect(expired.poll()).toEqual({ kind: 'data', offset: 2, data: b('cdef') });
    const caughtUp = bus.subscribe(4, 6);
    expect(caughtUp.poll()).toBe(EMPTY);
    bus.write(b('g'));
    expect(caughtUp.poll()).toEqual({ kind: 'data', offset: 6, data: b('g') });
  });

  it('next() waits for the next chunk and resolves undefined at EOF', async () => {
    const bus = new StreamBus('stdout', 64);
    const s = bus.subscribe(4);
    const p = s.next();
    bus.write(b('late'));
    expect(text(await p)).toBe('late');
    const q = s.next();
    bus.close();
    expect(await q).toBeUndefined();
  });
});
