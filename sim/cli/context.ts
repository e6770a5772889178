/**
 * What every command shares: the target registry (built-ins plus `--target` modules), where
 * reports go, and how to print a replay command that works for the target at hand.
 */
import { resolve } from 'node:path';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { ExecsimError } from '../errors.ts';
import { TargetRegistry, type AnyTarget } from '../registry.ts';
import { pathExists } from '../host/hostIo.ts';
import { importModule } from '../host/importModule.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Where a crash of execsim itself (exit 3) writes its report (default reports/, else the temporary folder). */
  crashDir?: string;
  /** The cores `--workers` lanes share (default: what node:os says is available). */
  cores?: number;
}

export class CliContext {
  readonly registry = new TargetRegistry(BUILTIN_TARGETS);
  /** Target name -> the module path it was loaded from (for replay commands). */
  private readonly modules = new Map<string, string>();
  constructor(readonly io: Io) {}

  async loadModule(path: string): Promise<AnyTarget> {
    const abs = resolve(path);
    if (!pathExists(abs)) throw new ExecsimError('EXECSIM_USAGE', `--target ${path}: no such file`);
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(abs);
    } catch (e) {
      throw new ExecsimError(
        'EXECSIM_TARGET_INVALID',
        `--target ${path}: the module failed to load: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const t = this.registry.register(mod.target ?? mod.default, `--target ${path}`);
    this.modules.set(t.name, path);
    return t;
  }

  async loadModules(paths: readonly string[]): Promise<void> {
    for (const p of paths) await this.loadModule(p);
  }

  /** A target by name or module path. */
  async target(spec: string): Promise<AnyTarget> {
    if (/^[a-z0-9][a-z0-9-]*$/.test(spec)) return this.registry.get(spec);
    return this.loadModule(spec);
  }

  /** The module a third-party target was loaded from (undefined for built-ins). */
  moduleOf(targetName: string): string | undefined {
    return this.modules.get(targetName);
  }

  replayCommand(file: string, targetName: string): string {
    const mod = this.modules.get(targetName);
    return `npx execsim replay ${file}${mod ? ` --target ${mod}` : ''}`;
  }
}
