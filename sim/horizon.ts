/**
 * The world's horizon: the latest virtual time a scenario may name, and the longest duration. Every
 * time and duration in ms a schema declares (fault `at`, `healAtMs`, windows, workload times) is
 * at most this, so a scenario's times work exactly as written (the scheduler is exact far past
 * it: no timer overflows at 2^31 ms), and a time beyond it is refused before anything runs. It is
 * also the time limit of a world run with no end of its own (`limits.maxTimeMs`).
 */
export const HORIZON_MS = 24 * 3600 * 1000;

/** The horizon in words, for messages and the schema: "86400000 ms (24 h)". */
export const HORIZON_TEXT = `${HORIZON_MS} ms (24 h)`;

/** The longest delay a timer (Node's, or @sinonjs/fake-timers') takes as written: 2^31-1 ms; longer ones fire at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
