/**
 * Imports a third-party module by path (a target). JavaScript loads as is; a TypeScript module
 * (.ts, .mts, .cts) loads through tsx, which the installed package runs without otherwise (a
 * checkout already runs under tsx, so there it is an ordinary import).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const UNDER_TSX = import.meta.url.endsWith('.ts');

export async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(resolve(path)).href;
  if (UNDER_TSX || !/\.[mc]?ts$/.test(path)) return (await import(url)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}
