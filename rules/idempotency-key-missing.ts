import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';

const rule: Rule = {
  meta: {
    id: 'idempotency-key-missing',
    defaultSeverity: 'error',
    title: 'Money-moving Stripe call without an idempotency key',
    docs: {
      summary: 'A Stripe call that moves money (error) or creates a billable object (warning) passes no idempotencyKey.',
      description: 'Reported at calls from the method catalogue (charges, confirmed payment intents, refunds, payouts, transfers, subscriptions, invoices.pay, subscription updates with `billing_cycle_anchor: \'now\'`, …: error; customers, unconfirmed payment intents (no `confirm: true` / `off_session`), invoices, invoice items, subscription items, accounts, meter events without an `identifier`, …: warning; other POSTs, and `invoices.pay` with `paid_out_of_band: true`, with the `strict` option) whose request options carry no `idempotencyKey` (nor an `Idempotency-Key` header). Options are resolved through variables, spreads and helpers in the same module; options the tool cannot see (a wrapper\'s parameter) are not reported. `maxNetworkRetries` does not count: the keys the SDK generates protect only its own network retries, never application retries, double submits, queue redelivery or webhook re-runs, which all start a new call with a new random key.',
      why: 'A request that times out may still have succeeded. When the application retries (a job re-run, a user clicking twice, a webhook redelivered), the customer is charged or paid out twice.',
      fix: 'Pass a key derived from the business operation, stable across retries: `{ idempotencyKey: `order-${order.id}-charge` }`.',
      bad: 'await stripe.refunds.create({ payment_intent: order.paymentIntentId });',
      good: "await stripe.refunds.create({ payment_intent: order.paymentIntentId }, { idempotencyKey: `refund-${refundRequest.id}` });",
    },
    tags: ['security', 'idempotency', 'payments'],
    precision: 'high',
    securitySeverity: 7.5,
  },
  check(ctx) {
    for (const c of ctx.model.apiCalls) {
      if (c.key.status !== 'absent' || c.key.misplaced) continue;
      const tier = c.tier;
      if (tier === 'other' && !ctx.config.strict) continue;
      const what = tier === 'money' ? 'moves money' : tier === 'billable' ? 'creates a billable object' : 'is a POST';
      ctx.report({
        range: rangeOf(c.file, c.node),
        severity: tier === 'money' ? 'error' : 'warning',
        message: `stripe.${c.method}() ${what} without an idempotencyKey: a retried request (timeout, double submit, job re-run) can ${tier === 'money' ? 'charge or pay twice' : 'create duplicates'}. Pass a key derived from the operation, e.g. { idempotencyKey: \`${c.method.split('.').slice(-2, -1)[0] ?? 'op'}-\${id}\` }.`,
        fix: 'Pass { idempotencyKey } derived from a stable business id as the request options.',
      });
    }
  },
};
export default rule;
