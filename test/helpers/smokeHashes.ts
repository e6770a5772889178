/**
 * Prints the smoke world's trace hash for a range of seeds as JSON, so a test can compare a run
 * in another process with its own: `node --import tsx test/helpers/smokeHashes.ts FROM TO`.
 */
import { runSmokeWorld } from '../../sim/smoke/busyWorld.ts';

const from = Number(process.argv[2] ?? 1);
const to = Number(process.argv[3] ?? from);
const hashes: Record<number, string> = {};
for (let seed = from; seed <= to; seed++) hashes[seed] = (await runSmokeWorld(seed)).traceHash;
process.stdout.write(JSON.stringify(hashes));
