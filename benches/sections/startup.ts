/**
 * CLI start-up: wall time of whole `execsim` processes, median of N, next to `node -e 0` (the
 * floor). The package is built first (the prepack build, into node_modules/.cache so a stale
 * dist/ is never measured), then timed as an installed package runs it; the checkout's tsx
 * path is timed alongside. One `run` over the corpus shows what share start-up takes there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, now } from '../shared.ts';

export interface StartupRow {
  command: string;
  exitCode: number | null;
  medianMs: number;
  minMs: number;
  samples: number;
}

const OUT = 'node_modules/.cache/execsim-bench-build';

interface Probe {
  label: string;
  argv: string[];
  want: number;
}

/** Every probe once per round, round after round: a load spike hits all of them alike. */
function timeInterleaved(probes: Probe[], samples: number): StartupRow[] {
  const ms = probes.map((): number[] => []);
  for (let i = 0; i < samples; i++) {
    probes.forEach((p, j) => {
      const t0 = now();
      const r = spawnSync(process.execPath, p.argv, { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      (ms[j] as number[]).push(now() - t0);
      if (r.status !== p.want) throw new Error(`bench startup: ${p.label} exited ${r.status}, expected ${p.want}: ${r.stderr}`);
    });
  }
  return probes.map((p, j) => ({
    command: p.label,
    exitCode: p.want,
    medianMs: median(ms[j] as number[]),
    minMs: Math.min(...(ms[j] as number[])),
    samples,
  }));
}

export function startup(samples: number): { buildMs: number; rows: StartupRow[]; corpus: { runMs: number; startupShare: number } } {
  const t0 = now();
  rmSync(OUT, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', OUT], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`bench startup: the build failed:\n${tsc.stdout}${tsc.stderr}`);
  const buildMs = now() - t0;
  const bin = join(OUT, 'sim/cli/bin.js');
  const rows = timeInterleaved(
    [
      { label: 'node -e 0', argv: ['-e', '0'], want: 0 },
      { label: 'execsim --help (compiled)', argv: [bin, '--help'], want: 0 },
      { label: 'execsim bogus: usage error (compiled)', argv: [bin, 'bogus'], want: 2 },
      { label: 'execsim list (compiled)', argv: [bin, 'list'], want: 0 },
      { label: 'execsim --help (checkout, tsx)', argv: ['sim/cli/bin.js', '--help'], want: 0 },
    ],
    samples,
  );
  const reports = mkdtempSync(join(tmpdir(), 'execsim-bench-run-'));
  const runMs = (timeInterleaved([{ label: 'run', argv: [bin, 'run', 'scenarios', '--report', reports], want: 0 }], 1)[0] as StartupRow)
    .medianMs;
  rmSync(reports, { recursive: true, force: true });
  const help = rows[1] as StartupRow;
  return { buildMs, rows, corpus: { runMs, startupShare: help.medianMs / runMs } };
}
