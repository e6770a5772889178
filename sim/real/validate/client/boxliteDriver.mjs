// The boxlite SDK driven as its README shows a user: `new SimpleBox({ runtime, image })`,
// `box.exec(...)` (which reads both streams to the end, then waits), then remove; printing what
// SimpleBox handed back in execsim's client JSON-lines format (README.md):
//   {"type":"stdout"|"stderr","data":"<all of it, as SimpleBox joined it>"}
//   {"type":"result","exitCode":N}
// SimpleBox returns {exitCode, stdout, stderr}: the execution's errorMessage never reaches its
// user, so none is printed (the attach-pump variant boxlite-0-10-0 models that).
// Usage: node boxliteDriver.mjs <url> <dir holding node_modules/@boxlite-ai/boxlite>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [url, dir] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sdk = await import(pathToFileURL(join(dir, 'node_modules/@boxlite-ai/boxlite/dist/index.js')).href);
const runtime = sdk.JsBoxlite.rest(new sdk.BoxliteRestOptions({ url }));
const box = new sdk.SimpleBox({ runtime, image: 'alpine:latest' });
try {
  const r = await box.exec('scripted', []);
  if (r.stdout) out({ type: 'stdout', data: r.stdout });
  if (r.stderr) out({ type: 'stderr', data: r.stderr });
  out({ type: 'result', exitCode: r.exitCode });
} catch (e) {
  out({ type: 'result', exitCode: -1, errorMessage: `the SDK threw: ${e?.message ?? String(e)}` });
}
const id = await box.getId().catch(() => undefined);
if (id) await runtime.remove(id, true).catch(() => undefined);
process.exit(0);
