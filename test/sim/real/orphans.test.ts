/**
 * Rule 5, no child left behind, when execsim itself is killed: a parent killed with SIGKILL
 * cannot stop what it started, so each real-mode child stops itself. `execsim serve` watches its
 * parent (sim/real/parentWatch.ts) and stops with its children; every group the validator starts
 * (executors, clients, serve's commands: sim/real/proc.ts spawnGroup) holds a guard that stops
 * the group when our end of its socket closes, even for a command that ignores SIGTERM. Each case
 * kills the parent (test/fixtures/real/orphanParent.ts) and checks the child, its own children
 * and its port are gone within 10 s; every wait is bounded and whatever is left is killed by pid.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { killGroup } from '../../../sim/real/proc.ts';
import { alive, groupListens } from './procProbe.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = process.execPath;
const PARENT = join(ROOT, 'test/fixtures/real/orphanParent.ts');
const GONE_WITHIN_MS = 10_000;

interface Started {
  pid: number;
  port: number;
  children: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the parent, waits (bounded) for its child to be ready, kills the parent with SIGKILL, and reports what is left after each poll. */
async function killParent(args: string[]): Promise<{ started: Started; leftAfterMs: number | undefined; left: string[] }> {
  const parent = spawn(NODE, ['--import', 'tsx', PARENT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
  parent.stderr.on('data', (b: Buffer) => (err += b.toString()));
  let started: Started | undefined;
  try {
    const until = Date.now() + 60_000;
    while (!started && Date.now() < until && parent.exitCode === null) {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) started = JSON.parse(line) as Started;
      else await sleep(50);
    }
    if (!started) throw new Error(`the parent never reported its child (exit ${parent.exitCode}): ${err}`);
    expect(alive(started.pid)).toBe(true);
    expect(started.children.length).toBeGreaterThan(0);
    expect(groupListens(started.port, started.pid)).toBe(true);
    const killedAt = Date.now();
    process.kill(parent.pid ?? -1, 'SIGKILL');
    const remaining = (s: Started) => [
      ...[s.pid, ...s.children].filter(alive).map((p) => `pid ${p}`),
      ...(groupListens(s.port, s.pid) ? [`port ${s.port}`] : []),
    ];
    let left = remaining(started);
    while (left.length > 0 && Date.now() - killedAt < GONE_WITHIN_MS) {
      await sleep(100);
      left = remaining(started);
    }
    return { started, leftAfterMs: left.length === 0 ? Date.now() - killedAt : undefined, left };
  } finally {
    if (parent.pid !== undefined) killGroup(parent.pid, 'SIGKILL');
    for (const pid of started ? [started.pid, ...started.children] : []) killGroup(pid, 'SIGKILL');
  }
}

describe('a real-mode child stops when execsim is killed', () => {
  it('execsim serve, spawned plainly: it, the command it runs and its port are gone', async () => {
    const r = await killParent(['serve']);
    expect(r.left).toEqual([]);
    expect(r.leftAfterMs).toBeLessThan(GONE_WITHIN_MS);
  }, 90_000);

  it("an executor that ignores its parent and SIGTERM, started by the validator: its group's guard kills it, its child and its port", async () => {
    const stubborn = `"${NODE}" "${join(ROOT, 'test/fixtures/real/stubbornListener.mjs')}" {port}`;
    const r = await killParent(['executor', stubborn]);
    expect(r.left).toEqual([]);
    expect(r.leftAfterMs).toBeLessThan(GONE_WITHIN_MS);
  }, 90_000);
});
