/**
 * log-poll: an example third-party target (see examples/README.md). A worker runs a job and
 * keeps its output; a client polls it over HTTP (`POST /log`) until the job has exited and every
 * byte has been fetched, then reports the exit code. Responses carry at most `pageBytes`.
 * - `offset` (the fix): the client asks for output from the byte it has (`{ from }`), so a poll
 *   that times out is simply asked again.
 * - `server-cursor` (the planted bug): the worker remembers how far it has sent and answers the
 *   next page from there. A poll whose answer comes too late (a lag longer than the client's
 *   timeout) is retried, but its page is gone: output lost behind a clean exit.
 *
 * Written as a user would write it: everything from the `execsim` package.
 */
import {
  fc,
  int,
  list,
  obj,
  isNetError,
  noDuplicateOutput,
  noFalseFailure,
  noFalseSuccess,
  noLostOutput,
  singleResult,
  tape,
  terminates,
  truthfulExit,
  type DeliveredChunk,
  type Fault,
  type Observed,
  type Ports,
  type ProducedChunk,
  type ReportedResult,
  type Scenario,
  type ScriptStep,
  type Static,
  type Target,
  type Truth,
  type World,
} from 'execsim';

// The workload's fields, declared once: validation, the schema and `execsim list` come from it.
const LOG_POLL_WORKLOAD = obj(
  {
    chunks: list(
      obj({ gapMs: int('time before the chunk', 'ms'), bytes: int('bytes of tape', 'bytes', { min: 1 }) }, 'one output chunk'),
      "the job's output chunks",
      { expected: 'a list of chunks' },
    ),
    exitAfterMs: int('time between the last chunk and the exit', 'ms'),
    exitCode: int('the exit code', 'code', { max: 255 }),
    pollMs: int("the client's poll interval", 'ms', { min: 1 }),
    pageBytes: int('the most bytes one answer carries', 'bytes', { min: 1 }),
  },
  'a log-poll workload',
);

export type LogPollWorkload = Static<typeof LOG_POLL_WORKLOAD>;

/** A poll answer: a page of output, where the next one starts, and the exit code once all is sent. */
interface Page {
  data: string;
  next: number;
  exitCode: number | null;
}

const POLL_TIMEOUT_MS = 1_000;
const WORKER = 'http://worker:8080/log';

function script(w: LogPollWorkload): { steps: ScriptStep[]; endMs: number } {
  const steps: ScriptStep[] = [];
  let t = 0;
  let offset = 0;
  for (const c of w.chunks) {
    t += c.gapMs;
    steps.push({ atMs: t, stream: 'stdout', data: tape('stdout', offset, c.bytes) });
    offset += c.bytes;
  }
  return { steps, endMs: t + w.exitAfterMs };
}

function startWorker(ports: Ports, w: LogPollWorkload, variant: string): void {
  const { steps, endMs } = script(w);
  const job = ports.proc.run({ steps, end: { atMs: endMs, code: w.exitCode } }, { name: 'job' });
  let output = '';
  let exitCode: number | null = null;
  let cursor = 0; // server-cursor only: how far the worker believes the client has read
  job.on('output', (_stream, chunk) => void (output += Buffer.from(chunk).toString()));
  job.on('exit', (s) => void (exitCode = s.code));
  void ports.net.listen(8080, {
    request(req) {
      const asked = (req.body as { from?: number } | undefined)?.from ?? 0;
      const from = variant === 'server-cursor' ? cursor : asked;
      const data = output.slice(from, from + w.pageBytes);
      cursor = from + data.length;
      const page: Page = { data, next: from + data.length, exitCode: exitCode !== null && cursor >= output.length ? exitCode : null };
      return { status: 200, body: page };
    },
  });
}

async function runClient(ports: Ports, w: LogPollWorkload, delivered: DeliveredChunk[], results: ReportedResult[]): Promise<void> {
  let from = 0;
  for (;;) {
    await ports.clock.sleep(w.pollMs, 'poll');
    let page: Page;
    try {
      const res = await ports.net.request({ method: 'POST', url: WORKER, body: { from }, timeoutMs: POLL_TIMEOUT_MS });
      if (res.status !== 200) continue; // a refusal or an error status: ask again
      page = res.body as Page;
    } catch (e) {
      if (isNetError(e)) continue; // timed out or refused: ask again
      throw e;
    }
    if (page.data.length > 0) delivered.push({ t: ports.clock.now(), data: Buffer.from(page.data) });
    from = page.next;
    if (page.exitCode !== null) {
      results.push({ t: ports.clock.now(), outcome: { kind: 'exit', code: page.exitCode } });
      ports.log('client.result', { code: page.exitCode });
      return;
    }
  }
}

const KINDS = ['lag', 'refuse'] as const;

export const target: Target<LogPollWorkload> = {
  name: 'log-poll',
  summary: 'example: a client polls a worker for a job’s output over HTTP (examples/log-poll)',
  defaultVariant: 'offset',
  variants: {
    offset: { summary: 'the client asks for output from the byte it has', source: 'examples/log-poll', expected: 'pass' },
    'server-cursor': {
      summary: 'the worker answers from where it last sent: a late answer’s page is lost',
      source: 'examples/log-poll (planted bug)',
      expected: ['no-lost-output', 'no-false-success'],
    },
  },
  properties: [
    { name: 'no-lost-output', summary: 'every byte the job wrote reaches the client' },
    { name: 'no-duplicate-output', summary: 'no byte is delivered twice' },
    { name: 'single-result', summary: 'at most one terminal result' },
    { name: 'truthful-exit', summary: 'the reported exit code is the real one' },
    { name: 'no-false-success', summary: 'exit 0 only for a job that succeeded with all its output delivered' },
    { name: 'no-false-failure', summary: 'no failure is reported: lag and refusals are survivable' },
    {
      name: 'terminates',
      summary: 'after faults heal and the job exits, a result within one poll and timeout per page left, plus 5 s',
      livenessOnly: true,
    },
  ],
  checkers: {
    'no-lost-output': noLostOutput,
    'no-duplicate-output': noDuplicateOutput,
    'single-result': singleResult,
    'truthful-exit': truthfulExit,
    'no-false-success': noFalseSuccess,
    'no-false-failure': noFalseFailure,
    terminates: terminates((i) => {
      if (i.scenario.mode !== 'liveness') return undefined;
      // after the later of the heal and the exit: one poll per page still to fetch, each at most
      // the interval plus a timeout, and 5 s of slack
      const w = i.scenario.workload;
      const end = i.truth.outcome.kind === 'exit' ? i.truth.outcome.t : 0;
      const pages = Math.ceil(w.chunks.reduce((n, c) => n + c.bytes, 0) / w.pageBytes) + 1;
      return Math.max(i.scenario.healAtMs ?? 0, end) + pages * (w.pollMs + POLL_TIMEOUT_MS) + 5_000;
    }),
  },
  workload: {
    arbitrary: fc.record({
      chunks: fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 300 }), bytes: fc.integer({ min: 1, max: 96 }) }), {
        minLength: 1,
        maxLength: 8,
      }),
      exitAfterMs: fc.integer({ min: 0, max: 100 }),
      exitCode: fc.constantFrom(0, 0, 1, 2),
      pollMs: fc.integer({ min: 50, max: 400 }),
      pageBytes: fc.integer({ min: 8, max: 128 }),
    }),
    schema: LOG_POLL_WORKLOAD,
    describe: (w) =>
      `${w.chunks.length} chunks, ${w.chunks.reduce((n, c) => n + c.bytes, 0)} bytes, exit ${w.exitCode}, poll every ${w.pollMs} ms, pages of ${w.pageBytes} bytes`,
  },
  faults: {
    kernelKinds: KINDS,
    specs: [],
    arbitrary(kind: string, w: LogPollWorkload): fc.Arbitrary<Fault> {
      const at = fc.integer({ min: 0, max: script(w).endMs + 500 });
      switch (kind) {
        case 'lag':
          return fc
            .record({ at, durationMs: fc.integer({ min: 1, max: 3_000 }), extraMs: fc.integer({ min: 1, max: 2_000 }) })
            .map((f) => ({ ...f, kind: 'lag', target: 'client->worker' }));
        case 'refuse':
          return fc
            .record({ at, count: fc.integer({ min: 1, max: 4 }), status: fc.constantFrom(502, 503) })
            .map((f) => ({ ...f, kind: 'refuse', target: 'client->worker', scope: 'http' }));
        default:
          throw new Error(`log-poll: no fault kind ${kind}`);
      }
    },
  },
  async run(world: World, scenario: Scenario<LogPollWorkload>) {
    const w = scenario.workload;
    const delivered: DeliveredChunk[] = [];
    const results: ReportedResult[] = [];
    const worker = world.host('worker');
    const client = world.host('client');
    world.spawn('worker', async () => startWorker(worker, w, scenario.variant));
    world.spawn('client', () => runClient(client, w, delivered, results));
    world.schedule(scenario.faults);
    const r = await world.run(120_000);
    // The truth comes from the world's process table, never from the code under test.
    const job = world.proc.records.find((p) => p.name === 'job');
    const produced: ProducedChunk[] = (job?.output ?? []).map((o) => ({ t: o.t, data: o.data }));
    const truth: Truth = {
      streams: { stdout: produced },
      outcome: job?.exit
        ? { kind: 'exit', code: job.exit.status.code, signal: job.exit.status.signal, denied: false, t: job.exit.t }
        : { kind: 'running' },
      recoverable: true,
      unrecoverableBecause: [],
      runEndedAt: r.timeMs,
      ...(scenario.healAtMs !== undefined ? { healedAt: scenario.healAtMs } : {}),
    };
    const observed: Observed = { streams: { stdout: delivered }, notices: [], results };
    return { history: world.trace.events, observed, truth };
  },
};
