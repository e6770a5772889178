/** The variants by name (`session-wait:NAME`): the base `fixed` and one file per upstream change. */
import { variantTable } from '../../../sim/ports/index.ts';
import { fixed } from './fixed.ts';
import { fixedTicks } from './fixedTicks.ts';
import { pidOnly } from './pidOnly.ts';
import { pre1445 } from './pre1445.ts';
import { trustAnyResult } from './trustAnyResult.ts';

export const VARIANTS = variantTable([fixed, fixedTicks, pre1445, pidOnly, trustAnyResult]);
