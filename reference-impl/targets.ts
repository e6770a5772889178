/**
 * The built-in targets, loaded on demand so `execsim` starts fast and one broken target cannot
 * stop the others from being listed. Each module exports `target` (checked at load time).
 */
import type { TargetLoader, TargetModule } from '../sim/registry.ts';

const load =
  (path: string): TargetLoader =>
  () =>
    import(new URL(path, import.meta.url).href) as Promise<TargetModule>;

export const BUILTIN_TARGETS: Record<string, TargetLoader> = {
  'exec-stream': load('./exec-server/target.ts'),
  'session-wait': load('./session-wait/target.ts'),
  'attach-pump': load('./attach-pump/target.ts'),
};
