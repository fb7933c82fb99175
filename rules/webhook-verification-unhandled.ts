import type { Rule } from '../src/rule.js';
import { ts } from '#typescript';
import { accessPath, rangeOf } from '../src/analysis/ast.js';

/**
 * The wrapper whose result is the exported handler (`export const POST = withError(async (req) => …)`):
 * the error reaches it, and what it answers is out of sight. Not a route registration (`app.post(…)`).
 */
function wrapperOf(fn: ts.Node): string | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const holder = call.parent;
  if (!holder || !(ts.isVariableDeclaration(holder) || ts.isExportAssignment(holder))) return undefined;
  return accessPath(call.expression)?.join('.');
}

const rule: Rule = {
  meta: {
    id: 'webhook-verification-unhandled',
    defaultSeverity: 'warning',
    title: 'Webhook verification error is not handled',
    docs: {
      summary: 'constructEvent can throw, and nothing on the handler path catches it to answer 400.',
      description: 'Reported at the verification call when neither it, nor any call on the way from the HTTP entry point down to it, sits in a `try` block or has a `.catch()`. A Nest `HttpException` thrown from the catch counts as handled.',
      why: 'An uncaught StripeSignatureVerificationError becomes a 500. Stripe treats 5xx as a failure and keeps retrying for days, bad requests fill your error tracker, and real failures hide among them.',
      fix: 'Wrap the verification in try/catch and answer 400 (`res.status(400).send(…)`, `throw new BadRequestException()`, `return new Response(…, { status: 400 })`).',
      bad: "const event = stripe.webhooks.constructEvent(req.body, sig, secret);",
      good: "let event: Stripe.Event;\ntry {\n  event = stripe.webhooks.constructEvent(req.body, sig, secret);\n} catch (err) {\n  return res.status(400).send(`Webhook Error: ${(err as Error).message}`);\n}",
    },
    tags: ['reliability', 'webhooks', 'security'],
    precision: 'medium',
    securitySeverity: 3.0,
  },
  check(ctx) {
    const reported = new Set<unknown>();
    for (const h of ctx.model.handlers) {
      for (const v of h.verifications) {
        // Only calls that throw on a bad signature; an error turned into a value or caught anywhere up to the entry is handled.
        if (!v.verifies || v.spec === 'custom' || !v.spec.throws || v.caught) continue;
        const node = v.node;
        if (reported.has(node)) continue;
        reported.add(node);
        const wrapper = wrapperOf(h.entry.fn);
        ctx.report({
          range: rangeOf(v.file, node),
          message: wrapper
            ? `Signature verification can throw and nothing in the handler catches it: the error goes to ${wrapper}(…), which typically answers 500, and Stripe keeps retrying. Catch the error here and answer 400.`
            : `Signature verification can throw and nothing catches it, so ${h.adapter.label} answers 500 and Stripe keeps retrying. Catch the error and answer 400.`,
          fix: 'Wrap the verification in try/catch and answer 400.',
        });
      }
    }
  },
};
export default rule;
