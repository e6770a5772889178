/**
 * The retention guard (issue 17): two ways of writing a closure that V8 allocates in OLD space,
 * where it keeps its context (and everything the enclosing function captured, for a run: the
 * whole world) alive through every minor GC, until a major one. Checked with `%InYoungGeneration`
 * on Node 20; either makes a finished run survive scavenges whole, which was a tenth of a run's
 * CPU for exec-stream (issue 17).
 * - a function literal assigned straight to a property: `obj.f = () => ...`, `this.f = function`,
 *   `o['f'] ??= ...` (V8's parser pretenures it, as for `Foo.prototype.m = function`); name it
 *   first (`const f = () => ...; obj.f = f`), or pass it to a constructor;
 * - an accessor in an object literal made inside a function (`return { get x() { ... } }`): its
 *   object survives minor GCs the same way (measured: 625 KB a call kept, 2 KB with a plain
 *   property); use a class, whose accessors are on its prototype.
 * Class fields (`f = () => ...`), object-literal members and call arguments stay young.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { scannedFiles } from './determinismScan.ts';

export interface RetentionHit {
  file: string;
  line: number;
  rule: 'closure stored in a property' | 'accessor in a per-call object literal';
  text: string;
}

const ASSIGN = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e))
    e = e.expression;
  return e;
}

function insideFunction(n: ts.Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

export function scanRetention(file: string, src: string): RetentionHit[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const hits: RetentionHit[] = [];
  const hit = (n: ts.Node, rule: RetentionHit['rule']): void => {
    const text = n.getText(sf).split('\n')[0] as string;
    hits.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, rule, text: text.slice(0, 120) });
  };
  const visit = (n: ts.Node): void => {
    if (
      ts.isBinaryExpression(n) &&
      ASSIGN.has(n.operatorToken.kind) &&
      (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left))
    ) {
      const r = unwrap(n.right);
      if (ts.isArrowFunction(r) || ts.isFunctionExpression(r) || ts.isClassExpression(r)) hit(n, 'closure stored in a property');
    }
    if (
      (ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) &&
      ts.isObjectLiteralExpression(n.parent) &&
      insideFunction(n.parent)
    )
      hit(n, 'accessor in a per-call object literal');
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits;
}

/** Every TypeScript file of `dirs` but tests, real mode and host tooling (they run no simulated worlds by the thousand). */
export function scanRetentionTree(root: string, dirs: string[]): { files: number; hits: RetentionHit[] } {
  const files = scannedFiles(root, dirs, /\.ts$/);
  return { files: files.length, hits: files.flatMap((rel) => scanRetention(rel, readFileSync(join(root, rel), 'utf8'))) };
}
