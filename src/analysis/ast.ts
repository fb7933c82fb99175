// Small helpers over the TypeScript syntax tree (compiler API nodes, no type checker).
import { ts } from '#typescript';
import type { SourceRange } from '../types.js';
import type { ParsedFile } from './parse.js';

export type Decl =
  | ts.VariableDeclaration
  | ts.ParameterDeclaration
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.ImportClause
  | ts.ImportSpecifier
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration
  | ts.BindingElement
  | ts.EnumDeclaration;

/** Removes parentheses, type assertions, non-null assertions, `satisfies` and `await`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isAwaitExpression(expr)) {
      expr = expr.expression;
    } else return expr;
  }
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

export function nameText(name: ts.PropertyName | ts.BindingName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

export function stringValue(expr: ts.Node | undefined): string | undefined {
  if (!expr) return undefined;
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  return undefined;
}

/** Names bound by a binding name (identifier or destructuring pattern), with their nodes. */
function bindingHas(name: ts.BindingName, wanted: string): ts.Identifier | ts.BindingElement | undefined {
  if (ts.isIdentifier(name)) return name.text === wanted ? name : undefined;
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    if (ts.isIdentifier(el.name)) {
      if (el.name.text === wanted) return el;
    } else {
      const inner = bindingHas(el.name, wanted);
      if (inner) return inner;
    }
  }
  return undefined;
}

function declInStatements(statements: readonly ts.Statement[], name: string): Decl | undefined {
  for (const st of statements) {
    const found = declInStatement(st, name);
    if (found) return found;
  }
  return undefined;
}

function declInStatement(st: ts.Statement, name: string): Decl | undefined {
  if (ts.isVariableStatement(st)) return declInVarList(st.declarationList, name);
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name?.text === name) return st;
  if (ts.isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    if (c.name?.text === name) return c;
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return nb;
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (el.name.text === name) return el;
  }
  if (ts.isImportEqualsDeclaration(st) && st.name.text === name) return st;
  return undefined;
}

function declInVarList(list: ts.VariableDeclarationList, name: string): Decl | undefined {
  for (const d of list.declarations) {
    const hit = bindingHas(d.name, name);
    if (hit) return ts.isIdentifier(hit) ? d : hit;
  }
  return undefined;
}

/** Finds the declaration an identifier refers to, by walking the lexical scopes outwards. */
export function findDeclaration(id: ts.Identifier): Decl | undefined {
  const name = id.text;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n)) {
      const d = declInStatements(n.statements, name);
      if (d) return d;
    } else if (ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      const d = declInStatements(n.statements, name);
      if (d) return d;
    } else if (isFunctionLike(n)) {
      for (const p of n.parameters) {
        const hit = bindingHas(p.name, name);
        if (hit) return ts.isIdentifier(hit) ? p : hit;
      }
      if ((ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n)) && n.name?.text === name) return n as ts.FunctionDeclaration;
    } else if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
      const d = declInVarList(n.initializer, name);
      if (d) return d;
    } else if (ts.isCatchClause(n) && n.variableDeclaration) {
      const hit = bindingHas(n.variableDeclaration.name, name);
      if (hit) return ts.isIdentifier(hit) ? n.variableDeclaration : hit;
    } else if (ts.isClassExpression(n) && n.name?.text === name) {
      return undefined;
    }
  }
  return undefined;
}

export function importSource(d: Decl): string | undefined {
  if (ts.isImportClause(d)) return stringValue(d.parent.moduleSpecifier);
  if (ts.isNamespaceImport(d)) return stringValue(d.parent.parent.moduleSpecifier);
  if (ts.isImportSpecifier(d)) return stringValue(d.parent.parent.parent.moduleSpecifier);
  if (ts.isImportEqualsDeclaration(d) && ts.isExternalModuleReference(d.moduleReference)) return stringValue(d.moduleReference.expression);
  return undefined;
}

/** `require('x')` → 'x' */
export function requireSpecifier(expr: ts.Expression): string | undefined {
  expr = unwrap(expr);
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require' && expr.arguments.length === 1) return stringValue(expr.arguments[0]);
  return undefined;
}

function getProperty(obj: ts.ObjectLiteralExpression, key: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && nameText(p.name) === key) return p;
  }
  return undefined;
}

export function propertyValue(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const p = getProperty(obj, key);
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

/** Property access chain as names: `a.b.c` → ['a','b','c'] (root must be an identifier or `this`). */
export function accessPath(expr: ts.Expression): string[] | undefined {
  // A loop from the end of the chain to its root: chains can be thousands of links long.
  const names: string[] = [];
  for (let e = unwrap(expr); ; ) {
    if (ts.isIdentifier(e)) names.push(e.text);
    else if (e.kind === ts.SyntaxKind.ThisKeyword) names.push('this');
    else if (ts.isPropertyAccessExpression(e)) {
      names.push(e.name.text);
      e = unwrap(e.expression);
      continue;
    } else if (ts.isElementAccessExpression(e)) {
      const key = stringValue(e.argumentExpression);
      if (key === undefined) return undefined;
      names.push(key);
      e = unwrap(e.expression);
      continue;
    } else return undefined;
    return names.reverse();
  }
}

export function rangeOf(file: ParsedFile, node: ts.Node): SourceRange {
  const start = file.sf.getLineAndCharacterOfPosition(node.getStart(file.sf));
  const end = file.sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file: file.relPath, startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/**
 * Depth-first walk in source order; return `false` from the visitor to skip a node's children. An
 * explicit stack, not recursion: ordinary code nests without bound (3,500 strings joined with `+`, 2,000
 * chained `.then`, 3,000 `else if`), and a recursive walk overflows the call stack on it.
 */
export function walk(node: ts.Node, visit: (n: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [node];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): undefined => {
    children.push(child); // forEachChild stops at a truthy return: none here
  };
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    ts.forEachChild(n, collect);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    children.length = 0;
  }
}

/** Walk a function body without descending into nested functions (they are other units). */
export function walkOwnBody(fn: ts.Node, visit: (n: ts.Node) => boolean | void): void {
  const body = isFunctionLike(fn) ? fn.body : fn;
  if (!body) return;
  walk(body, (n) => {
    if (n !== body && isFunctionLike(n) && !ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) return false;
    return visit(n);
  });
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === container) return true;
  return false;
}

export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Literal numeric value, following `-` and local/module constants. */
export function numericValue(expr: ts.Expression | undefined, depth = 0): number | undefined {
  if (!expr || depth > 4) return undefined;
  expr = unwrap(expr);
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken) {
    const v = numericValue(expr.operand, depth + 1);
    return v === undefined ? undefined : -v;
  }
  if (ts.isBinaryExpression(expr)) {
    const a = numericValue(expr.left, depth + 1);
    const b = numericValue(expr.right, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (expr.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return a * b;
      case ts.SyntaxKind.PlusToken:
        return a + b;
      case ts.SyntaxKind.MinusToken:
        return a - b;
      case ts.SyntaxKind.SlashToken:
        return a / b;
    }
    return undefined;
  }
  if (ts.isIdentifier(expr)) {
    const d = findDeclaration(expr);
    if (d && ts.isVariableDeclaration(d) && d.initializer && isConstDecl(d)) return numericValue(d.initializer, depth + 1);
  }
  return undefined;
}

export function isConstDecl(d: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(d.parent) && (d.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** True when the declaration sits at module level (not inside a function). */
export function isModuleLevel(node: ts.Node): boolean {
  return enclosingFunction(node) === undefined;
}

/**
 * What the module's own calls of a function pass for one of its parameters (`function send(stripe,
 * params)` … `send(client, { … })`): one expression per call, undefined where a call leaves it out.
 * Undefined when the function has no name to be called by.
 */
export function callSiteArguments(p: ts.ParameterDeclaration): Array<ts.Expression | undefined> | undefined {
  const fn = p.parent;
  if (!isFunctionLike(fn)) return undefined;
  const index = fn.parameters.indexOf(p);
  const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  if (!name || index < 0) return undefined;
  const args: Array<ts.Expression | undefined> = [];
  walk(fn.getSourceFile(), (n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) args.push(n.arguments[index]);
  });
  return args;
}
