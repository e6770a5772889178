// A workload program for validation runs: writes self-locating tape content (the format of
// sim/workload/tape.ts: 8-byte records, `o...` on stdout and `e...` on stderr) in the steps of a
// JSON plan, then exits with a code or kills itself with a signal. Its output is known exactly,
// so what an executor delivers can be checked byte by byte.
//   node emit.mjs '{"steps":[{"stream":"stdout","bytes":100,"delayMs":10}],"end":{"code":0}}'
// `timeFactor` (default 1) divides every delay: the run's time is dilated, this program's too.
const plan = JSON.parse(process.argv[2] ?? '{}');
const factor = plan.timeFactor > 0 ? plan.timeFactor : 1;
const offsets = { stdout: 0, stderr: 0 };

function tape(stream, offset, length) {
  const letter = stream === 'stderr' ? 'e' : 'o';
  let out = '';
  let k = Math.floor(offset / 8);
  let skip = offset - k * 8;
  while (out.length < length) {
    const rec = `${letter}${k.toString(36).padStart(6, '0')}\n`;
    out += skip > 0 ? rec.slice(skip) : rec;
    skip = 0;
    k++;
  }
  return out.slice(0, length);
}

const write = (stream, text) => new Promise((resolve) => process[stream].write(text, resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const step of plan.steps ?? []) {
  if (step.delayMs) await sleep(step.delayMs / factor);
  const text = tape(step.stream, offsets[step.stream], step.bytes);
  offsets[step.stream] += step.bytes;
  await write(step.stream, text);
}
const end = plan.end ?? { code: 0 };
if (end.signal) process.kill(process.pid, end.signal);
else process.exitCode = end.code;
