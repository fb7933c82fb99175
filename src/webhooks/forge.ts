// A handler that makes its own signature header: `webhooks.generateTestHeaderString({ payload, secret })`
// (stripe-node's test helper, which returns `t=<now>,v1=<hmac>`) passed to the verification. The check
// then signs whatever arrived, and a forged event verifies: a bypass, whatever condition guards it
// (a "dev mode" is one environment variable away from production).
import { ts } from '#typescript';
import { accessPath, unwrap, walkOwnBody } from '../ast.js';
import type { VerificationCall, Reached } from './model.js';

const TEST_HEADER = /^generateTestHeaderString(?:Async)?$/;

/** Why the verification's header is self-made, or undefined. */
export function forgedHeader(verifying: ReadonlyArray<VerificationCall & { reached: Reached }>): string | undefined {
  for (const v of verifying) {
    if (v.spec === 'custom' || v.spec.header === undefined) continue;
    const header = v.node.arguments[v.spec.header];
    if (!header) continue;
    const made = testHeaderCall(header) ?? assignedTestHeader(header, v.reached.fn);
    if (!made) continue;
    const cond = enclosingCondition(made, v.reached.fn);
    return `the signature header is made by \`${calleeText(made)}\`${cond ? ` when \`${cond}\`` : ''}, which signs whatever arrived, so a forged event verifies`;
  }
  return undefined;
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

function enclosingCondition(node: ts.Node, fn: ts.Node): string | undefined {
  for (let n: ts.Node = node; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && n !== p.expression) return truncate((n === p.elseStatement ? '!' : '') + p.expression.getText());
    if (ts.isConditionalExpression(p) && n !== p.condition) return truncate(p.condition.getText());
  }
  return undefined;
}

function calleeText(call: ts.CallExpression): string {
  const path = accessPath(call.expression);
  return path ? path.slice(-2).join('.') : 'generateTestHeaderString';
}

function truncate(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
