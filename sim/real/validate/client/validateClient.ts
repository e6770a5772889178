/**
 * `execsim validate --client boxlite[@VERSION] | "CMD {url}"`: a real attach client against our
 * attach-pump runner (served for real, sim/real/boxliteRest.ts) behind the fault proxy, one
 * client process per case, judged by the attach-pump target's own checkers; and, for each case,
 * the same scenario in the simulator on the variant that claims to model the client, so the
 * report puts the real verdict and the model's side by side.
 */
import { spawnSync } from 'node:child_process';
import { target as attachPump } from '../../../../reference-impl/attach-pump/target.ts';
import { PROPERTIES } from '../../../../reference-impl/attach-pump/target/checkers.ts';
import { ExecsimError } from '../../../errors.ts';
import { runScenario } from '../../../runner.ts';
import { BOXLITE_DEFAULT_VERSION, BOXLITE_MODEL, boxliteCommand, ensureBoxlite } from './boxlitePreset.ts';
import { CLIENT_CASES, type ClientCase } from './cases.ts';
import { runClientCase, scenarioOf, type ClientCaseResult } from './runClientCase.ts';

export type Verdict = 'holds' | 'violated' | 'unknown';

export interface ClientValidateOptions {
  client: string;
  /** Our side runs this many times faster than the wall; the client under faketime too. */
  factor: number;
  /** Wrap the client in `faketime -f "+0 x<factor>"` (off for a client with no timers). */
  faketime: boolean;
  /** The attach-pump variant modelling the client (default: the preset's, else pre-627). */
  model?: string;
  cases?: readonly string[];
  log(line: string): void;
  onCase?(c: CaseReport, i: number, n: number): void;
}

export interface CaseReport {
  name: string;
  summary: string;
  real: Record<string, Verdict>;
  model: Record<string, Verdict>;
  /** Properties where the real client and the model disagree. */
  differs: string[];
  wallMs: number;
  clientExit: string;
  result: ClientCaseResult;
}

export interface ClientValidationReport {
  protocol: 'boxlite-rest-attach';
  client: { preset: string | null; version: string | null; command: string };
  model: string;
  timeFactor: number;
  properties: Record<string, string>;
  cases: CaseReport[];
  /** Every property held on the real client in every case. */
  conforms: boolean;
  /** The model's verdicts equal the real client's everywhere. */
  modelMatches: boolean;
}

const verdict = (v: boolean | 'unknown' | undefined): Verdict => (v === true ? 'holds' : v === false ? 'violated' : 'unknown');

export function resolveClient(spec: string, log: (l: string) => void): { preset: string | null; version: string | null; command: string; model: string } {
  const m = /^boxlite(?:@(.+))?$/.exec(spec);
  if (m) {
    const version = m[1] ?? BOXLITE_DEFAULT_VERSION;
    return { preset: 'boxlite', version, command: boxliteCommand(ensureBoxlite(version, log)), model: BOXLITE_MODEL[version] ?? 'pre-627' };
  }
  if (!spec.includes('{url}'))
    throw new ExecsimError('EXECSIM_USAGE', `--client: expected boxlite[@VERSION] or a command containing {url}, got ${JSON.stringify(spec)}`);
  return { preset: null, version: null, command: spec, model: 'pre-627' };
}

function checkFaketime(): void {
  const r = spawnSync('faketime', ['-f', '+0 x1', 'true'], { stdio: 'ignore' });
  if (r.status !== 0)
    throw new ExecsimError('EXECSIM_USAGE', 'validate --client: libfaketime is needed to dilate the client\'s time (Debian: apt-get install -y faketime), or pass --no-faketime');
}

export function selectCases(names: readonly string[] | undefined): ClientCase[] {
  if (!names) return CLIENT_CASES;
  const unknown = names.filter((n) => !CLIENT_CASES.some((c) => c.name === n));
  if (unknown.length) throw new ExecsimError('EXECSIM_USAGE', `--cases: unknown ${unknown.join(', ')} (known: ${CLIENT_CASES.map((c) => c.name).join(', ')})`);
  return CLIENT_CASES.filter((c) => names.includes(c.name));
}

export async function validateClient(opts: ClientValidateOptions): Promise<ClientValidationReport> {
  const cases = selectCases(opts.cases);
  const client = resolveClient(opts.client, opts.log);
  const model = opts.model ?? client.model;
  if (!(model in attachPump.variants))
    throw new ExecsimError('EXECSIM_USAGE', `--model: attach-pump has no variant ${JSON.stringify(model)} (variants: ${Object.keys(attachPump.variants).join(', ')})`);
  if (opts.faketime) checkFaketime();
  const command = opts.faketime ? `faketime -f "+0 x${opts.factor}" ${client.command}` : client.command;
  const out: CaseReport[] = [];
  for (const [i, c] of cases.entries()) {
    const result = await runClientCase(c, { command, factor: opts.factor, variant: model });
    const sim = await runScenario(attachPump, scenarioOf(c, model));
    const real: Record<string, Verdict> = {};
    const modelV: Record<string, Verdict> = {};
    for (const p of PROPERTIES) {
      real[p.name] = verdict(result.results[p.name]?.valid);
      modelV[p.name] = verdict(sim.checks.results[p.name]?.valid);
    }
    const r: CaseReport = {
      name: c.name,
      summary: c.summary,
      real,
      model: modelV,
      differs: PROPERTIES.map((p) => p.name).filter((p) => real[p] !== modelV[p]),
      wallMs: result.wallMs,
      clientExit: result.exit,
      result,
    };
    out.push(r);
    opts.onCase?.(r, i + 1, cases.length);
  }
  return {
    protocol: 'boxlite-rest-attach',
    client: { preset: client.preset, version: client.version, command },
    model,
    timeFactor: opts.factor,
    properties: Object.fromEntries(PROPERTIES.map((p) => [p.name, p.summary])),
    cases: out,
    conforms: out.every((c) => Object.values(c.real).every((v) => v !== 'violated')),
    modelMatches: out.every((c) => c.differs.length === 0),
  };
}
