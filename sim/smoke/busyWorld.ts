/**
 * The smoke world: a busy, protocol-free world that exercises every part of the kernel at once.
 * A server streams the output of scripted jobs to clients over WebSockets and answers status
 * probes over HTTP; clients reconnect after cuts; two writers with different mtime granularity
 * write, rename and stat files; jobs exit and their PIDs get reused. Faults (cuts, half-open,
 * lag, refusals, mtime rewrites, torn reads, kills, pid reuse) are drawn from the seed's
 * `faults` stream and the workload from its `workload` stream. `execsim run` falls back to it,
 * and the determinism tests run it twice per seed.
 */
import type { Fault } from '../faults/fault.ts';
import { Inbox, TIMED_OUT, isNetError, type Ports, type WsSocket } from '../ports/index.ts';
import type { Rng } from '../rng.ts';
import { createWorld, type RunResult, type World } from '../world.ts';

export interface SmokeResult {
  seed: number;
  run: RunResult;
  traceHash: string;
  events: number;
  errors: number;
}

export interface SmokeOptions {
  /** Draw a fault schedule from the seed (default true). */
  faults?: boolean;
}

export function buildSmokeWorld(seed: number, options: SmokeOptions = {}): World {
  const world = createWorld({ seed, proc: { pidMin: 300, pidMax: 307 } });
  const workload = world.rng.get('workload');
  const clients = workload.int(2, 4);
  startServer(world);
  for (let i = 1; i <= clients; i++) startClient(world, `client${i}`, workload.int(2, 5), workload.int(1, 3));
  startWriters(world, workload.int(3, 8));
  if (options.faults ?? true) world.schedule(drawFaults(world.rng.get('faults'), clients));
  return world;
}

export async function runSmokeWorld(seed: number, options: SmokeOptions = {}): Promise<SmokeResult> {
  const world = buildSmokeWorld(seed, options);
  const run = await world.run(120_000);
  return { seed, run, traceHash: world.traceHash(), events: world.trace.events.length, errors: world.errors.length };
}

function startServer(world: World): void {
  const ports = world.host('server');
  let jobs = 0;
  const running = new Map<string, number>();
  world.spawn('server', async () => {
    await ports.net.listen(4000, {
      upgrade: (req) => (req.path.startsWith('/jobs') ? undefined : 404),
      connection: (socket) => serveJob(ports, socket, ++jobs, running),
      request: (req) => {
        const code = running.get(req.path.replace('/status/', ''));
        return { status: 200, body: { running: code === undefined, exitCode: code ?? null } };
      },
    });
  });
}

function serveJob(ports: Ports, socket: WsSocket, job: number, exits: Map<string, number>): void {
  const r = ports.random;
  const steps = [];
  for (let i = 0, t = 0; i < r.int(1, 6); i++) {
    t += r.int(1, 400);
    steps.push({ atMs: t, stream: r.int(0, 3) === 0 ? ('stderr' as const) : ('stdout' as const), data: `job${job}-line${i}\n` });
  }
  const endMs = (steps.at(-1)?.atMs ?? 0) + r.int(1, 300);
  const proc = ports.proc.run(
    { steps, end: { atMs: endMs, code: r.int(0, 3) }, childHoldsPipesMs: r.int(0, 2) === 0 ? r.int(1, 200) : 0 },
    { name: `job${job}`, zombieMs: r.int(0, 1) * 50 },
  );
  proc.on('output', (stream, chunk) => socket.send(`${stream}:${Buffer.from(chunk).toString()}`));
  proc.on('exit', (s) => exits.set(`job${job}`, s.code ?? -1));
  proc.on('close', () => {
    socket.send(JSON.stringify({ exit: proc.exitStatus?.code ?? null }));
    socket.close(1000, 'done');
  });
  socket.on('message', (data) => {
    if (data === 'kill') proc.kill('SIGTERM');
  });
  socket.on('close', () => {
    if (!proc.exitStatus) proc.kill('SIGTERM');
  });
}

function startClient(world: World, name: string, jobs: number, retries: number): void {
  const ports = world.host(name);
  world.spawn(name, async () => {
    for (let j = 0; j < jobs; j++) {
      let attempt = 0;
      for (;;) {
        try {
          const socket = await ports.net.connect('ws://server:4000/jobs', { timeoutMs: 2_000 });
          const inbox = new Inbox(socket);
          let lines = 0;
          for (;;) {
            const item = await inbox.nextWithin(ports.clock, 1_500, 'job output');
            if (item === TIMED_OUT) {
              ports.log('client.idle', { lines });
              socket.close(4000, 'idle');
              break;
            }
            if (item.type === 'close') {
              ports.log('client.job-end', { lines, code: item.code });
              break;
            }
            lines++;
            if (lines === 3 && ports.random.int(0, 4) === 0) socket.send('kill');
          }
          const probe = await ports.net
            .request({ method: 'GET', url: `http://server:4000/status/job${j}`, timeoutMs: 500 })
            .catch((e: unknown) => {
              ports.log('client.probe-failed', { code: isNetError(e) ? e.code : 'unknown' });
              return undefined;
            });
          if (probe) ports.log('client.probe', { status: probe.status });
          break;
        } catch (e) {
          ports.log('client.connect-failed', { code: isNetError(e) ? e.code : 'unknown', attempt });
          if (++attempt > retries) break;
          await ports.clock.sleep(ports.random.int(50, 500), 'backoff');
        }
      }
    }
  });
}

function startWriters(world: World, rounds: number): void {
  const coarse = world.host('daemon', { fs: { mtimeGranularity: '1s', mtimeSkewMs: 0 } });
  const fine = world.host('agent', { fs: { mtimeGranularity: 'ns', mtimeSkewMs: 0 } });
  world.spawn('agent', async () => {
    await fine.fs.mkdir('/session/output', { recursive: true });
    for (let i = 0; i < rounds; i++) {
      await fine.clock.sleep(fine.random.int(100, 900), 'work');
      await fine.fs.writeFile('/session/result.toml.tmp', `status = "running"\nround = ${i}\n`);
      await fine.fs.rename('/session/result.toml.tmp', '/session/result.toml');
      await fine.fs.appendFile('/session/stdout.log', `round ${i}\n`);
    }
  });
  world.spawn('daemon', async () => {
    const self = coarse.proc.spawn({ name: 'daemon', cmdline: 'daemon --session s1' });
    for (let i = 0; i < rounds; i++) {
      await coarse.clock.sleep(coarse.random.int(200, 1200), 'poll');
      const exists = await coarse.fs.exists('/session/result.toml');
      if (!exists) continue;
      const text = await coarse.fs.readFile('/session/result.toml');
      const st = await coarse.fs.stat('/session/result.toml');
      coarse.log('daemon.saw', { bytes: text.length, mtimeMs: st.mtimeMs });
      await coarse.fs.writeFile('/session/daemon-completion.toml', `round = ${i}\n`);
      if (self.exitStatus) return;
    }
    if (!self.exitStatus) self.exit(0);
  });
}

function drawFaults(r: Rng, clients: number): Fault[] {
  const faults: Fault[] = [];
  const client = () => `client${r.int(1, clients)}`;
  const n = r.int(2, 8);
  for (let i = 0; i < n; i++) {
    const at = r.int(0, 8_000);
    switch (r.int(0, 8)) {
      case 0:
        faults.push({ at, kind: 'cut', target: `${client()}->server` });
        break;
      case 1:
        faults.push({ at, kind: 'half-open', target: `${client()}->server`, ...(r.bool() ? { closeAfterMs: r.int(100, 3_000) } : {}) });
        break;
      case 2:
        faults.push({ at, kind: 'lag', target: client(), durationMs: r.int(100, 3_000), extraMs: r.int(10, 800) });
        break;
      case 3:
        faults.push({
          at,
          kind: 'refuse',
          target: `${client()}->server`,
          count: r.int(1, 3),
          ...(r.bool() ? { status: r.pick([404, 409, 502, 503]) } : {}),
        });
        break;
      case 4:
        faults.push({ at, kind: 'close', target: 'server', code: r.pick([1001, 1011]) });
        break;
      case 5:
        faults.push({ at, kind: 'set-mtime', target: '/session/result.toml', offsetMs: r.int(-2_000, 2_000) });
        break;
      case 6:
        faults.push({ at, kind: 'torn-read', target: '/session/result.toml' });
        break;
      case 7:
        faults.push({
          at,
          kind: 'kill',
          target: r.bool() ? 'daemon' : `job${r.int(1, 6)}`,
          signal: r.pick(['SIGKILL', 'SIGTERM'] as const),
        });
        break;
      default:
        faults.push({ at, kind: 'pid-reuse', target: r.bool() ? 'daemon' : `job${r.int(1, 6)}` });
    }
  }
  return faults.sort((a, b) => a.at - b.at);
}
