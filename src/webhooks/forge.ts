// A handler that makes its own signature header: `webhooks.generateTestHeaderString({ payload, secret })`
// (stripe-node's test helper, which returns `t=<now>,v1=<hmac>`) passed to the verification, directly or
// through the variable the header is read into. The fact is neutral; webhook-signature-bypass decides
// (the check then signs whatever arrived, whatever condition guards it).
import { ts } from '#typescript';
import { accessPath, unwrap, walkOwnBody } from '../analysis/ast.js';
import type { TestHeader, VerificationCall } from './model.js';

const TEST_HEADER = /^generateTestHeaderString(?:Async)?$/;

/** The test-header call that made this verification's header argument, if any (`fn`: the function the call is in). */
export function testHeaderSource(v: VerificationCall, fn: ts.FunctionLikeDeclaration): TestHeader | undefined {
  if (v.spec === 'custom' || v.spec.header === undefined) return undefined;
  const header = v.node.arguments[v.spec.header];
  if (!header) return undefined;
  const call = testHeaderCall(header) ?? assignedTestHeader(header, fn);
  return call ? { call, condition: enclosingCondition(call, fn) } : undefined;
}

function testHeaderCall(e: ts.Expression): ts.CallExpression | undefined {
  const u = unwrap(e);
  if (!ts.isCallExpression(u)) return undefined;
  const path = accessPath(u.expression);
  return path && TEST_HEADER.test(path[path.length - 1]) ? u : undefined;
}

/** `let signature = req.headers[…]; if (dev) signature = webhooks.generateTestHeaderString(…)`. */
function assignedTestHeader(header: ts.Expression, fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const h = unwrap(header);
  if (!ts.isIdentifier(h)) return undefined;
  let found: ts.CallExpression | undefined;
  walkOwnBody(fn, (n) => {
    if (found) return false;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === h.text && n.initializer) found = testHeaderCall(n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === h.text) found = testHeaderCall(n.right);
    return undefined;
  });
  return found;
}

function enclosingCondition(node: ts.Node, fn: ts.Node): ts.Expression | undefined {
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && n !== p.expression) return p.expression;
    if (ts.isConditionalExpression(p) && n !== p.condition) return p.condition;
  }
  return undefined;
}
