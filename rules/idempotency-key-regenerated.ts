import type { Rule } from '../src/rule.js';
import { isInside, rangeOf } from '../src/analysis/ast.js';
import { randomOrigin, retriedUnit } from '../src/stripe/idempotency.js';

const rule: Rule = {
  meta: {
    id: 'idempotency-key-regenerated',
    defaultSeverity: 'error',
    title: 'Fresh random idempotency key on every retry',
    docs: {
      summary: 'A random key (randomUUID(), uuid(), nanoid(), Date.now(), Math.random()) is made inside the unit that is retried.',
      description: 'Reported when the key is generated inside a loop that retries the call on error, inside a `p-retry` / `async-retry` / `retry` callback, or inside a function that calls itself from its catch. A key made once outside the retried unit is fine.',
      why: 'Each attempt sends a new key, so Stripe sees unrelated requests: the retry after a timeout charges the customer a second time. This is the exact failure idempotency keys exist to prevent.',
      fix: 'Generate (or derive) the key once, before the retry loop or wrapper, and reuse it on every attempt.',
      bad: "await pRetry(() => stripe.refunds.create({ payment_intent: id }, { idempotencyKey: randomUUID() }));",
      good: "const idempotencyKey = `refund-${refundRequest.id}`;\nawait pRetry(() => stripe.refunds.create({ payment_intent: id }, { idempotencyKey }));",
    },
    tags: ['security', 'idempotency', 'payments'],
    precision: 'high',
    securitySeverity: 7.5,
  },
  check(ctx) {
    for (const c of ctx.model.apiCalls) {
      if (c.key.status !== 'present' || !c.key.key) continue;
      const origin = randomOrigin(c.key.key);
      if (!origin) continue;
      const unit = retriedUnit(c.node);
      if (!unit || !isInside(origin, unit)) continue;
      ctx.report({
        range: rangeOf(c.file, c.node),
        message: `The idempotency key of stripe.${c.method}() is regenerated (${origin.getText().slice(0, 30)}) on every retry attempt, so a retry after a timeout is a new request and can charge twice. Create the key once outside the retry.`,
        fix: 'Move key generation before the retry loop/wrapper, or derive it from a business id.',
      });
    }
  },
};
export default rule;
