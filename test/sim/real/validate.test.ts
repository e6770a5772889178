/**
 * The validator against real executors on loopback: the reference passes; each deliberately
 * broken executor is flagged with its property and nothing else; bad executors are refused with
 * a clear error; and nothing (process or port) is left behind after a run, a crash or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../../sim/cli/main.ts';
import { readStat } from '../../../sim/real/proc.ts';
import { alive, groupListens, listening } from './procProbe.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = process.execPath;
const fixture = (name: string) =>
  `"${NODE}" --import tsx "${join(ROOT, 'test/fixtures/executors', `${name}.ts`)}" --listen ws://127.0.0.1:{port}`;
const capture = (): Io & { stdout: string; stderr: string } => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
};
const tmp = () => mkdtempSync(join(tmpdir(), 'execsim-validate-'));
const MATRIX = ['--faults', 'none,cut-resume,refused-reconnects', '--workloads', 'echo,signal,trickle,large,stdin-echo'];

const pidAndPort = (stderr: string) => {
  const m = /executor pid (\d+) listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
  return m ? { pid: Number(m[1]), port: Number(m[2]) } : undefined;
};

interface Conformance {
  matrix: Record<string, Record<string, string>>;
  notApplicable: Record<string, Record<string, string>>;
  classes: Record<string, string>;
}

async function flagged(
  executor: string,
): Promise<{ code: number; violated: string[]; io: ReturnType<typeof capture>; dir: string; report: Conformance }> {
  const io = capture();
  const dir = tmp();
  const code = await main(['validate', '--executor', executor, ...MATRIX, '--report', dir], io);
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as Conformance;
  const violated = Object.entries(report.matrix)
    .filter(([, row]) => Object.values(row).includes('violated'))
    .map(([p]) => p);
  return { code, violated, io, dir, report };
}

describe('execsim validate', () => {
  it('the port check sees a listener (it can fail)', async () => {
    const { RealNet } = await import('../../../sim/real/net.ts');
    const net = new RealNet();
    const server = await net.listen(0, {});
    expect(listening(server.port)).toBe(true);
    expect(groupListens(server.port, readStat(process.pid)?.pgrp ?? -1)).toBe(true);
    await server.close();
    expect(listening(server.port)).toBe(false);
  });

  it('the reference executor conforms, and leaves no process or port behind', async () => {
    const r = await flagged('reference');
    expect(r.violated).toEqual([]);
    expect(r.code).toBe(0);
    const started = pidAndPort(r.io.stderr);
    expect(started).toBeDefined();
    expect(alive(started!.pid)).toBe(false);
    expect(groupListens(started!.port, started!.pid)).toBe(false);
    const html = readFileSync(join(r.dir, 'conformance.html'), 'utf8');
    expect(html).toContain('every required property holds');
    expect(readFileSync(join(r.dir, 'junit.xml'), 'utf8')).toContain('name="no-lost-output × cut-resume"');
    // judged with the exec-stream target's own properties, every one of them, each cell a verdict
    const { target } = await import('../../../reference-impl/exec-stream/target.ts');
    expect(Object.keys(r.report.matrix)).toEqual(target.properties.map((p) => p.name));
    expect(Object.keys(r.report.matrix)).toEqual(expect.arrayContaining(['authoritative-completion', 'failed-is-terminal']));
    for (const [p, row] of Object.entries(r.report.matrix)) {
      for (const [k, cell] of Object.entries(row)) {
        expect(['holds', 'violated', 'not applicable'], `${p} × ${k}`).toContain(cell);
        if (cell === 'not applicable') expect(r.report.notApplicable[p]?.[k], `${p} × ${k} says why`).toMatch(/\w/);
      }
    }
    expect(r.report.matrix['authoritative-completion']?.none).toBe('holds');
    expect(r.report.matrix['failed-is-terminal']?.none).toBe('holds');
    expect(r.report.classes.terminates).toBe('liveness');
  }, 120_000);

  const BROKEN: Array<[string, string]> = [
    ['dropsDetachedOutput', 'no-lost-output'],
    ['closedBeforeExited', 'seq-discipline'],
    ['wrongNextSeq', 'next-seq'],
    // a resend the client masks (it dedupes): only the wire rule sees it
    ['resendsBeforeAfterSeq', 'next-seq'],
    ['killedExitZero', 'truthful-exit'],
  ];
  for (const [name, property] of BROKEN) {
    it(`${name} is flagged with ${property}, and nothing else`, async () => {
      const r = await flagged(fixture(name));
      expect(r.violated).toEqual([property]);
      expect(r.code).toBe(1);
      expect(r.io.stdout).toContain(`✗ ${property} (`);
      const started = pidAndPort(r.io.stderr);
      expect(alive(started!.pid)).toBe(false);
    }, 120_000);
  }

  it('refuses a non-loopback address, an executor that will not start, and a bad option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['validate', '--executor', 'my-executor --listen ws://10.1.2.3:{port}'], /loopback only; the command names 10\.1\.2\.3/],
      [['validate', '--executor', 'my-executor --listen ws://0.0.0.0:{port}'], /loopback only; the command names 0\.0\.0\.0/],
      [['validate', '--executor', 'my-executor --port 4000'], /must contain \{port\}/],
      [
        ['validate', '--executor', `sh -c 'echo cannot bind {port} >&2; exit 3'`],
        /exited \(code 3\) before it listened[\s\S]*cannot bind \d+/,
      ],
      [['validate', '--executor', 'reference', '--faults', 'meteor'], /--faults: unknown meteor/],
      [['validate', '--executor', 'reference', '--protocol', 'grpc'], /--protocol: expected one of codex-exec-server/],
    ];
    for (const [argv, re] of cases) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr, argv.join(' ')).toMatch(re);
      expect(io.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('an executor that crashes mid-run: exit 2 with its output, and its children are gone', async () => {
    const io = capture();
    // the reference server, a child of its own, killed 1 s after it says it listens (while the
    // trickle runs): timed from its ready line, not from the spawn, as start-up is slow under load
    const serve = `"${NODE}" "${join(ROOT, 'sim/cli/bin.js')}" serve --listen ws://127.0.0.1:{port}`;
    const crashing = `sh -c 'f=$(mktemp -u); mkfifo "$f"; ${serve} > "$f" & s=$!; exec 3<"$f"; rm "$f"; read line <&3; sleep 1; echo crashing now >&2; kill -9 $s; exit 9'`;
    // at the wall's rate (--time-factor 1): the trickle must still be running 1 s after the ready line
    const code = await main(
      ['validate', '--executor', crashing, '--faults', 'none', '--workloads', 'trickle', '--time-factor', '1', '--report', tmp()],
      io,
    );
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/the executor exited during the run[\s\S]*crashing now/);
    const started = pidAndPort(io.stderr);
    expect(alive(started!.pid)).toBe(false);
    expect(groupListens(started!.port, started!.pid)).toBe(false);
  }, 60_000);

  it('Ctrl-C stops the executor and every child it started', async () => {
    const child = spawn(
      NODE,
      [
        join(ROOT, 'sim/cli/bin.js'),
        'validate',
        '--executor',
        'reference',
        '--faults',
        'none',
        '--workloads',
        'trickle',
        '--time-factor',
        '1', // at the wall's rate: the trickle still runs 500 ms after the executor listens
        '--report',
        tmp(),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const started = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no executor started: ${stderr}`)), 30_000);
      const check = () => {
        const s = pidAndPort(stderr);
        if (s) {
          clearTimeout(t);
          resolve(s);
        } else setTimeout(check, 50);
      };
      check();
    });
    await new Promise((r) => setTimeout(r, 500)); // the trickle's process is running now
    const workload = readFileSync(`/proc/${started.pid}/task/${started.pid}/children`, 'utf8').trim();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(alive(started.pid)).toBe(false);
    for (const pid of workload.split(/\s+/).filter(Boolean).map(Number)) expect(alive(pid)).toBe(false);
    expect(groupListens(started.port, started.pid)).toBe(false);
  }, 60_000);
});
