/**
 * `npm run bench`: speed and memory figures measured side by side in one run, printed as tables
 * and written to reports/bench.json after every section (an interrupted bench keeps what it
 * measured). Figures, not pass/fail: tests stay deterministic; the targets are printed next to
 * what was reached.
 *   npm run bench                     the standard profile (about 10 minutes on 2 cores)
 *   npm run bench -- --quick          small samples, for a smoke check of the bench itself
 *   npm run bench -- --full           memory over 1,000,000 runs (about 10 more minutes)
 *   npm run bench -- --only a,b       sections: startup, smoke, throughput, detection, known-bugs, real, validate, memory, workers
 *                                     (--only real,validate: real mode alone, a few minutes)
 *   npm run bench -- --only known-bugs --known-bugs-runs 500   the known-bugs section alone, at most 500 runs a seed
 *   npm run bench -- --only known-bugs --known-bugs-seeds 20   the full known-bugs table (20 seeds x 2,000 runs, before and
 *                                     after; the standard profile takes 10 seeds; also, sharded:
 *                                     node --import tsx benches/sections/knownBugs.ts --seeds 20 --shard 1/2 --json FILE)
 *   npm run bench -- --only workers --workers-runs 5000        the workers section over 5,000 runs (default 20,000)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runSmokeWorld } from '../sim/smoke/busyWorld.ts';
import { detection } from './sections/detection.ts';
import { knownBugDetection, knownBugTable } from './sections/knownBugs.ts';
import { memory } from './sections/memory.ts';
import { realMode, SCALE } from './sections/realMode.ts';
import { startup } from './sections/startup.ts';
import { BLOCK, THROUGHPUT_NODE_FLAGS, throughputInChild } from './sections/throughput.ts';
import { validateReal } from './sections/validateReal.ts';
import { workers } from './sections/workers.ts';
import { fmt, median, now, table } from './shared.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const full = args.includes('--full');
const onlyArg = args[args.indexOf('--only') + 1];
const only = args.includes('--only') && onlyArg ? onlyArg.split(',') : undefined;
const want = (s: string) => !only || only.includes(s);
const knownBugRuns = args.includes('--known-bugs-runs') ? Number(args[args.indexOf('--known-bugs-runs') + 1]) : undefined;
const knownBugSeeds = args.includes('--known-bugs-seeds') ? Number(args[args.indexOf('--known-bugs-seeds') + 1]) : undefined;
const workersRuns = args.includes('--workers-runs') ? Number(args[args.indexOf('--workers-runs') + 1]) : undefined;

const P = quick
  ? {
      startup: 3,
      smoke: 200,
      throughput: 300,
      seeds: 3,
      knownBugSeeds: 3,
      maxRuns: 500,
      budgetMs: 5_000,
      real: 4,
      validateReps: 2,
      memory: 5_000,
      workers: 2_000,
      ceiling: 50_000_000,
    }
  : {
      startup: 10,
      smoke: 1_000,
      throughput: 3_000,
      seeds: 20,
      knownBugSeeds: 10,
      maxRuns: 2_000,
      budgetMs: 20_000,
      real: 20,
      validateReps: 20,
      memory: full ? 1_000_000 : 100_000,
      workers: 20_000,
      ceiling: 500_000_000,
    };

const out: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? '',
  profile: quick ? 'quick' : full ? 'full' : 'standard',
  params: P,
};
const save = () => {
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', JSON.stringify(out, null, 2) + '\n');
};
const verdict = (ok: boolean) => (ok ? 'reached' : 'NOT reached');
const targets: string[] = [];
const started = now();

if (want('startup')) {
  const s = startup(P.startup);
  out.startup = s;
  console.log(
    table(
      `CLI start-up, whole processes (median of ${P.startup}; built in ${fmt(s.buildMs)} ms)`,
      ['command', 'exit', 'median ms', 'min ms'],
      s.rows.map((r) => [r.command, String(r.exitCode), r.medianMs, r.minMs]),
    ),
  );
  console.log(
    `  execsim run over scenarios/: ${fmt(s.corpus.runMs)} ms, of which start-up (--help) ${(s.corpus.startupShare * 100).toFixed(1)}%`,
  );
  const worst = Math.max(...s.rows.slice(1, 3).map((r) => r.medianMs));
  const floor = s.rows[0]?.medianMs ?? 0;
  targets.push(
    `execsim --help and a usage error under 300 ms (compiled): ${fmt(worst)} ms, node -e 0 ${fmt(floor)} ms (+${fmt(worst - floor)} ms) -> ${verdict(worst < 300)}`,
  );
  targets.push(
    `execsim run over the corpus dominated by the runs: start-up ${(s.corpus.startupShare * 100).toFixed(1)}% -> ${verdict(s.corpus.startupShare < 0.2)}`,
  );
  save();
}

if (want('smoke')) {
  const t0 = now();
  let virtualMs = 0;
  for (let seed = 1; seed <= P.smoke; seed++) virtualMs += (await runSmokeWorld(seed)).run.timeMs;
  const wallMs = now() - t0;
  out.smoke = {
    worlds: P.smoke,
    wallMs: Math.round(wallMs),
    worldsPerSec: Math.round((P.smoke / wallMs) * 1000),
    virtualToWall: Math.round(virtualMs / wallMs),
  };
  console.log(
    table(
      'Smoke world (all kernel features, faults on)',
      ['worlds', 'wall ms', 'worlds/s', 'virtual:wall'],
      [[P.smoke, wallMs, (P.smoke / wallMs) * 1000, virtualMs / wallMs]],
    ),
  );
  save();
}

if (want('throughput')) {
  const rows = throughputInChild(P.throughput);
  out.throughput = {
    headline:
      'ratio: median over pairs of blocks of limit CPU / target CPU, the work of every V8 thread on the main thread, with a 95% bootstrap interval',
    before: 'ratioSum: limit process CPU / target process CPU summed over all blocks (the estimator before; same blocks, same process)',
    nodeFlags: THROUGHPUT_NODE_FLAGS,
    rows,
  };
  const pc = (x: number) => `${Math.round(x * 100)}`;
  console.log(
    table(
      `Throughput, one core, faults on (safety mode), each next to its limit (the same scheduler shape, no protocol logic). ratio = median over pairs of adjacent blocks of ${BLOCK} runs (ABBA) of limit CPU / target CPU, in a process of its own (node ${THROUGHPUT_NODE_FLAGS.join(' ')}: GC and compiler on the measured thread), [95% interval of that median]; pairs' quartiles; sum = the ratio of the summed CPU (the estimator before)`,
      [
        'target',
        'runs',
        'runs/s',
        'runs/cpu-s',
        'limit runs/cpu-s',
        'ratio [95%]',
        'pairs q1-q3',
        'sum',
        'sum per round',
        'gc ms T/L',
        'off-thread ms',
        'preempted/cpu-s, load',
        'virtual:wall',
        'tasks/instants/timers/msgs per run',
      ],
      rows.map((r) => [
        r.target,
        r.runs,
        r.runsPerSec,
        (r.runs / r.cpuMs) * 1000,
        r.limitRunsPerSec,
        `${pc(r.ratio)}% [${pc(r.ratioInterval.lo)}-${pc(r.ratioInterval.hi)}]`,
        `${pc(r.pairQuartiles.q1)}-${pc(r.pairQuartiles.q3)}%`,
        `${pc(r.ratioSum)}%`,
        r.roundRatios.map((x) => pc(x)).join(' '),
        `${r.gcMs.target}/${r.gcMs.limit}`,
        r.offThreadCpuMs ?? 'n/a',
        `${r.preemptionsPerCpuSec}, ${r.loadAverage.join('->')}`,
        r.virtualToWall,
        `${r.shape.tasks}/${r.shape.instants}/${r.shape.timers}/${r.shape.messages}`,
      ]),
    ),
  );
  for (const r of rows)
    targets.push(
      `>= 50% of its limit for ${r.target}: ${pc(r.ratio)}% [${pc(r.ratioInterval.lo)}-${pc(r.ratioInterval.hi)}] -> ${verdict(r.ratio >= 0.5)}`,
    );
  const by = (t: string) => rows.find((r) => r.target.startsWith(t));
  for (const t of ['session-wait', 'attach-pump'])
    targets.push(`>= 2,000 runs/s/core for ${t}: ${fmt(by(t)?.runsPerSec ?? 0)} -> ${verdict((by(t)?.runsPerSec ?? 0) >= 2_000)}`);
  const log = by('event log');
  targets.push(`>= 5,000 runs/s for event-log-only runs: ${fmt(log?.runsPerSec ?? 0)} -> ${verdict((log?.runsPerSec ?? 0) >= 5_000)}`);
  const sw = by('session-wait');
  targets.push(
    `>= 100,000x virtual to wall on session-wait: ${fmt(sw?.virtualToWall ?? 0)}x -> ${verdict((sw?.virtualToWall ?? 0) >= 100_000)}`,
  );
  save();
}

if (want('known-bugs')) {
  const maxRuns = knownBugRuns ?? P.maxRuns;
  const seeds = knownBugSeeds ?? P.knownBugSeeds;
  const rows = await knownBugDetection({ seeds, maxRuns, modes: ['safety', 'liveness'] });
  out.knownBugs = rows;
  console.log(knownBugTable(rows, seeds, maxRuns));
  for (const hang of rows.filter((r) => r.bug.includes('late-subscriber') && r.profile.startsWith('after')))
    targets.push(
      `the late-subscriber hang found blind within ${maxRuns} runs on every seed (${hang.mode}): ${hang.found}/${hang.seeds} -> ${verdict(hang.found === hang.seeds)}`,
    );
  save();
}

if (want('detection')) {
  const rows = await detection(P.seeds, P.maxRuns, P.budgetMs);
  out.detection = rows;
  console.log(
    table(
      `Blind detection, ${P.seeds} seeds each (runs and ms to the first violation; shrinking)`,
      ['variant', 'found', 'runs med', 'runs worst', 'ms med', 'ms worst', 'shrink ms med', 'faults kept', 'properties'],
      rows.map((r) => [
        r.variant,
        `${r.found}/${r.seeds}`,
        r.runsMedian,
        r.runsWorst,
        r.msMedian,
        r.msWorst,
        r.shrinkMsMedian,
        r.faultsMedian,
        r.properties.join(' '),
      ]),
    ),
  );
  const worstRuns = Math.max(...rows.map((r) => r.runsMedian));
  const worstMs = Math.max(...rows.map((r) => r.msMedian));
  targets.push(
    `every variant detected blind within 200 runs and 1 s (median): worst median ${fmt(worstRuns)} runs, ${fmt(worstMs)} ms -> ${verdict(worstRuns <= 200 && worstMs <= 1_000)}`,
  );
  save();
}

if (want('real')) {
  const rows = await realMode(P.real);
  out.realMode = { scale: SCALE, rows };
  console.log(
    table(
      `Real mode (loopback ws, real timers, constants / ${SCALE}) vs the simulator at full scale, ${P.real} scenarios each`,
      ['target', 'sim ms', 'real ms', 'real ms/scenario med', 'max', 'real/sim', 'real flakes', 'sim flakes'],
      rows.map((r) => [
        r.target,
        r.simMs,
        r.realMs,
        r.realMsMedian,
        r.realMsMax,
        r.ratio,
        `${r.realFlakes}/${r.scenarios}`,
        `${r.simFlakes}/${r.scenarios}`,
      ]),
    ),
  );
  for (const r of rows) for (const d of r.differences.slice(0, 3)) console.log(`  ${r.target} ${d}`);
  const minRatio = Math.min(...rows.map((r) => r.ratio));
  const simFlakes = rows.reduce((n, r) => n + r.simFlakes, 0);
  targets.push(
    `>= 100x faster than real mode with 0 simulator flakes: slowest ratio ${fmt(minRatio)}x, ${simFlakes} simulator flakes -> ${verdict(minRatio >= 100 && simFlakes === 0)}`,
  );
  save();
}

if (want('validate')) {
  const results = [];
  for (const executor of ['reference', 'codex'] as const) {
    const v = await validateReal(executor, P.validateReps);
    results.push(v);
    out.validate = results;
    save();
    const s = (ms: number) => (ms / 1000).toFixed(2);
    if (v.error) console.log(`\nexecsim validate --executor ${executor}: could not run: ${v.error}`);
    console.log(
      table(
        `execsim validate --executor ${executor} (time x${v.timeFactor}): wall s per case over ${v.repetitions} repetitions, and flakes (a repetition whose verdict differs from the case's usual one)`,
        ['case', 'wall s med', 'wall s max', 'flakes', 'verdict'],
        [
          ...v.cases.map((c) => [c.case, s(c.wallMsMedian), s(c.wallMsMax), `${c.flakes}/${v.repetitions}`, c.verdict || 'holds']),
          ['whole matrix (cases only)', s(v.matrixMsMedian), s(v.matrixMsMax), `${v.flakes}/${v.runs} runs`, ''],
          ['executor start / stop (once)', s(v.executorStartMs), s(v.executorStopMs), '', ''],
          [`one whole command (exit ${v.command.exitCode})`, s(v.command.wallMs), '', '', ''],
        ],
      ),
    );
    for (const c of v.cases.filter((x) => x.flakes > 0)) console.log(`  ${executor} ${c.case}: ${c.differences.join('; ')}`);
    targets.push(
      `validate --executor ${executor} under 15 s with 0 flakes in ${v.repetitions} repetitions: command ${s(v.command.wallMs)} s, matrix median ${s(v.matrixMsMedian)} s (worst ${s(v.matrixMsMax)} s), ${v.flakes} flakes -> ${verdict(!v.error && v.command.wallMs < 15_000 && v.matrixMsMax < 15_000 && v.flakes === 0)}`,
    );
  }
}

if (want('memory')) {
  const m = await memory('attach-pump', P.memory, (done) => process.stderr.write(`memory: ${done.toLocaleString('en-US')} runs\n`));
  out.memory = m;
  console.log(
    table(
      `Memory over ${fmt(m.runs)} runs of ${m.target}`,
      ['runs', 'rss MB', 'heap MB'],
      m.samples.map((s) => [s.runs, s.rssMb, s.heapMb]),
    ),
  );
  targets.push(
    `memory flat over ${fmt(m.runs)} runs: RSS ${m.rssStartMb} -> ${m.rssEndMb} MB, heap ${m.heapStartMb} -> ${m.heapEndMb} MB -> ${verdict(m.heapEndMb <= m.heapStartMb * 1.5 + 5)}`,
  );
  save();
}

if (want('workers')) {
  const w = await workers('session-wait', workersRuns ?? P.workers, P.ceiling);
  out.workers = w;
  console.log(
    table(
      'Parallel exploration: whole `execsim explore` commands (start-up and worker start included; --workers 2 = the main thread + 1 worker thread) against the machine ceiling (2 plain CPU-bound processes, same run); in-process pools of worker threads for the parallelism alone',
      [
        'target',
        'runs',
        'executed',
        '--workers 1 ms',
        '--workers 2 ms',
        'speedup',
        'ceiling',
        'of ceiling',
        '2 shards ms',
        'shards',
        'of shards',
        'cpu s (lanes) 1 / 2 / shards',
        '1-thread pool ms',
        '2-thread pool ms',
        'pool speedup',
        'same result',
      ],
      [
        [
          w.target,
          w.runs,
          w.runsExecuted,
          w.oneMs,
          w.twoMs,
          `${w.speedup.toFixed(2)}x`,
          `${w.ceiling.speedup.toFixed(2)}x`,
          `${Math.round(w.ofCeiling * 100)}%`,
          w.shardsMs,
          `${w.shardsSpeedup.toFixed(2)}x`,
          `${Math.round(w.ofShards * 100)}%`,
          [
            [w.oneCpuMs, w.oneLanesCpuMs],
            [w.twoCpuMs, w.twoLanesCpuMs],
            [w.shardsCpuMs, w.shardsLanesCpuMs],
          ]
            .map(([all, lanes]) => `${((all as number) / 1000).toFixed(1)} (${((lanes as number) / 1000).toFixed(1)})`)
            .join(' / '),
          w.poolOneMs,
          w.twoThreadsMs,
          `${w.poolSpeedup.toFixed(2)}x`,
          String(w.sameResult),
        ],
      ],
    ),
  );
  const rest = (all: number, lanes: number) => `${((all - lanes) / 1000).toFixed(1)} s (${Math.round(((all - lanes) / all) * 100)}%)`;
  console.log(
    `CPU outside the lanes (V8's JIT compilation and GC threads, tsx's loader hooks): --workers 1 ${rest(w.oneCpuMs, w.oneLanesCpuMs)}, --workers 2 ${rest(w.twoCpuMs, w.twoLanesCpuMs)}, shards ${rest(w.shardsCpuMs, w.shardsLanesCpuMs)}; ` +
      `a process of the machine's ceiling has none, so on an idle machine --workers 1 has the second core for that CPU and --workers 2 shares two cores with it` +
      (w.twoLanes < 2 ? `; --workers 2 ran on ${w.twoLanes} lane (too few runs)` : ''),
  );
  console.log(
    `What the CPU allows on 2 idle cores: ${w.idleEstimate.toFixed(2)}x (--workers 1 takes about its lane's ${(w.oneLanesCpuMs / 1000).toFixed(1)} s, ` +
      `its other threads on the second core; --workers 2 at least its ${(w.twoCpuMs / 1000).toFixed(1)} s over two cores)`,
  );
  targets.push(
    `>= 1.8x with 2 workers: ${w.speedup.toFixed(2)}x on ${cpus().length} cores (the machine's ceiling now ${w.ceiling.speedup.toFixed(2)}x) -> ${verdict(w.speedup >= 1.8)}`,
  );
  targets.push(
    `2 workers at the machine's ceiling: ${w.speedup.toFixed(2)}x against ${w.ceiling.speedup.toFixed(2)}x (${Math.round(w.ofCeiling * 100)}%) -> ${verdict(w.ofCeiling >= 0.95)}`,
  );
  targets.push(
    `2 workers at the workload's ceiling (2 shard processes at once): ${w.speedup.toFixed(2)}x against ${w.shardsSpeedup.toFixed(2)}x (${Math.round(w.ofShards * 100)}%) -> ${verdict(w.ofShards >= 0.95)}`,
  );
  save();
}

out.targets = targets;
out.timing = { wallMs: Math.round(now() - started) };
save();
console.log('\nTargets\n' + targets.map((t) => `  ${t}`).join('\n'));
console.log(`\nwrote reports/bench.json (${Math.round((now() - started) / 1000)} s)`);
void median;
process.exit(0);
