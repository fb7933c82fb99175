// What a module exports under a name, followed through re-exports (`export { x } from`, `export *`),
// local aliases (`export { local }`, `export default local`) and CommonJS (`module.exports = …`,
// `exports.x = …`): the node that defines it. Shared by the client resolver (stripe/resolve.ts) and the
// adapters that follow an imported router or controller to its module (reexports.ts).
import { ts } from '#typescript';
import type { Parser, ParsedFile } from './parse.js';
import { accessPath, findDeclaration, propertyValue, stringValue, unwrap } from './ast.js';

/** The node that `mod` exports under `name` ('default' and 'module.exports' included). */
export function findExport(parser: Parser, mod: ParsedFile, name: string, seen = new Set<string>()): ts.Node | undefined {
  if (seen.has(mod.absPath + '#' + name)) return undefined;
  seen.add(mod.absPath + '#' + name);
  const sf = mod.sf;
  let cjsModule: ts.Expression | undefined;
  for (const st of sf.statements) {
    const exported = (st as ts.HasModifiers).modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = (st as ts.HasModifiers).modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && (isDefault ? name === 'default' : st.name?.text === name)) return st;
      else if (ts.isInterfaceDeclaration(st) && st.name.text === name) return st; // a port whose implementation is looked up
    }
    if (ts.isExportAssignment(st) && !st.isExportEquals && name === 'default') return followLocal(st.expression);
    if (ts.isExportAssignment(st) && st.isExportEquals && (name === 'module.exports' || name === 'default')) return followLocal(st.expression);
    if (ts.isExportDeclaration(st)) {
      const from = stringValue(st.moduleSpecifier);
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.name.text !== name) continue;
          const local = (el.propertyName ?? el.name).text;
          if (from) {
            const target = parser.importModule(mod, from);
            return target ? findExport(parser, target, local, seen) : undefined;
          }
          return localDeclaration(sf, local);
        }
      } else if (!st.exportClause && from && name !== 'default') {
        const target = parser.importModule(mod, from);
        const hit = target && findExport(parser, target, name, seen);
        if (hit) return hit;
      }
    }
    // CommonJS: module.exports = …, module.exports.x = …, exports.x = …
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left;
      const path = accessPath(left)?.join('.');
      if (path === 'module.exports') cjsModule = st.expression.right;
      else if (path === `module.exports.${name}` || path === `exports.${name}`) return followLocal(st.expression.right);
    }
  }
  if (cjsModule) {
    const target = unwrap(cjsModule);
    if (name === 'default' || name === 'module.exports') return followLocal(target);
    if (ts.isObjectLiteralExpression(target)) {
      const v = propertyValue(target, name);
      return v ? followLocal(v) : undefined;
    }
  }
  if (name === 'module.exports') return findExport(parser, mod, 'default', seen);
  return undefined;
}

function followLocal(expr: ts.Expression): ts.Node {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return findDeclaration(e) ?? e;
  return e;
}

function localDeclaration(sf: ts.SourceFile, name: string): ts.Node | undefined {
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return st;
    if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name?.text === name) return c;
      const nb = c.namedBindings;
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (el.name.text === name) return el;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return nb;
    }
  }
  return undefined;
}
