/** The pump variants by name (`attach-pump:NAME`): the base `pre-627` and one file per change. */
import { variantTable } from '../../../sim/ports/index.ts';
import { boxlite0100 } from './boxlite0100.ts';
import { cursor } from './cursor.ts';
import { fixed627 } from './fixed627.ts';
import { noProbe } from './noProbe.ts';
import { pre627 } from './pre627.ts';

export const VARIANTS = variantTable([pre627, fixed627, noProbe, cursor, boxlite0100]);
