/**
 * The close codes a WebSocket endpoint may put in a close frame (RFC 6455 §7.4): 1000-1003 and
 * 1007-1014 of the registered ones, and 3000-4999 (libraries' and applications' own). 1004 is
 * reserved, 1005 and 1006 mean "no code" and "no close frame" and are never sent, 1015 is the TLS
 * failure a stack reports, and 1016-2999 are unassigned: ws refuses to send any of them (it
 * throws), so neither the simulated network nor the real proxy may be asked to.
 */
export const SENDABLE_CLOSE_CODES: ReadonlyArray<readonly [number, number]> = [
  [1000, 1003],
  [1007, 1014],
  [3000, 4999],
];

/** "1000-1003, 1007-1014 or 3000-4999" */
export const SENDABLE_CLOSE_CODES_TEXT = SENDABLE_CLOSE_CODES.map(([a, b]) => `${a}-${b}`)
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1');

/** A close frame's payload is at most 125 bytes, 2 of them the code: ws refuses a longer reason (it throws). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Whether a close frame may carry `code` (one of SENDABLE_CLOSE_CODES). */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && SENDABLE_CLOSE_CODES.some(([min, max]) => code >= min && code <= max);
}

/**
 * Why `ws` would throw on `close(code, reason)` from an open socket, or undefined: a simulated
 * socket throws the same, so a target that closes with 1005 fails in simulation as it would on
 * the real wire rather than passing here and throwing only in real mode.
 */
export function unsendableClose(code: number | undefined, reason: string): TypeError | RangeError | undefined {
  if (code !== undefined && !isSendableCloseCode(code))
    return new TypeError(`close(${code}): not a code a close frame may carry (${SENDABLE_CLOSE_CODES_TEXT}); ws throws`);
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > MAX_CLOSE_REASON_BYTES)
    return new RangeError(`close(${code ?? ''}): a reason of ${bytes} bytes, at most ${MAX_CLOSE_REASON_BYTES} fit a close frame; ws throws`);
  return undefined;
}
