/** The variants by name (`exec-stream:NAME`): the base `v1-pushed` and one file per upstream change. */
import { variantTable } from '../../../sim/ports/index.ts';
import { arrivalOrder } from './arrivalOrder.ts';
import { lagCloses } from './lagCloses.ts';
import { lagSkips } from './lagSkips.ts';
import { legacyDenial } from './legacyDenial.ts';
import { noDedupe } from './noDedupe.ts';
import { v0Poll } from './v0Poll.ts';
import { v1Pushed } from './v1Pushed.ts';
import { v1Strict } from './v1Strict.ts';
import { v1Stricter } from './v1Stricter.ts';

export const VARIANTS = variantTable([v0Poll, v1Pushed, v1Strict, v1Stricter, lagSkips, lagCloses, noDedupe, arrivalOrder, legacyDenial]);
