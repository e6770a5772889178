/**
 * One variant mechanism for every target: each variant is its own file, `variants/<name>.ts`,
 * overriding only declared slots of its target's base, and at least one of them (a variant equal
 * to its base is a defect); the table is what the target lists, and the README's variant table
 * names each variant's overridden slots.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Variant } from '../../sim/ports/index.ts';
import type { Target } from '../../sim/target.ts';
import type { PumpPolicy } from '../../reference-impl/attach-pump/policy.ts';
import type { ConsumerPolicy } from '../../reference-impl/exec-stream/policy.ts';
import type { WaitPolicy } from '../../reference-impl/session-wait/policy.ts';

// Every slot of each interface, checked exhaustive and exact by the type: the declaration at run time.
const WAIT_SLOTS: Record<keyof WaitPolicy, true> = {
  keepRefreshedResult: true,
  capExit: true,
  daemonPidIsAlive: true,
  completedResultNeedsDeadDaemon: true,
  sessionPidChecksStartTime: true,
};
const CONSUMER_SLOTS: Record<keyof ConsumerPolicy, true> = {
  consume: true,
  onLagged: true,
  gapRead: true,
  dedupe: true,
  unknownDenial: true,
  ordering: true,
  strict: true,
  readFailureOnSubscribe: true,
  recoveryWindowMs: true,
};
const PUMP_SLOTS: Record<keyof PumpPolicy, true> = {
  attachPath: true,
  onConnectFailure: true,
  onDisconnect: true,
  onTerminal: true,
  onExitFrame: true,
  retries: true,
  emitOrFallback: true,
  onOutput: true,
  onGap: true,
  watchdogMs: true,
  onReadTimeout: true,
};

const TARGETS = [
  { folder: 'exec-stream', base: 'v1-pushed', slots: CONSUMER_SLOTS },
  { folder: 'session-wait', base: 'fixed', slots: WAIT_SLOTS },
  { folder: 'attach-pump', base: 'pre-627', slots: PUMP_SLOTS },
];

type AnyVariant = Variant<object>;
const root = new URL('../../reference-impl/', import.meta.url);
const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const isVariant = (x: unknown): x is AnyVariant => typeof x === 'object' && x !== null && 'slots' in x && 'overrides' in x && 'info' in x;

describe.each(TARGETS)('$folder variants', ({ folder, base, slots }) => {
  const dir = new URL(`${folder}/variants/`, root);
  const load = async () => {
    const { VARIANTS } = (await import(new URL('index.ts', dir).href)) as { VARIANTS: Record<string, AnyVariant> };
    const { target } = (await import(new URL(`${folder}/target.ts`, root).href)) as { target: Target };
    return { table: VARIANTS, target };
  };

  it('the table is what the target lists: same names, same order, the same VariantInfo', async () => {
    const { table, target } = await load();
    expect(Object.keys(target.variants)).toEqual(Object.keys(table));
    for (const [name, v] of Object.entries(table)) expect(target.variants[name]).toBe(v.info);
  });

  it(`the base ${base} fills exactly the declared slots`, async () => {
    const { table } = await load();
    const b = table[base];
    expect(b?.base).toBeUndefined();
    expect(Object.keys(b?.slots ?? {}).sort()).toEqual(Object.keys(slots).sort());
  });

  it('every other variant overrides only declared slots, each with something other than the base has', async () => {
    const { table } = await load();
    const b = table[base] as AnyVariant;
    for (const v of Object.values(table)) {
      if (v === b) continue;
      expect([v.name, v.base]).toEqual([v.name, b]);
      const overridden = Object.keys(v.overrides);
      expect([v.name, overridden.length > 0]).toEqual([v.name, true]);
      for (const k of overridden) {
        expect([v.name, k, k in slots]).toEqual([v.name, k, true]);
        const own = (v.overrides as Record<string, unknown>)[k];
        expect([v.name, k, own !== (b.slots as Record<string, unknown>)[k]]).toEqual([v.name, k, true]);
      }
      expect(v.slots).toEqual({ ...b.slots, ...v.overrides });
    }
  });

  it('each variant is its own file, variants/<name>.ts, exporting that variant and no other', async () => {
    const { table } = await load();
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.sort()).toEqual(
      Object.keys(table)
        .map((n) => `${camel(n)}.ts`)
        .sort(),
    );
    for (const f of files) {
      const exported = Object.values((await import(new URL(f, dir).href)) as Record<string, unknown>).filter(isVariant);
      expect([f, exported.map((v) => v.name)]).toEqual([f, [Object.keys(table).find((n) => `${camel(n)}.ts` === f)]]);
      expect(exported[0]).toBe(table[exported[0]?.name ?? '']);
    }
  });

  it("the README's variant table names the base and each variant's overridden slots", async () => {
    const { table } = await load();
    const readme = readFileSync(new URL(`${folder}/README.md`, root), 'utf8');
    const row = (name: string) => readme.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? '';
    for (const v of Object.values(table)) {
      const r = row(v.name);
      expect([v.name, r.length > 0]).toEqual([v.name, true]);
      if (v.base === undefined) expect(r).toMatch(/\bbase\b/);
      for (const k of Object.keys(v.overrides)) expect([v.name, r]).toEqual([v.name, expect.stringContaining(`\`${k}\``)]);
    }
  });
});
