/**
 * Checks a session-wait workload from a scenario file, naming every problem by its JSON path.
 */
import { FieldCheck, show } from '../../../sim/index.ts';
import { RESULT_STATUSES } from './workload.ts';

function obj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function resultProblems(r: unknown, p: string): string[] {
  if (!obj(r)) return [`${p}: expected {atMs, status, exitCode}, got ${show(r)}`];
  return new FieldCheck(r, p)
    .only(['atMs', 'status', 'exitCode'])
    .int('atMs')
    .str('status', { oneOf: RESULT_STATUSES })
    .int('exitCode', { max: 255 }).problems;
}

export function validateWorkload(w: unknown, path: string): string[] {
  if (!obj(w)) return [`${path}: expected a session-wait workload object, got ${show(w)}`];
  const c = new FieldCheck(w, path)
    .only(['results', 'enrichedResults', 'exitAtMs', 'exitCode', 'stdout', 'stderrEveryMs', 'tool', 'mtimeGranularity', 'rssMb', 'wait'])
    .bool('enrichedResults')
    .int('exitAtMs')
    .int('exitCode', { max: 255 })
    .int('stderrEveryMs')
    .str('mtimeGranularity', { oneOf: ['ns', '1s', '2s'] })
    .int('rssMb');
  const problems = c.problems;
  if (!Array.isArray(w.results)) problems.push(`${path}.results: expected a list of result writes, got ${show(w.results)}`);
  else {
    w.results.forEach((r, i) => problems.push(...resultProblems(r, `${path}.results[${i}]`)));
    const times = w.results.map((r) => (obj(r) ? r.atMs : NaN)) as number[];
    times.forEach((t, i) => {
      if (i > 0 && t < (times[i - 1] as number))
        problems.push(`${path}.results[${i}].atMs: results must be in time order (${t} < ${times[i - 1]})`);
      if (typeof w.exitAtMs === 'number' && t > w.exitAtMs)
        problems.push(`${path}.results[${i}].atMs: written after the daemon's exit at ${w.exitAtMs}`);
    });
  }
  if (!Array.isArray(w.stdout)) problems.push(`${path}.stdout: expected a list of {atMs, bytes}, got ${show(w.stdout)}`);
  else
    w.stdout.forEach((s, i) => {
      const p = `${path}.stdout[${i}]`;
      if (!obj(s)) problems.push(`${p}: expected {atMs, bytes}, got ${show(s)}`);
      else problems.push(...new FieldCheck(s, p).only(['atMs', 'bytes']).int('atMs').int('bytes', { min: 1 }).problems);
    });
  if (w.tool !== null) {
    const p = `${path}.tool`;
    if (!obj(w.tool)) problems.push(`${p}: expected null or {startMs, endMs, outputEveryMs, outputResult}, got ${show(w.tool)}`);
    else {
      const t = w.tool;
      problems.push(
        ...new FieldCheck(t, p).only(['startMs', 'endMs', 'outputEveryMs', 'outputResult']).int('startMs').int('endMs').int('outputEveryMs')
          .problems,
      );
      if (typeof t.startMs === 'number' && typeof t.endMs === 'number' && t.endMs <= t.startMs)
        problems.push(`${p}.endMs: must be after startMs (${t.startMs})`);
      if (t.outputResult !== null) problems.push(...resultProblems(t.outputResult, `${p}.outputResult`));
    }
  }
  const p = `${path}.wait`;
  if (!obj(w.wait)) problems.push(`${p}: expected {startMs, capSecs, rewaitDelayMs, memoryWarnMb, sampler}, got ${show(w.wait)}`);
  else {
    const wc = new FieldCheck(w.wait, p)
      .only(['startMs', 'capSecs', 'rewaitDelayMs', 'memoryWarnMb', 'sampler'])
      .int('startMs', { min: 1 })
      .int('capSecs', { min: 1, max: 3600 })
      .int('rewaitDelayMs')
      .str('sampler', { oneOf: ['ok', 'unsupported'] });
    problems.push(...wc.problems);
    if (w.wait.memoryWarnMb !== null) problems.push(...new FieldCheck(w.wait, p).int('memoryWarnMb', { min: 1 }).problems);
  }
  return problems;
}
