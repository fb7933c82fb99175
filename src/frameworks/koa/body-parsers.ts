// Which Koa body parser the app registers, and whether it keeps the unparsed body. koa-bodyparser always
// keeps the text on ctx.request.rawBody; koa-body keeps it (under Symbol.for('unparsedBody') on
// ctx.request.body) only when called with `includeUnparsed: true`, and never sets rawBody.
import { ts } from '#typescript';
import type { ParsedFile } from '../../analysis/parse.js';
import type { ProjectFacts } from '../types.js';
import { findDeclaration, importSource, propertyValue, requireSpecifier, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { ASSIGNS_RAW_BODY } from '../raw-body-hint.js';

const KOA_BODY = /^koa-body$/;
const KOA_BODYPARSER = /^(?:koa-bodyparser|@koa\/bodyparser)$/;

export function koaBodyFacts(files: ParsedFile[]): Pick<ProjectFacts, 'koaBody'> {
  const calls: ProjectFacts['koaBody']['calls'] = [];
  let bodyparser = false;
  for (const file of files) {
    if (!file.text.includes('koa-body') && !file.text.includes('bodyparser')) continue;
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n)) return;
      const module = calleeModule(n.expression);
      if (!module) return;
      if (KOA_BODYPARSER.test(module)) bodyparser = true;
      if (!KOA_BODY.test(module)) return;
      const opts = n.arguments[0] && unwrap(n.arguments[0]);
      const inc = opts && ts.isObjectLiteralExpression(opts) ? propertyValue(opts, 'includeUnparsed') : undefined;
      const includeUnparsed = !inc ? false : unwrap(inc).kind === ts.SyntaxKind.TrueKeyword ? true : unwrap(inc).kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
      calls.push({ call: n, file: file.relPath, includeUnparsed });
    });
  }
  const keepsRawBody = bodyparser || files.some((f) => ASSIGNS_RAW_BODY.test(f.text));
  return { koaBody: { calls, keepsRawBody } };
}

/** The module a called function comes from: `koaBody()` after `import { koaBody } from 'koa-body'`, `require('koa-body')()`. */
function calleeModule(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) return requireSpecifier(e); // require('koa-body')(…)
  const root = ts.isPropertyAccessExpression(e) ? unwrap(e.expression) : e;
  if (ts.isCallExpression(root)) return requireSpecifier(root); // require('koa-body').koaBody(…)
  if (!ts.isIdentifier(root)) return undefined;
  const d = findDeclaration(root);
  if (!d) return undefined;
  const imported = importSource(d);
  if (imported) return imported;
  if (ts.isBindingElement(d)) {
    const decl = d.parent.parent;
    return ts.isVariableDeclaration(decl) && decl.initializer ? requireSpecifier(decl.initializer) : undefined;
  }
  if (ts.isVariableDeclaration(d) && d.initializer) {
    const init = unwrap(d.initializer);
    return requireSpecifier(init) ?? (ts.isPropertyAccessExpression(init) ? requireSpecifier(init.expression) : undefined);
  }
  return undefined;
}

/** `Symbol.for('unparsedBody')`, directly or through a constant, or koa-body's own `unparsed` export. */
export function isUnparsedSymbol(expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'for' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Symbol' && stringValue(e.arguments[0]) === 'unparsedBody';
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const d = findDeclaration(e);
    if (!d) return false;
    const imported = importSource(d);
    if (imported) return /^koa-body\/unparsed(?:\.js)?$/.test(imported);
    if (ts.isVariableDeclaration(d) && d.initializer) return /^koa-body\/unparsed(?:\.js)?$/.test(requireSpecifier(d.initializer) ?? '') || isUnparsedSymbol(d.initializer, depth + 1);
  }
  return false;
}
