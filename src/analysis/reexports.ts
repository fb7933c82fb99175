// Where a value imported from a module is defined, through re-export files ("barrels"):
// `export { default as webhookRouter } from './webhook.route.js'`, `export * from './webhook.route.js'`,
// `import r from './webhook.route.js'; export { r as webhookRouter }`,
// `module.exports = { webhookRouter: require('./webhook.route') }`.
import { ts } from '#typescript';
import type { ParsedFile, Parser } from './parse.js';
import { findDeclaration, importSource, requireSpecifier, unwrap, type Decl } from './ast.js';
import { findExport } from './exports.js';

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
  return d ? importedFrom(d, depth) : undefined;
}

/** An import binding, a variable set to an import, or a name destructured from `require()`: the specifier and the export name. */
function importedFrom(d: Decl, depth = 0): ImportedValue | undefined {
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
  let mod: ParsedFile | undefined = target ? parser.get(target) : undefined;
  if (!mod) return target;
  let name = value.name;
  const seen = new Set<string>();
  for (let depth = 0; depth <= MAX_REEXPORT_DEPTH; depth++) {
    const node = findExport(parser, mod, name);
    if (!node) return depth === 0 ? target : mod.absPath;
    const home: ParsedFile = parser.get(node.getSourceFile().fileName) ?? mod;
    // The export is itself an import in the module that holds it (`import r from …; export { r as x }`,
    // `export default imported`, `module.exports = { x: require(…) }`): one more module to go.
    const next = importOf(node);
    const nextAbs = next ? parser.resolver.resolve(home.absPath, next.spec) : undefined;
    const key = `${nextAbs}#${next?.name}`;
    const nextMod = next && nextAbs && nextAbs !== home.absPath && !seen.has(key) ? parser.get(nextAbs) : undefined;
    if (!next || !nextMod) return home.absPath;
    seen.add(key);
    mod = nextMod;
    name = next.name;
  }
  return mod.absPath;
}

/** The import a declaration or expression stands for, if it is one. */
function importOf(node: ts.Node): ImportedValue | undefined {
  if (ts.isExpression(node)) return importedValue(node);
  return importedFrom(node as Decl);
}
