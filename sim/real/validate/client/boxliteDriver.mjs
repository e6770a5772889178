// The boxlite SDK driven as a user would (create, exec, read both streams to the end, wait,
// remove), printing what it was handed in execsim's client JSON-lines format (README.md):
//   {"type":"stdout"|"stderr","data":"<one chunk, as the SDK gave it>"}
//   {"type":"result","exitCode":N,"errorMessage"?:"..."}
// Usage: node boxliteDriver.mjs <url> <dir holding node_modules/@boxlite-ai/boxlite>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [url, dir] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sdk = await import(pathToFileURL(join(dir, 'node_modules/@boxlite-ai/boxlite/dist/index.js')).href);
const rt = sdk.JsBoxlite.rest(new sdk.BoxliteRestOptions({ url }));
let box;
try {
  box = await rt.create({ image: 'alpine:latest' });
  const ex = await box.exec('scripted', []);
  const pump = async (type, s) => {
    for (;;) {
      const data = await s.next();
      if (data === null || data === undefined) return;
      out({ type, data });
    }
  };
  const streams = Promise.all([pump('stdout', await ex.stdout()), pump('stderr', await ex.stderr())]);
  const r = await ex.wait();
  // the streams end with the pump; bounded, so a stream that never ends cannot hide the result
  await Promise.race([streams, new Promise((res) => setTimeout(res, 10_000))]);
  out(r.errorMessage == null ? { type: 'result', exitCode: r.exitCode } : { type: 'result', exitCode: r.exitCode, errorMessage: r.errorMessage });
} catch (e) {
  out({ type: 'result', exitCode: -1, errorMessage: `the SDK threw: ${e?.message ?? String(e)}` });
}
if (box) await rt.remove(box.id, true).catch(() => undefined);
process.exit(0);
