/**
 * `npm run schema`: writes scenarios/scenario.schema.json from the built-in targets' schemas
 * (test/sim/scenario/schemaFile.test.ts fails while the committed file is stale).
 */
import { fileURLToPath } from 'node:url';
import { BUILTIN_TARGETS } from '../../reference-impl/targets.ts';
import { writeTextAtomic } from '../host/hostIo.ts';
import { TargetRegistry } from '../registry.ts';
import { scenarioSchemaText } from '../scenario/schemaFile.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

export async function builtinSchemaText(): Promise<string> {
  return scenarioSchemaText(await new TargetRegistry(BUILTIN_TARGETS).all());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeTextAtomic(SCHEMA_FILE, await builtinSchemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
