import type { Rule } from '../src/rule.js';
import type { ts } from '#typescript';
import { enclosingFunction, rangeOf } from '../src/analysis/ast.js';
import { isConstantKey, keyText, mutuallyExclusive } from '../src/stripe/idempotency.js';
import type { ModelApiCall } from '../src/model.js';

const rule: Rule = {
  meta: {
    id: 'idempotency-key-reused',
    defaultSeverity: 'error',
    title: 'One idempotency key for two different requests',
    docs: {
      summary: 'The same key expression is passed to two different Stripe calls in one function.',
      description: 'Reported at the second call when two different catalogued calls in one function use the same key expression (for example `orderId` for both `paymentIntents.create` and `refunds.create`). Calls on mutually exclusive branches are not reported.',
      why: 'Stripe stores the first response per key. The second request is answered with the first one\'s stored result, or fails with an idempotency error because its parameters differ: the refund silently never happens.',
      fix: 'Give each operation its own key derived from the same id: `${orderId}:charge`, `${orderId}:refund`.',
      bad: 'await stripe.paymentIntents.create(params, { idempotencyKey: orderId });\nawait stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: orderId });',
      good: 'await stripe.paymentIntents.create(params, { idempotencyKey: `${orderId}:charge` });\nawait stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: `${orderId}:refund` });',
    },
    tags: ['security', 'idempotency', 'payments'],
    precision: 'high',
    securitySeverity: 6.5,
  },
  check(ctx) {
    const groups = new Map<ts.Node, ModelApiCall[]>();
    for (const c of ctx.model.apiCalls) {
      if (c.key.status !== 'present' || !c.key.key || isConstantKey(c.key.key)) continue;
      const fn = enclosingFunction(c.node) ?? c.node.getSourceFile();
      const list = groups.get(fn) ?? [];
      list.push(c);
      groups.set(fn, list);
    }
    for (const calls of groups.values()) {
      calls.sort((a, b) => a.node.getStart() - b.node.getStart());
      for (let i = 1; i < calls.length; i++) {
        const later = calls[i];
        const earlier = calls.slice(0, i).find((e) => e.method !== later.method && keyText(e.key.key!) === keyText(later.key.key!) && !mutuallyExclusive(e.node, later.node));
        if (!earlier) continue;
        ctx.report({
          range: rangeOf(later.file, later.node),
          message: `stripe.${later.method}() reuses the idempotency key ${later.key.key!.getText().slice(0, 40)} of stripe.${earlier.method}() (line ${rangeOf(earlier.file, earlier.node).startLine}): Stripe answers it with the stored result of the first request. Use a distinct key per operation, e.g. \`\${id}:${later.method.split('.')[0]}\`.`,
          fix: 'Suffix the key with the operation: `${id}:charge`, `${id}:refund`.',
        });
      }
    }
  },
};
export default rule;
