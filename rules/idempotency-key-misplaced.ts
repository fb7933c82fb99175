import semver from '../src/util/semver.js';
import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import type { Misplacement } from '../src/stripe/idempotency.js';

function consequence(kind: Misplacement, major: number | undefined): string {
  const known = major !== undefined;
  switch (kind) {
    case 'in-params':
      if (!known) return 'on stripe ≤21 the object is taken as the options and the params are dropped (an empty request); on ≥22 `idempotencyKey` is sent as an unknown parameter and the call gets a random key';
      return major <= 21 ? `on stripe ${major} the object is taken as the request options, so the params are dropped and an empty request is sent` : `on stripe ${major} it is sent as an unknown form parameter (the API rejects it) and the request gets an automatic random key`;
    case 'snake-case':
      if (!known) return 'stripe ≥22 silently ignores it, 11–21 reject the call, 8–10 accept it with a deprecation warning';
      if (major <= 7) return 'this is the form stripe ≤7 expects';
      return major <= 10 ? `stripe ${major} accepts it with a deprecation warning; it stops working in 11` : major <= 21 ? `stripe ${major} rejects the call ("Unknown arguments")` : `stripe ${major} silently ignores it and sends no key`;
    case 'bare-string':
      if (!known) return 'on stripe ≤21 a string there is used as the API key (authentication fails or uses another account); on ≥22 it is ignored';
      return major <= 21 ? `on stripe ${major} a string there is used as the API key, not as an idempotency key` : `stripe ${major} ignores it and sends no key`;
  }
}

const rule: Rule = {
  meta: {
    id: 'idempotency-key-misplaced',
    defaultSeverity: 'error',
    title: 'Idempotency key where the SDK does not read it',
    docs: {
      summary: 'idempotencyKey sits in the params, is spelled idempotency_key, or is passed as a bare string.',
      description: 'Reported at Stripe calls whose key is inside the params object, named `idempotency_key` (snake case) in the options, or passed as a plain string instead of `{ idempotencyKey }`. The message says what the installed stripe major does with it.',
      why: 'Depending on the major the key is ignored, sent as an unknown parameter, makes the SDK drop your params, or is used as the API key: in every case the request is not protected against retries, and some break outright.',
      fix: 'Pass the key in the request-options argument: `create(params, { idempotencyKey })`, `confirm(id, params, { idempotencyKey })`.',
      bad: "await stripe.invoiceItems.create({ customer, amount, currency: 'eur', idempotencyKey: `credit-${grantId}` });",
      good: "await stripe.invoiceItems.create({ customer, amount, currency: 'eur' }, { idempotencyKey: `credit-${grantId}` });",
    },
    tags: ['security', 'idempotency', 'correctness'],
    precision: 'high',
    securitySeverity: 6.0,
  },
  check(ctx) {
    for (const c of ctx.model.apiCalls) {
      const m = c.key.misplaced;
      if (!m) continue;
      const v = ctx.model.stripeVersionFor(c.file.relPath);
      const major = v ? semver.major(v.version) : undefined;
      if (m.kind === 'snake-case' && major !== undefined && major <= 7) continue;
      const where = m.kind === 'in-params' ? 'is inside the params object' : m.kind === 'snake-case' ? 'is spelled idempotency_key' : 'is passed as a bare string instead of { idempotencyKey }';
      ctx.report({
        range: rangeOf(c.file, c.node),
        message: `The idempotency key of stripe.${c.method}() ${where}: ${consequence(m.kind, major)}. Pass it as { idempotencyKey } in the request-options argument.`,
        fix: 'Move the key into the options argument as { idempotencyKey }.',
      });
    }
  },
};
export default rule;
