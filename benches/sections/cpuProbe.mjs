// Preloaded (--import) into each `execsim explore` command the workers bench times, so it runs in
// the main thread and in every worker thread (not in tsx's loader-hooks thread). Each worker
// thread tells the main thread its Linux thread id; the main thread reads every thread's CPU time
// (/proc/self/task/TID/schedstat, polled, so a worker thread that ends first is counted) and
// prints on exit the command's CPU split into the lanes (the threads that run the exploration)
// and the rest: V8's background threads (JIT compilation, parallel and concurrent GC), tsx's
// loader-hooks threads and libuv's.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';

const CHANNEL = 'execsim-bench-cpu';
const tid = () => readlinkSync('/proc/thread-self').split('/').pop();

if (!isMainThread) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(tid());
  channel.close();
} else {
  const lanes = new Set([tid()]);
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (m) => lanes.add(String(m.data));
  channel.unref();
  /** The last CPU time (ms) read for each thread. */
  const cpuMs = new Map();
  const poll = () => {
    for (const t of readdirSync('/proc/self/task')) {
      try {
        cpuMs.set(t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  };
  setInterval(poll, 50).unref();
  process.on('exit', () => {
    poll();
    const c = process.cpuUsage();
    const total = (c.user + c.system) / 1000;
    let inLanes = 0;
    for (const [t, ms] of cpuMs) if (lanes.has(t)) inLanes += ms;
    process.stderr.write(`\nexecsim-bench-cpu-ms ${Math.round(total)} lanes ${Math.round(inLanes)} count ${lanes.size}\n`);
  });
}
