// Worker-thread entry for parallel exploration. As in bin.js: compiled JavaScript in the
// installed package (dist/), the TypeScript sources through tsx in a checkout.
import { existsSync } from 'node:fs';

const ts = new URL('./exploreTask.ts', import.meta.url);
let task;
if (existsSync(ts)) {
  const { register } = await import('tsx/esm/api');
  register();
  task = ts;
} else task = new URL('./exploreTask.js', import.meta.url);
const { runBatchTask } = await import(task.href);
export default runBatchTask;
