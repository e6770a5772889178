/**
 * The machine's ceiling for a 2-way speedup, measured in the same run as the workers: a fixed
 * amount of plain CPU-bound work (a hash loop, no I/O, no allocation to speak of) in one child
 * process, then the same work in two child processes at once. On 2 idle cores the speedup is
 * 2; on a machine shared with busy neighbours it is what two processes can get, which is what
 * 2 workers should be compared with.
 */
import { spawn } from 'node:child_process';
import { now } from '../shared.ts';

const WORK = `let h = 2166136261; for (let i = 0; i < Number(process.argv[1]); i++) { h ^= i; h = Math.imul(h, 16777619); } if (h === 42) console.log(h);`;

function child(iterations: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', WORK, String(iterations)], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ceiling child exited ${code}`))));
  });
}

export interface CeilingRow {
  iterations: number;
  oneMs: number;
  twoMs: number;
  /** Two processes' work over the time of two, against one process's over its time. */
  speedup: number;
}

export async function ceiling(iterations: number): Promise<CeilingRow> {
  let t0 = now();
  await child(iterations);
  const oneMs = now() - t0;
  t0 = now();
  await Promise.all([child(iterations), child(iterations)]);
  const twoMs = now() - t0;
  return { iterations, oneMs, twoMs, speedup: (2 * oneMs) / twoMs };
}
