import { ts } from '#typescript';
import type { Rule } from '../src/rule.js';
import { findDeclaration, propertyValue, rangeOf, unwrap } from '../src/analysis/ast.js';
import { onlyWhenTruthy } from '../src/webhooks/truthy-guard.js';

/** The literal a secret expression falls back to when the env var is missing, if any. */
export function fallbackLiteral(expr: ts.Expression, depth = 0): ts.Expression | undefined {
  if (depth > 5) return undefined;
  const e = unwrap(expr);
  const isLiteral = (x: ts.Expression) => {
    const u = unwrap(x);
    return ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u);
  };
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    if (isLiteral(e.right)) return e.right;
    return fallbackLiteral(e.right, depth + 1) ?? fallbackLiteral(e.left, depth + 1);
  }
  if (ts.isConditionalExpression(e)) {
    if (isLiteral(e.whenTrue)) return e.whenTrue;
    if (isLiteral(e.whenFalse)) return e.whenFalse;
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return fallbackLiteral(d.initializer, depth + 1);
    if (d && ts.isParameter(d) && d.initializer && isLiteral(d.initializer)) return d.initializer;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(unwrap(e.expression))) {
    const d = findDeclaration(unwrap(e.expression) as ts.Identifier);
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isObjectLiteralExpression(unwrap(d.initializer))) {
      const v = propertyValue(unwrap(d.initializer) as ts.ObjectLiteralExpression, e.name.text);
      return v ? fallbackLiteral(v, depth + 1) : undefined;
    }
  }
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'webhook-secret-fallback',
    defaultSeverity: 'error',
    title: 'Webhook secret falls back to a literal',
    docs: {
      summary: 'The signing secret falls back to a literal (often empty) when the environment variable is missing.',
      description: 'Reported at the secret argument of a verification call when it is, or comes from, `process.env.X || \'\'`, `?? \'\'`, `?? \'whsec_…\'`, or a ternary with a literal branch. An empty fallback is not reported when the code refuses an empty secret before the call (`if (!secret) return …` / `throw` / `continue` / `break`, `assert(secret)`) or verifies only inside `if (secret) { … }`.',
      why: "With an empty secret stripe-node up to 22.6.1 computes the HMAC with an empty key, so anyone can compute a valid signature: a missing env var silently turns verification off. A literal fallback secret is also a committed secret.",
      fix: 'Read the secret without a fallback and fail at startup (or answer 500) when it is missing: `const secret = process.env.STRIPE_WEBHOOK_SECRET; if (!secret) throw new Error(…)`.',
      bad: "stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET || '');",
      good: "const secret = process.env.STRIPE_WEBHOOK_SECRET;\nif (!secret) throw new Error('STRIPE_WEBHOOK_SECRET is not set');\nstripe.webhooks.constructEvent(body, sig, secret);",
    },
    tags: ['security', 'webhooks', 'external/cwe/cwe-1188'],
    precision: 'high',
    securitySeverity: 8.1,
  },
  check(ctx) {
    for (const v of ctx.model.verifications) {
      if (!v.verifies || !v.secret) continue;
      const lit = fallbackLiteral(v.secret);
      if (!lit) continue;
      const value = (unwrap(lit) as ts.StringLiteral).text;
      const empty = value.trim() === '';
      // `if (!secret) continue;` / `return` / `throw` before the call, or `if (secret) { … }` around it:
      // the empty fallback never reaches the verifier (a non-empty literal would, guard or not).
      if (empty && onlyWhenTruthy(v.secret, v.node)) continue;
      const version = ctx.model.stripeVersionFor(v.file.relPath);
      ctx.report({
        range: rangeOf(v.file, v.secret),
        message: empty
          ? `The webhook secret falls back to an empty string when the env var is unset; stripe-node up to 22.6.1${version ? ` (this package has ${version.version})` : ''} then accepts signatures anyone can compute. Fail closed when the secret is missing.`
          : 'The webhook secret falls back to a literal when the env var is unset: a committed secret that anyone reading the code can use to forge events. Fail closed when the secret is missing.',
        fix: 'Remove the fallback and refuse to start (or answer 500) when STRIPE_WEBHOOK_SECRET is missing.',
      });
    }
  },
};
export default rule;
