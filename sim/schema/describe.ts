/**
 * A schema's fields as lines for people (`execsim list`): the path of each field (`steps[].atMs`,
 * `tool.endMs`), what values it takes and what it means, with its unit. Made from the same
 * schema that validates, so the listing cannot drift from what is accepted.
 */
import { expected } from './problems.ts';

type Json = Record<string, unknown>;

export interface FieldLine {
  path: string;
  /** "integer >= 1, optional: window length (ms)" */
  text: string;
}

const article = (s: string) => s.replace(/^an? /, '');

function leafWords(s: Json): string {
  // a pattern's words are for errors; the description says the syntax
  if (s.type === 'string' && s.enum === undefined && !('const' in s)) return s.minLength ? 'non-empty string' : 'string';
  return Array.isArray(s.anyOf) ? (s.anyOf as Json[]).map(leafWords).join(' or ') : article(expected(s));
}

/** One line per field, depth first, nested objects by dotted path and list items by `[]`. */
export function fieldLines(schema: object, prefix = ''): FieldLine[] {
  const out: FieldLine[] = [];
  const visit = (s: Json, path: string): void => {
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = new Set((s.required ?? []) as string[]);
    for (const [name, f] of Object.entries(props)) {
      const p = path ? `${path}.${name}` : name;
      const shape = shapeOf(f);
      const optional = required.has(name) ? '' : ', optional';
      out.push({ path: p, text: `${shape.words}${optional}: ${String(f.description ?? '')}` });
      for (const [suffix, inner] of shape.inner) visit(inner, `${p}${suffix}`);
    }
  };
  visit(schema as Json, prefix);
  return out;
}

/** What a field holds in words, and the objects inside it to list further. */
function shapeOf(f: Json): { words: string; inner: Array<[string, Json]> } {
  const objects = (s: Json): Json[] =>
    s.type === 'object' && s.properties ? [s] : Array.isArray(s.anyOf) ? (s.anyOf as Json[]).flatMap(objects) : [];
  if (f.type === 'array') {
    const item = (f.items ?? {}) as Json;
    const inner = objects(item);
    return { words: inner.length > 0 ? 'list' : `list of ${leafWords(item)}`, inner: inner.map((o) => ['[]', o]) };
  }
  const inner = objects(f);
  if (inner.length === 0) return { words: leafWords(f), inner: [] };
  const words = Array.isArray(f.anyOf)
    ? (f.anyOf as Json[]).map((b) => (objects(b).length ? 'object' : leafWords(b))).join(' or ')
    : 'object';
  return { words, inner: inner.map((o) => ['', o]) };
}
