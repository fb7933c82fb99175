// Helpers for frameworks whose entry points are module exports.
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { isFunctionLike, unwrap, findDeclaration } from '../analysis/ast.js';
import type { AdapterContext } from './types.js';
import { resolveHandler } from './routes.js';

function hasModifier(n: ts.Node, kind: ts.SyntaxKind): boolean {
  return !!(n as ts.HasModifiers).modifiers?.some((m) => m.kind === kind);
}

/** The function exported under `name` ('default' included), with the node to report at. */
export function exportedFunction(file: ParsedFile, name: string, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  for (const st of file.sf.statements) {
    if (ts.isFunctionDeclaration(st) && hasModifier(st, ts.SyntaxKind.ExportKeyword)) {
      const isDefault = hasModifier(st, ts.SyntaxKind.DefaultKeyword);
      if ((name === 'default' && isDefault) || (!isDefault && st.name?.text === name)) return st;
    }
    if (ts.isVariableStatement(st) && hasModifier(st, ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return resolveHandler(d.initializer, ctx);
      }
    }
    if (ts.isExportAssignment(st) && !st.isExportEquals && name === 'default') return resolveHandler(st.expression, ctx);
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (el.name.text !== name) continue;
        const local = (el.propertyName ?? el.name) as ts.Identifier;
        const d = ts.isIdentifier(local) ? findDeclaration(local) : undefined;
        if (d && isFunctionLike(d)) return d as ts.FunctionLikeDeclaration;
        if (d && ts.isVariableDeclaration(d) && d.initializer) return resolveHandler(d.initializer, ctx);
      }
    }
    // CommonJS: exports.handler = …, module.exports.handler = …, module.exports = fn
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left.getText(file.sf);
      if (left === `exports.${name}` || left === `module.exports.${name}` || (name === 'default' && left === 'module.exports')) {
        const fn = resolveHandler(st.expression.right, ctx);
        if (fn) return fn;
      }
    }
  }
  return undefined;
}

/** `export default { fetch() {} }` style objects: the method named `method`. */
export function exportedObjectMethod(file: ParsedFile, method: string): ts.FunctionLikeDeclaration | undefined {
  for (const st of file.sf.statements) {
    if (!ts.isExportAssignment(st) || st.isExportEquals) continue;
    let e = unwrap(st.expression);
    if (ts.isIdentifier(e)) {
      const d = findDeclaration(e);
      if (d && ts.isVariableDeclaration(d) && d.initializer) e = unwrap(d.initializer);
    }
    if (!ts.isObjectLiteralExpression(e)) continue;
    for (const p of e.properties) {
      if (ts.isMethodDeclaration(p) && p.name.getText(file.sf) === method) return p;
      if (ts.isPropertyAssignment(p) && p.name.getText(file.sf) === method && isFunctionLike(unwrap(p.initializer))) return unwrap(p.initializer) as ts.FunctionLikeDeclaration;
    }
  }
  return undefined;
}

/** Names a module exports with `export`; with `commonJs`, also `exports.x =` / `module.exports.x =`. */
export function exportedNames(sf: ts.SourceFile, commonJs = false): string[] {
  const names = new Set<string>();
  for (const st of sf.statements) {
    const exported = (st as ts.HasModifiers).modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isFunctionDeclaration(st) && st.name) names.add(st.name.text);
    if (exported && ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    if (commonJs && ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(st.expression.left.getText(sf));
      if (m) names.add(m[1]);
    }
  }
  return [...names];
}
