/**
 * The built-in targets, loaded on demand so `execsim` starts fast and one broken target cannot
 * stop the others from being listed. Each module exports `target` (checked at load time).
 */
import type { TargetLoader, TargetModule } from '../sim/registry.ts';

// The sources (.ts, a checkout) or the build (.js, the installed package): the same as this file.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

const load =
  (path: string): TargetLoader =>
  () =>
    import(new URL(path + EXT, import.meta.url).href) as Promise<TargetModule>;

export const BUILTIN_TARGETS: Record<string, TargetLoader> = {
  'exec-stream': load('./exec-stream/target'),
  'session-wait': load('./session-wait/target'),
  'attach-pump': load('./attach-pump/target'),
};
