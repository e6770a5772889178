// Worker-thread entry for parallel exploration: TypeScript runs through tsx, as in bin.js.
import { register } from 'tsx/esm/api';

register();
const { runBatchTask } = await import('./exploreTask.ts');
export default runBatchTask;
