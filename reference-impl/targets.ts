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

/** Each built-in target's module, relative to this file, without its extension. */
export const BUILTIN_TARGET_MODULES: Record<string, string> = {
  'exec-stream': './exec-stream/target',
  'session-wait': './session-wait/target',
  'attach-pump': './attach-pump/target',
};

export const BUILTIN_TARGETS: Record<string, TargetLoader> = Object.fromEntries(
  Object.entries(BUILTIN_TARGET_MODULES).map(([name, path]) => [name, load(path)]),
);
