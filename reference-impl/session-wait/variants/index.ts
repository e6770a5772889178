/** The variants by name (`session-wait:NAME`). */
import type { WaitPolicy } from '../policy.ts';
import { fixed } from './fixed.ts';
import { pidOnly } from './pidOnly.ts';
import { pre1445 } from './pre1445.ts';
import { trustAnyResult } from './trustAnyResult.ts';

export const POLICIES: Readonly<Record<string, WaitPolicy>> = {
  fixed,
  'pre-1445': pre1445,
  'pid-only': pidOnly,
  'trust-any-result': trustAnyResult,
};
