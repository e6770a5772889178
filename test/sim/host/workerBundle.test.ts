/**
 * The pool's worker threads run a bundle of the sources (sim/host/workerBundle.ts) where the main
 * thread runs them through tsx. Shown here: the bundle is built, kept while its inputs are
 * unchanged and rebuilt when one changes, and a batch run by it comes out exactly as the same
 * batch run in this process, with a violation and without one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { exploreBatch, exploreSpace, planBatches, type BatchResult } from '../../../sim/explore/explore.ts';
import type { BatchTask, WorkerMessage } from '../../../sim/host/exploreTask.ts';
import { workerBundle } from '../../../sim/host/workerBundle.ts';
import { TargetRegistry } from '../../../sim/registry.ts';

const manifestOf = (url: string): string => fileURLToPath(new URL('./worker-session-wait.json', url));

describe('the worker bundle', () => {
  it('is built for a built-in target, kept while its inputs are unchanged, and rebuilt when one changes', async () => {
    const url = await workerBundle('session-wait');
    expect(url).toMatch(/\/node_modules\/\.cache\/execsim\/worker-session-wait-[0-9a-f]{16}\.mjs$/);
    const manifest = JSON.parse(readFileSync(manifestOf(url as string), 'utf8')) as { inputs: Record<string, [number, number]> };
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining(['sim/host/exploreTask.ts', 'reference-impl/session-wait/target.ts', 'tsconfig.json']),
    );
    expect(await workerBundle('session-wait')).toBe(url);
    // an input seen with another mtime: built again (to the same content, so the same file)
    const stale = { ...manifest, inputs: { ...manifest.inputs, 'sim/host/exploreTask.ts': [1, 1] } };
    writeFileSync(manifestOf(url as string), JSON.stringify(stale));
    expect(await workerBundle('session-wait')).toBe(url);
    expect(JSON.parse(readFileSync(manifestOf(url as string), 'utf8')).inputs['sim/host/exploreTask.ts']).not.toEqual([1, 1]);
  }, 60_000);

  it('is not used for a target it does not know (a module target goes through tsx)', async () => {
    expect(await workerBundle('test-pump')).toBeUndefined();
  });

  it('runs a batch exactly as this process does, with and without a violation', async () => {
    const run = (await import((await workerBundle('session-wait')) as string)).default as (t: BatchTask) => Promise<BatchResult>;
    const target = await new TargetRegistry(BUILTIN_TARGETS).get('session-wait');
    for (const variant of ['pre-1445', 'fixed']) {
      const space = exploreSpace({ target, variant, mode: 'safety' });
      const [batch] = planBatches(3, 40);
      const here = await exploreBatch(space, batch!);
      const { port1, port2 } = new MessageChannel();
      const messages: WorkerMessage[] = [];
      port1.on('message', (m: WorkerMessage) => messages.push(m));
      const bundled = await run({
        target: 'session-wait',
        variant,
        mode: 'safety',
        kinds: [...space.kinds],
        maxFaults: space.maxFaults,
        explorer: space.explorer,
        batch: batch!,
        port: port2,
      });
      port1.close();
      expect(bundled).toEqual(here);
      if (variant === 'pre-1445') expect(here.violation?.violated).toContain('truthful-cap-exit');
      else expect(here).toEqual({ index: 0, runsExecuted: 40, interrupted: false });
    }
  }, 120_000);
});
