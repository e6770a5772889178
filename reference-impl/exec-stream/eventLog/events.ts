/**
 * `ExecProcessEvent` (spec §2): Output, Exited and Closed carry the process's seq; Failed is
 * synthesized by the client and has none. Byte accounting for the replay history counts output
 * and failure text; Exited and Closed weigh nothing.
 */
import type { ExecOutputStream } from '../protocol/wire.ts';

export type ExecProcessEvent =
  | { type: 'output'; seq: number; stream: ExecOutputStream; chunk: Uint8Array }
  /** `sandboxDenied` null: the server did not say (a legacy server, #30273). */
  | { type: 'exited'; seq: number; exitCode: number; sandboxDenied: boolean | null }
  | { type: 'closed'; seq: number }
  | { type: 'failed'; message: string };

export function eventSeq(e: ExecProcessEvent): number | undefined {
  return e.type === 'failed' ? undefined : e.seq;
}

/** `retained_len`: what an event costs against the byte cap. */
export function retainedLen(e: ExecProcessEvent): number {
  if (e.type === 'output') return e.chunk.length;
  if (e.type === 'failed') return Buffer.byteLength(e.message);
  return 0;
}

/** For logs: `output#3`, `exited#4`, `failed`. */
export function describeEvent(e: ExecProcessEvent): string {
  return e.type === 'failed' ? 'failed' : `${e.type}#${e.seq}`;
}
