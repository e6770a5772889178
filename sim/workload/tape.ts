/**
 * Self-locating output: every stream reads from an endless tape of 8-byte records
 * (`o000001\n`, `o000002\n`, ... for stdout; `e...` for stderr), so any 8 delivered bytes name
 * their own offset. Workloads cut chunks of any size out of the tape; the output checker then
 * aligns delivered bytes exactly, whatever was replayed, dropped or swapped.
 */
const RECORD = 8;

export function tapeLetter(stream: string): string {
  return stream === 'stderr' ? 'e' : stream === 'stdout' ? 'o' : (stream[0] ?? 'x');
}

/** The tape's bytes [offset, offset + length) for a stream, as text. */
export function tape(stream: string, offset: number, length: number): string {
  const letter = tapeLetter(stream);
  let out = '';
  let k = Math.floor(offset / RECORD);
  let skip = offset - k * RECORD;
  while (out.length < length) {
    const rec = `${letter}${k.toString(36).padStart(RECORD - 2, '0')}\n`;
    out += skip > 0 ? rec.slice(skip) : rec;
    skip = 0;
    k++;
  }
  return out.slice(0, length);
}

/** Splits `total` tape bytes of a stream into chunks of the given sizes (the last takes the rest). */
export function tapeChunks(stream: string, sizes: readonly number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(tape(stream, at, n));
    at += n;
  }
  return out;
}
