import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importProblems, importsOf, isTargetGlue, type SourceFile } from './helpers/importRules.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(e)) out.push({ file: relative(ROOT, p).split('\\').join('/'), source: readFileSync(p, 'utf8') });
    }
  };
  walk(join(ROOT, dir));
  return out;
}

describe('import rules between sim/ and reference-impl/ (test/helpers/importRules.ts)', () => {
  it('hold over the whole tree', () => {
    const files = [...sources('sim'), ...sources('reference-impl')];
    expect(files.length).toBeGreaterThan(100);
    // non-vacuity: the tree has imports of every kind the rules judge
    const all = files.flatMap((f) => importsOf(f).map((imp) => ({ from: f.file, imp })));
    expect(all.some((x) => x.from.startsWith('reference-impl/') && !isTargetGlue(x.from) && x.imp.startsWith('sim/ports/'))).toBe(true);
    expect(all.some((x) => isTargetGlue(x.from) && x.imp.startsWith('sim/check/'))).toBe(true);
    expect(all.some((x) => x.from.startsWith('sim/cli/') && x.imp.startsWith('reference-impl/'))).toBe(true);
    expect(importProblems(files)).toEqual([]);
  });

  it('each rule fails on a planted bad import', () => {
    const planted: SourceFile[] = [
      { file: 'reference-impl/exec-stream/client/execClient.ts', source: "import { World } from '../../../sim/world.ts';" },
      { file: 'reference-impl/attach-pump/runner/server.ts', source: "import type { Fault } from '../../../sim/faults/fault.ts';" },
      { file: 'reference-impl/session-wait/caller.ts', source: "const m = await import('../../sim/check/index.ts');" },
      { file: 'reference-impl/attach-pump/target/proxy.ts', source: "import { RealNet } from '../../../sim/real/net.ts';" },
      { file: 'reference-impl/exec-stream/target.ts', source: "import {\n  writeTextAtomic,\n} from '../../sim/host/hostIo.ts';" },
      { file: 'sim/runner.ts', source: "import { BUILTIN_TARGETS } from '../reference-impl/targets.ts';" },
      { file: 'sim/check/output.ts', source: "export { x } from '../../reference-impl/exec-stream/protocol/wire.ts';" },
      { file: 'sim/host/pool.ts', source: "import '../../reference-impl/targets.ts';" },
    ];
    expect(importProblems(planted).map((p) => `${p.rule}: ${p.file} -> ${p.imports}`)).toEqual([
      'protocol-imports-only-ports: reference-impl/exec-stream/client/execClient.ts -> sim/world.ts',
      'protocol-imports-only-ports: reference-impl/attach-pump/runner/server.ts -> sim/faults/fault.ts',
      'protocol-imports-only-ports: reference-impl/session-wait/caller.ts -> sim/check/index.ts',
      'glue-stays-off-the-real-edge: reference-impl/attach-pump/target/proxy.ts -> sim/real/net.ts',
      'glue-stays-off-the-real-edge: reference-impl/exec-stream/target.ts -> sim/host/hostIo.ts',
      'sim-imports-no-reference-impl: sim/runner.ts -> reference-impl/targets.ts',
      'sim-imports-no-reference-impl: sim/check/output.ts -> reference-impl/exec-stream/protocol/wire.ts',
      'sim-imports-no-reference-impl: sim/host/pool.ts -> reference-impl/targets.ts',
    ]);
  });

  it('lets through what the rules allow, and ignores comments and bare packages', () => {
    const allowed: SourceFile[] = [
      {
        file: 'reference-impl/exec-stream/client/execClient.ts',
        source: "import { Inbox } from '../../../sim/ports/index.ts';\nimport x from 'smol-toml';",
      },
      {
        file: 'reference-impl/attach-pump/client/pump.ts',
        source: "// import { World } from '../../../sim/world.ts';\nimport { a } from './reader.ts';",
      },
      { file: 'reference-impl/attach-pump/target/faults.ts', source: "import { FieldCheck } from '../../../sim/index.ts';" },
      { file: 'reference-impl/targets.ts', source: "import type { AnyTarget } from '../sim/registry.ts';" },
      { file: 'sim/cli/context.ts', source: "import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';" },
      { file: 'sim/real/serve.ts', source: "import { ExecServer } from '../../reference-impl/exec-stream/server/execServer.ts';" },
      { file: 'sim/host/exploreTask.ts', source: "import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';" },
    ];
    expect(importProblems(allowed)).toEqual([]);
  });
});
