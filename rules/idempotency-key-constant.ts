import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import { isConstantKey } from '../src/stripe/idempotency.js';

const rule: Rule = {
  meta: {
    id: 'idempotency-key-constant',
    defaultSeverity: 'error',
    title: 'Idempotency key shared by every request',
    docs: {
      summary: 'The idempotency key is a literal or a constant, so different requests share it.',
      description: 'Reported at Stripe calls whose `idempotencyKey` is a string literal, a template without substitutions, or a constant.',
      why: 'Stripe answers every later request with the same key with the first request\'s stored result (or an idempotency error when the parameters differ): the second payout never happens, or every customer gets the first customer\'s charge back.',
      fix: 'Derive the key from what makes the operation unique: `payout-${statement.id}`, `charge-${order.id}`.',
      bad: "await stripe.payouts.create({ amount, currency: 'eur' }, { idempotencyKey: 'nightly-payout' });",
      good: "await stripe.payouts.create({ amount, currency: 'eur' }, { idempotencyKey: `payout-${statement.id}` });",
    },
    tags: ['security', 'idempotency', 'payments'],
    precision: 'high',
    securitySeverity: 7.0,
  },
  check(ctx) {
    for (const c of ctx.model.apiCalls) {
      if (c.key.status !== 'present' || !c.key.key || !isConstantKey(c.key.key)) continue;
      ctx.report({
        range: rangeOf(c.file, c.node),
        message: `The idempotency key of stripe.${c.method}() is the constant ${c.key.key.getText().slice(0, 40)}: every request shares it, so Stripe replays the first result to all later ones. Derive the key from the operation's id.`,
        fix: 'Build the key from a business id (order, payout, refund request).',
      });
    }
  },
};
export default rule;
