/** Errors for ports and protocol code: stackless ones, cheap to make by the thousand. */

/**
 * An error that captures no stack trace. The simulated file system and network, and protocol
 * errors passed as values (RPC failures, refusals, parse errors), make one per refused connect,
 * missing file or error reply: capturing a stack through deep async chains was 5% of an
 * exec-stream run. Nothing reads their stacks: traces and reports render name and message
 * (describeError). `stack` is still set, to the first line.
 */
export class StacklessError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** Runs `make` with stack capture off (for errors made by code that is not a class of ours). */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
