/**
 * scenarios/scenario.schema.json is generated from the schemas the loader validates with: the
 * committed file must be current, every field must say what it is (and numbers their unit), and
 * an editor checking a file with it alone (plain Ajv) must flag a misspelt workload field or
 * fault parameter at the JSON path `execsim run` prints.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import type { Io } from '../../../sim/cli/context.ts';
import { main } from '../../../sim/cli/main.ts';
import { builtinSchemaText, SCHEMA_FILE } from '../../../sim/cli/writeSchema.ts';
import { jsonPath } from '../../../sim/schema/problems.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const committed = readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;
const editor = new Ajv({ allErrors: true }).compile(schema);

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? scenarioFiles(p) : n.endsWith('.json') && n !== 'scenario.schema.json' ? [p] : [];
    });
}

/** The paths an editor marks: the value's, or the missing or unknown field's. */
function editorPaths(errors: readonly ErrorObject[]): string[] {
  const paths = errors
    .filter((e) => !['if', 'anyOf', 'oneOf'].includes(e.keyword))
    .map((e) => {
      const at = jsonPath(e.instancePath);
      const field = (e.params.additionalProperty ?? e.params.missingProperty) as string | undefined;
      return field === undefined ? at : at === '(top level)' ? field : `${at}.${field}`;
    });
  return [...new Set(paths)].sort();
}

async function cliPaths(scenario: unknown): Promise<{ code: number; paths: string[]; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'execsim-schema-'));
  const file = join(dir, 'typo.json');
  writeFileSync(file, JSON.stringify(scenario));
  let stderr = '';
  const io: Io = { out: () => undefined, err: (t) => void (stderr += t) };
  try {
    const code = await main(['run', file, '--report', join(dir, 'out')], io);
    const paths = [...stderr.matchAll(/^ {2}- ([^:]+):/gm)].map((m) => m[1] as string);
    return { code, paths: [...new Set(paths)].sort(), stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = JSON.parse(readFileSync(join(ROOT, 'scenarios/field-bugs/exec-stream/18212-lag-closes.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('scenarios/scenario.schema.json', () => {
  it('is what `npm run schema` writes now (regenerate it when a schema changes)', async () => {
    expect(committed, 'scenarios/scenario.schema.json is stale: run `npm run schema`').toBe(await builtinSchemaText());
    expect(Object.keys(BUILTIN_TARGETS).every((t) => `${t}.workload` in (schema.definitions as object))).toBe(true);
  });

  it('gives every field a description, and every number its unit', () => {
    const missing: string[] = [];
    const walk = (s: Record<string, unknown>, at: string): void => {
      for (const [name, f] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const p = `${at}.${name}`;
        if (typeof f.description !== 'string' || f.description.length === 0) missing.push(`${p}: no description`);
        if ((f.type === 'integer' || f.type === 'number') && !('const' in f) && !/\([^)]+\)$/.test(String(f.description)))
          missing.push(`${p}: no unit`);
        walk(f, p);
        for (const b of [...((f.anyOf ?? []) as Array<Record<string, unknown>>), (f.items ?? {}) as Record<string, unknown>]) walk(b, p);
      }
    };
    walk(schema, '');
    for (const [name, d] of Object.entries(schema.definitions as Record<string, Record<string, unknown>>)) walk(d, name);
    expect(missing).toEqual([]);
  });

  it('accepts every scenario file in the corpus', () => {
    const files = scenarioFiles(join(ROOT, 'scenarios'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) expect(editor(JSON.parse(readFileSync(f, 'utf8'))), `${f}: ${JSON.stringify(editor.errors)}`).toBe(true);
  });

  it('flags a misspelt workload field and fault parameter at the JSON path the CLI prints (exit 2)', async () => {
    const workload = { ...(base.workload as Record<string, unknown>) };
    workload.exitAfterMS = workload.exitAfterMs;
    delete workload.exitAfterMs;
    const typo = {
      ...base,
      workload,
      faults: [
        { at: 5, kind: 'consumer-stall', durationMS: 300 },
        { at: 9, kind: 'lag', target: 'client->exec-server', durationMs: 10, extraMs: 5, extraMS: 1 },
      ],
    };
    expect(editor(typo)).toBe(false);
    const fromEditor = editorPaths(editor.errors ?? []);
    expect(fromEditor).toEqual([
      'faults[0].durationMS',
      'faults[0].durationMs',
      'faults[1].extraMS',
      'workload.exitAfterMS',
      'workload.exitAfterMs',
    ]);
    const cli = await cliPaths(typo);
    expect(cli.code).toBe(2);
    expect(cli.paths).toEqual(fromEditor);
    expect(cli.stderr).toContain(
      '  - workload.exitAfterMS: unknown field (expected one of chunks, exitAfterMs, end, sandboxed, denied, childHoldsPipesMs, pipeJitterMsMax, sendJitterMsMax, eventCapacity, eventBytes)',
    );
    expect(cli.stderr).toContain('  - faults[0].durationMs: expected an integer from 1 to 86400000, got nothing');
  });

  it('flags a wrong value and an unknown kind at the path the CLI prints', async () => {
    const chunks = [...((base.workload as { chunks: unknown[] }).chunks ?? [])];
    chunks[0] = { ...(chunks[0] as object), bytes: 0 };
    const bad = {
      ...base,
      workload: { ...(base.workload as object), chunks },
      faults: [
        { at: 5, kind: 'teleport' },
        { at: 7, kind: 'subscriber-delay', delayMs: -1 },
      ],
    };
    expect(editor(bad)).toBe(false);
    const fromEditor = editorPaths(editor.errors ?? []);
    expect(fromEditor).toEqual(['faults[0].kind', 'faults[1].delayMs', 'workload.chunks[0].bytes']);
    const cli = await cliPaths(bad);
    expect(cli.code).toBe(2);
    expect(cli.paths).toEqual(fromEditor);
  });
});
