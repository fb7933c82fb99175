// Where a value imported from a module is defined, through re-export files ("barrels"):
// `export { default as webhookRouter } from './webhook.route.js'`, `export * from './webhook.route.js'`,
// `import r from './webhook.route.js'; export { r as webhookRouter }`,
// `module.exports = { webhookRouter: require('./webhook.route') }`.
import { ts } from '#typescript';
import type { ParsedFile, Parser } from './parse.js';
import { accessPath, findDeclaration, importSource, propertyValue, requireSpecifier, stringValue, unwrap } from './ast.js';

/** Re-export files followed at most (a barrel of barrels of …). */
const MAX_REEXPORT_DEPTH = 6;

/** A module specifier and the export read from it ('default' for a default import or a whole `require()`). */
export interface ImportedValue {
  spec: string;
  name: string;
}

/**
 * `require('./x')`, `require('./x').router`, `ns.router` with `import * as ns`, or an identifier imported /
 * required from a module: the specifier and the export name.
 */
export function importedValue(expr: ts.Expression, depth = 0): ImportedValue | undefined {
  if (depth > MAX_REEXPORT_DEPTH) return undefined; // const a = b; const b = a;
  const e = unwrap(expr);
  const direct = requireSpecifier(e);
  if (direct) return { spec: direct, name: 'default' };
  if (ts.isPropertyAccessExpression(e)) {
    const inner = unwrap(e.expression);
    const spec = requireSpecifier(inner);
    if (spec) return { spec, name: e.name.text }; // require('./x').router
    if (ts.isIdentifier(inner)) {
      const d = findDeclaration(inner);
      if (d && ts.isNamespaceImport(d)) { // import * as routes from './routes'; routes.webhookRouter
        const s = importSource(d);
        if (s) return { spec: s, name: e.name.text };
      }
    }
    return undefined;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const d = findDeclaration(e);
  if (!d) return undefined;
  const imported = importSource(d);
  if (imported) {
    if (ts.isImportSpecifier(d)) return { spec: imported, name: (d.propertyName ?? d.name).text };
    return { spec: imported, name: 'default' };
  }
  if (ts.isVariableDeclaration(d) && d.initializer) return importedValue(d.initializer, depth + 1);
  // const { webhookRouter } = require('./routes')
  if (ts.isBindingElement(d) && ts.isObjectBindingPattern(d.parent) && ts.isVariableDeclaration(d.parent.parent) && d.parent.parent.initializer) {
    const spec = requireSpecifier(d.parent.parent.initializer);
    const key = d.propertyName ? (ts.isIdentifier(d.propertyName) || ts.isStringLiteral(d.propertyName) ? d.propertyName.text : undefined) : ts.isIdentifier(d.name) ? d.name.text : undefined;
    if (spec && key) return { spec, name: key };
  }
  return undefined;
}

/**
 * The absolute path of the module that defines `name` as imported from `spec` in `from`: the resolved module
 * itself unless it re-exports `name` from another module, followed through chains (cycles end the search).
 */
export function definingModule(parser: Parser, fromAbs: string, value: ImportedValue): string | undefined {
  const target = parser.resolver.resolve(fromAbs, value.spec);
  if (!target) return undefined;
  return reexportSource(parser, target, value.name, new Set(), 0) ?? target;
}

/** Where `abs` takes its export `name` from, when it re-exports it; undefined when it defines it (or does not export it). */
function reexportSource(parser: Parser, abs: string, name: string, seen: Set<string>, depth: number): string | undefined {
  const key = abs + '#' + name;
  if (seen.has(key) || depth > MAX_REEXPORT_DEPTH) return undefined;
  seen.add(key);
  const file = parser.get(abs);
  if (!file) return undefined;
  const follow = (from: ParsedFile, v: ImportedValue | undefined): string | undefined => {
    if (!v) return undefined;
    const next = parser.resolver.resolve(from.absPath, v.spec);
    if (!next || next === from.absPath) return undefined;
    return reexportSource(parser, next, v.name, seen, depth + 1) ?? next;
  };
  const stars: string[] = [];
  for (const st of file.sf.statements) {
    if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const spec = st.moduleSpecifier && stringValue(st.moduleSpecifier);
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.name.text !== name) continue;
          const local = el.propertyName ?? el.name;
          if (spec) return follow(file, { spec, name: local.text });
          // import r from './webhook.route.js'; export { r as webhookRouter }
          return ts.isIdentifier(local) ? follow(file, importedValue(local)) : undefined;
        }
      } else if (!st.exportClause && spec && name !== 'default') stars.push(spec);
    }
    // export default router, where router is imported
    if (ts.isExportAssignment(st) && name === 'default') return follow(file, importedValue(st.expression));
    // CommonJS: module.exports = { webhookRouter: require('./webhook.route') }, exports.webhookRouter = require(…)
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = accessPath(st.expression.left)?.join('.');
      const right = unwrap(st.expression.right);
      if (left === `module.exports.${name}` || left === `exports.${name}`) return follow(file, importedValue(right));
      if (left === 'module.exports') {
        if (name === 'default') return follow(file, importedValue(right));
        if (ts.isObjectLiteralExpression(right)) {
          const v = propertyValue(right, name);
          if (v) return follow(file, importedValue(v));
        }
      }
    }
  }
  for (const spec of stars) {
    const next = parser.resolver.resolve(abs, spec);
    if (!next || next === abs) continue;
    const deeper = reexportSource(parser, next, name, seen, depth + 1);
    if (deeper) return deeper;
    const n = parser.get(next);
    if (n && definesExport(n.sf, name)) return next;
  }
  return undefined;
}

/** Does the module declare the export `name` itself (`export const`, `export function`, `export { local }`)? */
function definesExport(sf: ts.SourceFile, name: string): boolean {
  for (const st of sf.statements) {
    const exported = (st as ts.HasModifiers).modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return true;
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.some((el) => el.name.text === name)) return true;
  }
  return false;
}
