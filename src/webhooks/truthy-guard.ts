// Does a value reach a point only when it is truthy? `if (!secret) return …` / `throw` / `continue` /
// `break` before the point (in its block or any block around it, the module included), `if (secret) { … }`
// or `secret && …` around it, `assert(secret)` before it. A fact about flow, no verdict: the secret rules
// use it to tell an empty fallback that reaches the verifier from one the code refuses.
import { ts } from '#typescript';
import { accessPath, findDeclaration, unwrap } from '../analysis/ast.js';
import { terminates } from './flow.js';

/** Calls that throw unless their first argument is truthy. */
const ASSERTS = new Set(['assert', 'assert.ok', 'invariant', 'ok', 'assertIsDefined']);

/** Statements that leave the rest of a block. */
function exits(st: ts.Statement): boolean {
  if (ts.isContinueStatement(st) || ts.isBreakStatement(st)) return true;
  if (ts.isBlock(st) && st.statements.length) return exits(st.statements[st.statements.length - 1]);
  return terminates(st);
}

/** `expr` reaches `at` only when truthy. Follows `const secret = other` and `other || ''` to what they copy. */
export function onlyWhenTruthy(expr: ts.Expression, at: ts.Node): boolean {
  const subjects = subjectsOf(expr);
  return subjects.length > 0 && guarded(subjects, at);
}

/** The value and the names it copies: a guard on any of them holds for the value. */
function subjectsOf(expr: ts.Expression, depth = 0): ts.Expression[] {
  const e = unwrap(expr);
  if (depth > 4) return [];
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    // `a || ''` is `a` whenever `a` is truthy
    return subjectsOf(e.left, depth + 1);
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    const init = d && ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer ? unwrap(d.initializer) : undefined;
    const copies = init && (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || (ts.isBinaryExpression(init) && init.operatorToken.kind !== ts.SyntaxKind.EqualsToken)) ? subjectsOf(init, depth + 1) : [];
    return [e, ...copies];
  }
  return accessPath(e) ? [e] : [];
}

/** Same value: the same declaration for a name, the same property path (`process.env.X`) otherwise. */
function same(a: ts.Expression, b: ts.Expression): boolean {
  const x = unwrap(a);
  const y = unwrap(b);
  if (ts.isIdentifier(x) && ts.isIdentifier(y)) return x.text === y.text && findDeclaration(x) === findDeclaration(y);
  const px = accessPath(x);
  const py = accessPath(y);
  return !!px && !!py && px.length > 1 && px.join('.') === py.join('.');
}

/** The condition is true only when a subject is truthy (`s`, `s && x`, `s.length`, `s.trim()`, `!!s`, `s !== ''`). */
function requiresTruthy(cond: ts.Expression, subjects: ts.Expression[]): boolean {
  const e = unwrap(cond);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return requiresTruthy(e.left, subjects) || requiresTruthy(e.right, subjects);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return falsyMeans(e.operand, subjects);
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(e.operatorToken.kind)) {
    return (isEmpty(e.right) && isValueOf(e.left, subjects)) || (isEmpty(e.left) && isValueOf(e.right, subjects));
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.GreaterThanToken && ts.isNumericLiteral(unwrap(e.right)) && unwrap(e.right).getText() === '0') return isValueOf(e.left, subjects);
  return isValueOf(e, subjects);
}

/** The condition is true whenever a subject is falsy (`!s`, `!s || x`, `x || !s`, `s === ''`, `!s.trim()`). */
function falsyMeans(cond: ts.Expression, subjects: ts.Expression[]): boolean {
  const e = unwrap(cond);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken) return falsyMeans(e.left, subjects) || falsyMeans(e.right, subjects);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return requiresTruthy(e.operand, subjects) || isValueOf(e.operand, subjects);
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(e.operatorToken.kind)) {
    return (isEmpty(e.right) && isValueOf(e.left, subjects)) || (isEmpty(e.left) && isValueOf(e.right, subjects));
  }
  return false;
}

/** `s`, `s.length`, `s.trim()`, `s?.trim()`: truthy exactly when `s` is a non-empty string. */
function isValueOf(expr: ts.Expression, subjects: ts.Expression[]): boolean {
  let e = unwrap(expr);
  if (ts.isCallExpression(e) && e.arguments.length === 0 && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'trim') e = unwrap(e.expression.expression);
  else if (ts.isPropertyAccessExpression(e) && e.name.text === 'length') e = unwrap(e.expression);
  else if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Boolean' && e.arguments[0]) e = unwrap(e.arguments[0]);
  return subjects.some((s) => same(s, e));
}

function isEmpty(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return (ts.isStringLiteralLike(e) && e.text === '') || (ts.isNumericLiteral(e) && e.text === '0');
}

function guarded(subjects: ts.Expression[], at: ts.Node): boolean {
  for (let n: ts.Node = at; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && n === p.thenStatement && requiresTruthy(p.expression, subjects)) return true;
    if (ts.isIfStatement(p) && n === p.elseStatement && falsyMeans(p.expression, subjects)) return true;
    if (ts.isConditionalExpression(p) && n === p.whenTrue && requiresTruthy(p.condition, subjects)) return true;
    if (ts.isConditionalExpression(p) && n === p.whenFalse && falsyMeans(p.condition, subjects)) return true;
    if (ts.isBinaryExpression(p) && n === p.right && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && requiresTruthy(p.left, subjects)) return true;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p)) {
      for (const st of p.statements) {
        if (st === n) break;
        if (ts.isIfStatement(st) && falsyMeans(st.expression, subjects) && exits(st.thenStatement)) return true;
        if (ts.isExpressionStatement(st) && asserts(st.expression, subjects)) return true;
      }
    }
  }
  return false;
}

function asserts(expr: ts.Expression, subjects: ts.Expression[]): boolean {
  const e = unwrap(expr);
  if (!ts.isCallExpression(e) || !e.arguments[0]) return false;
  const name = accessPath(e.expression)?.join('.');
  return !!name && ASSERTS.has(name) && requiresTruthy(e.arguments[0], subjects);
}
