// Where a verification call's result flows and what surrounds it in its function: facts, no verdicts.
import { ts } from '#typescript';
import { accessPath, findDeclaration, isFunctionLike, nameText, unwrap, walk, walkOwnBody } from '../analysis/ast.js';
import type { Enclosing, GuardReads, ResultUse } from './model.js';

function isWrapperParent(p: ts.Node): boolean {
  return ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p);
}

/**
 * `const [err, event] = await to(stripe.webhooks.constructEventAsync(…))` (await-to-js, unpackPromise):
 * the names the wrapper's tuple is destructured into (the event is one of them).
 */
export function tupleWrapperNames(call: ts.Expression): string[] {
  return tupleWrapper(call)?.names ?? [];
}

export function tupleWrapper(call: ts.Expression): { wrapper: ts.CallExpression; names: string[] } | undefined {
  let n: ts.Node = call;
  while (n.parent && isWrapperParent(n.parent)) n = n.parent;
  const wrapper = n.parent;
  if (!wrapper || !ts.isCallExpression(wrapper) || !wrapper.arguments.includes(n as ts.Expression)) return undefined;
  let w: ts.Node = wrapper;
  while (w.parent && (ts.isAwaitExpression(w.parent) || ts.isParenthesizedExpression(w.parent) || ts.isAsExpression(w.parent))) w = w.parent;
  const decl = w.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== w || !ts.isArrayBindingPattern(decl.name)) return undefined;
  const names = decl.name.elements.flatMap((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? [e.name.text] : []));
  return names.length ? { wrapper, names } : undefined;
}

/** How the value of a call is used: stored in a variable, returned, thrown away, … */
export function resultUse(call: ts.Expression): ResultUse {
  let n: ts.Node = call;
  while (n.parent && isWrapperParent(n.parent)) n = n.parent;
  // constructEventAsync(…).catch(() => null)
  if (ts.isPropertyAccessExpression(n.parent) && n.parent.name.text === 'catch' && ts.isCallExpression(n.parent.parent)) return resultUse(n.parent.parent);
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    if (ts.isIdentifier(p.name)) return { kind: 'variable', name: p.name.text };
    if (ts.isObjectBindingPattern(p.name)) return { kind: 'destructured', names: p.name.elements.map((e) => nameText(e.propertyName ?? e.name) ?? '') };
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isIdentifier(p.left)) return { kind: 'variable', name: p.left.text };
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n)) return { kind: 'returned' };
  if (ts.isExpressionStatement(p)) return { kind: 'discarded' };
  return { kind: 'other' };
}

/** Does `node` run on every path through `fn` that gets that far (no if/loop/switch/ternary around it)? */
export function runsUnconditionally(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let n: ts.Node = node; n.parent && n !== fn.body; n = n.parent) {
    const p = n.parent;
    // A condition on constants that always takes this branch (`const secret = 'whsec_…'; if (secret)`) is no condition.
    if (ts.isIfStatement(p) && n !== p.expression && constantValue(p.expression) === (n === p.thenStatement)) continue;
    if (ts.isConditionalExpression(p) && n !== p.condition && constantValue(p.condition) === (n === p.whenTrue)) continue;
    if (ts.isIfStatement(p) || ts.isConditionalExpression(p) || ts.isSwitchStatement(p) || ts.isCaseClause(p) || ts.isIterationStatement(p, false)) return false;
    if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && n === p.right) return false;
    if (ts.isTryStatement(p) && n === p.tryBlock && p.catchClause && !terminates(p.catchClause.block)) return false;
    if (isFunctionLike(p)) return false;
  }
  return true;
}

/** Conditions and try statements around `node` inside `fn`, innermost first. */
export function enclosingOf(node: ts.Node, fn: ts.FunctionLikeDeclaration): Enclosing[] {
  const out: Enclosing[] = [];
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && (n === p.thenStatement || n === p.elseStatement)) {
      const other = n === p.thenStatement ? p.elseStatement : p.thenStatement;
      out.push({ kind: 'if', condition: p.expression, conditionReads: guardReads(p.expression), constant: constantValue(p.expression), branch: n === p.thenStatement ? 'then' : 'else', other, otherTerminates: !!other && terminates(other), otherNullish: false, otherTrustsBody: !!other && trustsBody(other) });
    }
    if (ts.isConditionalExpression(p) && (n === p.whenTrue || n === p.whenFalse)) {
      const other = n === p.whenTrue ? p.whenFalse : p.whenTrue;
      out.push({ kind: 'ternary', condition: p.condition, conditionReads: guardReads(p.condition), constant: constantValue(p.condition), branch: n === p.whenTrue ? 'then' : 'else', other, otherTerminates: false, otherNullish: isNullish(other), otherTrustsBody: trustsBody(other) });
    }
    if (ts.isTryStatement(p) && n === p.tryBlock) {
      const c = p.catchClause?.block;
      out.push({ kind: 'try', statement: p, hasCatch: !!c, catchTerminates: !!c && terminates(c), catchSendsError: !!c && sendsError(c), followedByCode: followedByCode(p) });
    }
  }
  return out;
}

/** What a guard condition reads: a literal (the branch is fixed), the environment, or something else. */
export function guardReads(expr: ts.Expression, depth = 0): GuardReads {
  const e = unwrap(expr);
  if (depth > 5) return 'other';
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return guardReads(e.operand, depth + 1);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return 'literal';
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
    const l = guardReads(e.left, depth + 1);
    const r = guardReads(e.right, depth + 1);
    if (l === 'env' || r === 'env') return 'env';
    return l === 'literal' && r === 'literal' ? 'literal' : 'other';
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isIdentifier(d.name)) return guardReads(d.initializer, depth + 1);
    return 'other';
  }
  const path = accessPath(ts.isCallExpression(e) ? e.expression : e);
  if (path && (path.includes('env') || (path[0] === 'import' && path[1] === 'meta'))) return 'env';
  return 'other';
}

/**
 * The truthiness of a condition made of literals only (through `const` variables, `!`, `&&`, `||`, `??`);
 * undefined when anything else is read.
 */
export function constantValue(expr: ts.Expression, depth = 0): boolean | undefined {
  const e = unwrap(expr);
  if (depth > 5) return undefined;
  if (ts.isStringLiteralLike(e)) return e.text !== '';
  if (ts.isNumericLiteral(e)) return Number(e.text) !== 0;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return false;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const v = constantValue(e.operand, depth + 1);
    return v === undefined ? undefined : !v;
  }
  if (ts.isBinaryExpression(e)) {
    const l = constantValue(e.left, depth + 1);
    const r = constantValue(e.right, depth + 1);
    if (e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return l === false ? false : l === true ? r : undefined;
    if (e.operatorToken.kind === ts.SyntaxKind.BarBarToken) return l === true ? true : l === false ? r : undefined;
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    const isConst = !!d && ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) && (d.parent.flags & ts.NodeFlags.Const) !== 0;
    return isConst && (d as ts.VariableDeclaration).initializer && ts.isIdentifier((d as ts.VariableDeclaration).name) ? constantValue((d as ts.VariableDeclaration).initializer!, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * Other assignments to the variable `name` in `fn` from the request (the body, a parse, a payload), leaving
 * out the verification itself and nullish values; in source order.
 */
export function otherAssignments(name: string, fn: ts.FunctionLikeDeclaration, verification: ts.Node): Array<{ expression: ts.Expression; afterVerification: boolean }> {
  const out: Array<{ expression: ts.Expression; afterVerification: boolean }> = [];
  const isVerification = (e: ts.Expression) => {
    for (let n: ts.Node | undefined = verification; n; n = n.parent) if (n === e) return true;
    return false;
  };
  const fromRequest = (e: ts.Expression) => (/body|JSON\.parse|json\(\)|payload|request|req\b|event\b/i.test(e.getText()) && !ts.isCallExpression(unwrap(e))) || /JSON\.parse|\.json\(\)/.test(e.getText());
  walkOwnBody(fn, (n) => {
    let rhs: ts.Expression | undefined;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) rhs = n.initializer;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name) rhs = n.right;
    if (rhs && !isVerification(rhs) && !isNullish(rhs) && fromRequest(rhs)) out.push({ expression: rhs, afterVerification: rhs.getStart() > verification.getStart() });
  });
  return out;
}

/** `constructEventAsync(…).catch(cb)`: what `cb` returns besides nullish values and rejections. */
export function promiseFallbacks(call: ts.CallExpression): ts.Expression[] {
  const pa = call.parent;
  if (!ts.isPropertyAccessExpression(pa) || pa.name.text !== 'catch' || !ts.isCallExpression(pa.parent)) return [];
  const cb = pa.parent.arguments[0] && unwrap(pa.parent.arguments[0]);
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return [];
  const returned = ts.isBlock(cb.body) ? returnedExpressions(cb.body) : [cb.body];
  return returned.filter((e) => !isNullish(e) && !isThrowish(e));
}

export function terminates(node: ts.Node): boolean {
  if (ts.isBlock(node)) return node.statements.length > 0 && terminates(node.statements[node.statements.length - 1]);
  if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) return true;
  if (ts.isIfStatement(node)) return !!node.elseStatement && terminates(node.thenStatement) && terminates(node.elseStatement);
  if (ts.isExpressionStatement(node)) return /process\.exit|\.throw\(/.test(node.getText());
  return false;
}

function sendsError(block: ts.Block): boolean {
  return /(?:status|sendStatus|code)\(\s*[45]\d\d|status\s*[:=]\s*[45]\d\d|\bthrow\b|respondWith|error\(\s*[45]\d\d/.test(block.getText());
}

/** Does a branch act on the unverified request (parse or read the body, or the event's fields)? */
function trustsBody(node: ts.Node): boolean {
  return /JSON\.parse|\.body\b|\.json\(\s*\)|\.text\(\s*\)|rawBody|\.data\b|\.type\b|payload/.test(node.getText());
}

function followedByCode(tryStmt: ts.TryStatement): boolean {
  const parent = tryStmt.parent;
  if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
    const i = parent.statements.indexOf(tryStmt);
    const rest = i >= 0 ? parent.statements.slice(i + 1) : [];
    // A lone `return false` / `return` / `throw` stops there: a guard that denies (Nest answers 403),
    // a middleware that does not call next().
    if (rest.length === 1 && (ts.isThrowStatement(rest[0]) || (ts.isReturnStatement(rest[0]) && (!rest[0].expression || isNullish(rest[0].expression))))) return false;
    return rest.length > 0;
  }
  return false;
}

export function isNullish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === ts.SyntaxKind.NullKeyword || u.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(u) && u.text === 'undefined') || ts.isVoidExpression(u);
}

function isThrowish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isCallExpression(u) && /reject|throw|error/i.test(u.expression.getText());
}

function returnedExpressions(block: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  walk(block, (n) => {
    if (n !== block && isFunctionLike(n)) return false;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    return undefined;
  });
  return out;
}
