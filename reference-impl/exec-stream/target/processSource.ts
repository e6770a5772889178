/**
 * The process the server runs for a workload: tape content cut into the workload's chunks, per
 * stream, at its times; a denial line on stderr before the exit; the exit code or signal; a
 * grandchild holding the pipes.
 */
import type { ProcessScript, ScriptStep } from '../../../sim/ports/index.ts';
import { tape } from '../../../sim/workload/tape.ts';
import type { ScriptedProcess } from '../server/launcher.ts';
import { DENIAL_LINE, exitAtMs, type ExecWorkload } from './workload.ts';

export const PROCESS_NAME = 'job';

export function processScript(w: ExecWorkload): ProcessScript {
  const steps: ScriptStep[] = [];
  const offsets = { stdout: 0, stderr: 0 };
  let t = 0;
  for (const c of w.chunks) {
    t += c.gapMs;
    steps.push({ atMs: t, stream: c.stream, data: tape(c.stream, offsets[c.stream], c.bytes) });
    offsets[c.stream] += c.bytes;
  }
  const endAt = exitAtMs(w);
  if (w.denied) steps.push({ atMs: endAt, stream: 'stderr', data: DENIAL_LINE });
  const end = 'code' in w.end ? { atMs: endAt, code: w.end.code } : { atMs: endAt, signal: w.end.signal };
  const script: ProcessScript = { steps, end };
  if (w.childHoldsPipesMs > 0) script.childHoldsPipesMs = w.childHoldsPipesMs;
  return script;
}

export function scriptedProcess(w: ExecWorkload): ScriptedProcess {
  return { script: processScript(w), sandboxType: w.sandboxed ? 'linuxSeccomp' : 'none', name: PROCESS_NAME };
}
