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
