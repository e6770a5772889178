/**
 * The one place the simulator touches a real timer: `setImmediate`, captured at load so user
 * code that patches globals cannot change it. A macrotask turn drains every pending microtask
 * (a simulated run has no real I/O), so awaiting it is a true quiescence barrier: every promise
 * continuation has run. The determinism scan allows this file and no other.
 */
const realSetImmediate = globalThis.setImmediate;

export function quiescence(): Promise<void> {
  return new Promise<void>((resolve) => {
    realSetImmediate(resolve);
  });
}

/**
 * The same barrier, cheaper: immediates queued together run in one check phase of the event
 * loop, and Node drains every microtask (and nextTick) between two of them, so each is still a
 * full quiescence barrier, but a batch costs one turn of the loop (one poll for I/O) instead of
 * one per task. Waiters are served in order, one immediate each; an immediate that finds no
 * waiter does nothing. Only for worlds without real I/O: it polls I/O once a batch.
 */
const BATCH = 64;
const waiters: Array<() => void> = [];
let outstanding = 0;

function serve(): void {
  outstanding--;
  waiters.shift()?.();
}

export function quiescenceBatched(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiters.push(resolve);
    if (waiters.length > outstanding) {
      for (let i = 0; i < BATCH; i++) realSetImmediate(serve);
      outstanding += BATCH;
    }
  });
}
