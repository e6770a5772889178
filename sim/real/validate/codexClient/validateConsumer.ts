/**
 * `execsim validate --client codex[@VERSION] | "CMD {url}" --protocol codex-exec-server`: a real
 * consumer of the exec-server protocol (codex's unified exec, or any command printing the JSON
 * lines) against the reference exec-server behind the fault proxy, one consumer process per
 * case, judged by the exec-stream target's checkers; and each case in the simulator on the
 * variant that models the consumer (`v1-pushed`: codex upstream as modelled), side by side.
 */
import { target as execStream } from '../../../../reference-impl/exec-stream/target.ts';
import type { CheckResult, ReportedResult } from '../../../check/index.ts';
import type { ExecObserved } from '../../../../reference-impl/exec-stream/target/history.ts';
import { ExecsimError } from '../../../errors.ts';
import { runScenario } from '../../../runner.ts';
import type { Scenario } from '../../../target.ts';
import type { ExecWorkload } from '../../../../reference-impl/exec-stream/target/workload.ts';
import { CONSUMER_CASES, type ConsumerCase } from './cases.ts';
import { CODEX_DEFAULT_VERSION, CODEX_MODEL, ensureCodex } from './codexPreset.ts';
import { runConsumerCase, type Consumer, type ConsumerCaseResult } from './runConsumerCase.ts';

export type Verdict = 'holds' | 'violated' | 'not applicable' | 'unknown';

export interface ConsumerValidateOptions {
  client: string;
  /** The exec-stream variant modelling the consumer (default: the preset's, else v1-pushed). */
  model?: string;
  cases?: readonly string[];
  /** codex's exec_command yield_time_ms (default 30 s, codex's cap: the call waits out every fault). */
  yieldMs?: number;
  log(line: string): void;
  onCase?(c: ConsumerCaseReport, i: number, n: number): void;
}

export interface ConsumerCaseReport {
  name: string;
  summary: string;
  source: string;
  real: Record<string, Verdict>;
  model: Record<string, Verdict>;
  /** Properties where the real consumer and the model disagree. */
  differs: string[];
  /** The model's evidence where it differs (or is violated). */
  modelEvidence: Record<string, string>;
  /** The terminal answer, real and model, with its time after process/start (ms). */
  outcome: { real: string; model: string; differs: boolean };
  /** What the observation could not show (said out loud, never counted a pass). */
  notes: string[];
  wallMs: number;
  result: ConsumerCaseResult;
}

export interface ConsumerValidationReport {
  protocol: 'codex-exec-server-consumer';
  client: { preset: string | null; version: string | null; command: string };
  model: string;
  /** Real time: codex's timers are its own (libfaketime does not reach its static binary). */
  timeFactor: 1;
  properties: Record<string, string>;
  cases: ConsumerCaseReport[];
  conforms: boolean;
  /** The model's verdicts equal the real consumer's everywhere. */
  modelMatches: boolean;
  /** Cases whose terminal answer differs between the real consumer and the model (verdicts may still agree). */
  outcomesDiffer: string[];
}

/** The first terminal answer, short: `exit 0 @1.2s`, `failure "..." @25.5s`, or `none`. */
export function describeResult(results: readonly ReportedResult[], since: number): string {
  const r = results.find((x) => x.outcome.kind !== 'running');
  if (!r) return 'none';
  const o = r.outcome;
  const at = `@${((r.t - since) / 1000).toFixed(1)}s`;
  if (o.kind === 'exit') return `exit ${o.code}${o.denied ? ' denied' : ''}${o.error !== undefined ? ` (error: ${o.error.slice(0, 60)})` : ''} ${at}`;
  return `failure "${o.kind === 'failure' ? o.message.slice(0, 80) : ''}" ${at}`;
}

/**
 * The two terminal answers differ in kind (exit or failure) or exit code; a denial counts only
 * where the real answer states one (codex's does not), the time never.
 */
export function outcomesDiffer(real: readonly ReportedResult[], model: readonly ReportedResult[]): boolean {
  const a = real.find((x) => x.outcome.kind !== 'running')?.outcome;
  const b = model.find((x) => x.outcome.kind !== 'running')?.outcome;
  if (!a || !b) return a !== b;
  if (a.kind !== b.kind) return true;
  if (a.kind !== 'exit' || b.kind !== 'exit') return false;
  return a.code !== b.code || (a.denied !== undefined && a.denied !== (b.denied ?? false));
}

export function verdictOf(r: CheckResult | undefined): Verdict {
  if (!r) return 'unknown';
  if (r.notApplicable !== undefined) return 'not applicable';
  return r.valid === true ? 'holds' : r.valid === false ? 'violated' : 'unknown';
}

export function resolveConsumer(spec: string, log: (l: string) => void): { consumer: Consumer; preset: string | null; version: string | null; command: string; model: string } {
  const m = /^codex(?:@(.+))?$/.exec(spec);
  if (m) {
    const version = m[1] ?? CODEX_DEFAULT_VERSION;
    const binary = ensureCodex(version, log);
    return { consumer: { kind: 'codex', binary }, preset: 'codex', version, command: `${binary} exec --json ...`, model: CODEX_MODEL[version] ?? 'v1-pushed' };
  }
  if (!spec.includes('{url}'))
    throw new ExecsimError('EXECSIM_USAGE', `--client: expected codex[@VERSION] or a command containing {url} (the exec-server's ws:// URL), got ${JSON.stringify(spec)}`);
  return { consumer: { kind: 'command', command: spec }, preset: null, version: null, command: spec, model: 'v1-pushed' };
}

export function selectConsumerCases(names: readonly string[] | undefined): ConsumerCase[] {
  if (!names) return CONSUMER_CASES;
  const unknown = names.filter((n) => !CONSUMER_CASES.some((c) => c.name === n));
  if (unknown.length) throw new ExecsimError('EXECSIM_USAGE', `--cases: unknown ${unknown.join(', ')} (known: ${CONSUMER_CASES.map((c) => c.name).join(', ')})`);
  return CONSUMER_CASES.filter((c) => names.includes(c.name));
}

/** The simulator's run of a case on the model variant. */
export function modelScenario(c: ConsumerCase, variant: string): Scenario<ExecWorkload> {
  return {
    format: 1,
    title: `validate --client (model): ${c.name}`,
    source: c.source,
    target: execStream.name,
    variant,
    seed: 1,
    mode: 'safety',
    workload: c.workload,
    faults: c.faults.map((f) => ({ ...f })),
    expect: 'pass',
  };
}

export async function validateConsumer(opts: ConsumerValidateOptions): Promise<ConsumerValidationReport> {
  const cases = selectConsumerCases(opts.cases);
  const client = resolveConsumer(opts.client, opts.log);
  const model = opts.model ?? client.model;
  if (!(model in execStream.variants))
    throw new ExecsimError('EXECSIM_USAGE', `--model: exec-stream has no variant ${JSON.stringify(model)} (variants: ${Object.keys(execStream.variants).join(', ')})`);
  const props = execStream.properties.map((p) => p.name);
  // The wire rules judge the executor's frames, which the model records and a real consumer case
  // does not: both sides run the same reference server, so there is no verdict of the consumer's
  // to compare there (the model's is still shown).
  const executorOnly = new Set(execStream.properties.filter((p) => (p.needs ?? []).includes('wire')).map((p) => p.name));
  const out: ConsumerCaseReport[] = [];
  for (const [i, c] of cases.entries()) {
    const result = await runConsumerCase(c, { consumer: client.consumer, yieldMs: opts.yieldMs ?? 30_000 });
    // a case outside the simulator's fault model has no model column
    const sim = c.dropNotificationSeq === undefined ? await runScenario(execStream, modelScenario(c, model)) : undefined;
    const real: Record<string, Verdict> = {};
    const modelV: Record<string, Verdict> = {};
    const modelEvidence: Record<string, string> = {};
    for (const p of props) {
      real[p] = verdictOf(result.results[p]);
      modelV[p] = sim ? verdictOf(sim.checks.results[p]) : 'not applicable';
    }
    const differs = sim ? props.filter((p) => real[p] !== modelV[p] && !executorOnly.has(p)) : [];
    for (const p of props) if (sim && (differs.includes(p) || modelV[p] === 'violated')) modelEvidence[p] = sim.checks.results[p]?.summary ?? '';
    const simResults = sim ? (sim.outcome.observed as ExecObserved).results : [];
    const outcome = {
      real: describeResult(result.observed.results, result.startedAt),
      model: sim ? describeResult(simResults, 0) : 'not modelled',
      differs: sim ? outcomesDiffer(result.observed.results, simResults) : false,
    };
    const notes: string[] = sim ? [] : ["outside the simulator's fault model (a notification lost on a live connection): no model verdicts"];
    const t = result.truth.outcome;
    const said = result.observed.results.find((x) => x.outcome.kind === 'exit');
    if (t.kind === 'exit' && t.denied && said?.outcome.kind === 'exit' && said.outcome.denied === undefined)
      notes.push(
        client.preset === 'codex'
          ? "the process was denied by its sandbox, but codex's answer carries no denial state (the function_call_output reads as any exit, the --json item has exit_code and status only, stderr says nothing; sandboxed-exit, a failure without a denial, looks the same): the denial half of authoritative-completion and truthful-exit is not judged"
          : "the process was denied by its sandbox, but the consumer's answer does not carry a denial state: the denial half of authoritative-completion and truthful-exit is not judged",
      );
    // codex's SandboxDenied early-exit path answers the model without an exec end event (seen on denied runs only)
    if (client.preset === 'codex' && said !== undefined && result.items.length === 0)
      notes.push("codex's --json stream has no command_execution item for this call: the answer came without an exec end event (its SandboxDenied early-exit path does this; not a denial state, since it is intermittent)");
    const r: ConsumerCaseReport = { name: c.name, summary: c.summary, source: c.source, real, model: modelV, differs, modelEvidence, outcome, notes, wallMs: result.wallMs, result };
    out.push(r);
    opts.onCase?.(r, i + 1, cases.length);
  }
  return {
    protocol: 'codex-exec-server-consumer',
    client: { preset: client.preset, version: client.version, command: client.command },
    model,
    timeFactor: 1,
    properties: Object.fromEntries(execStream.properties.map((p) => [p.name, p.summary])),
    cases: out,
    conforms: out.every((c) => Object.values(c.real).every((v) => v !== 'violated')),
    modelMatches: out.every((c) => c.differs.length === 0),
    outcomesDiffer: out.filter((c) => c.outcome.differs).map((c) => c.name),
  };
}
