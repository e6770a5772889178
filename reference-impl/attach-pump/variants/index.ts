/** The pump variants by name, each a subclass that overrides only where its fix differs. */
import { AttachPump } from '../client/pump.ts';
import { CursorPump } from './cursor.ts';
import { Fixed627Pump } from './fixed627.ts';
import { NoProbePump } from './noProbe.ts';

export const PUMPS = {
  'pre-627': AttachPump,
  'fixed-627': Fixed627Pump,
  'no-probe': NoProbePump,
  cursor: CursorPump,
} as const;

export type VariantName = keyof typeof PUMPS;
