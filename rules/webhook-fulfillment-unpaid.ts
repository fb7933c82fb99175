import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import { fulfillmentFacts, type SessionCreation } from '../src/webhooks/fulfillment.js';

/**
 * Payment method types whose Checkout payment is settled when the session completes. Everything else
 * (sepa_debit, us_bank_account, bacs_debit, au_becs_debit, acss_debit, boleto, oxxo, konbini,
 * customer_balance, sofort, …) can complete the session with `payment_status: 'unpaid'`.
 */
const IMMEDIATE = new Set(['card', 'link', 'ideal', 'bancontact', 'eps', 'giropay', 'p24', 'alipay', 'wechat_pay', 'paypal', 'klarna', 'afterpay_clearpay', 'affirm', 'cashapp', 'amazon_pay', 'revolut_pay', 'mobilepay', 'grabpay', 'twint']);

/** Every Checkout Session the app creates for a payment allows only immediate methods. */
function sessionsImmediateOnly(sessions: SessionCreation[]): boolean {
  const paying = sessions.filter((s) => s.mode !== 'setup');
  return paying.length > 0 && paying.every((s) => s.paymentMethodTypes?.length && s.paymentMethodTypes.every((t) => IMMEDIATE.has(t)));
}

const rule: Rule = {
  meta: {
    id: 'webhook-fulfillment-unpaid',
    defaultSeverity: 'warning',
    title: 'Checkout fulfilled before the payment succeeded',
    docs: {
      summary: 'A checkout.session.completed branch fulfils the order without checking payment_status, and the app never handles checkout.session.async_payment_succeeded.',
      description:
        "Reported at the `checkout.session.completed` selector (`case`, `===`, `.on(…)`, dispatch-table key) of a webhook handler when that branch does work (writes, grants, sends: any effect besides logging, reading and answering, directly or in the helpers it calls), the handler never reads `payment_status`, no file of its app (the package that declares `stripe`, in a monorepo) names `checkout.session.async_payment_succeeded`, and not every Checkout Session the app creates (or, when it creates none, the scanned code) restricts `payment_method_types` to methods that settle at once (cards, Link, wallets, redirects such as iDEAL). Sessions with `mode: 'setup'` are left out of that last check. Without any `checkout.sessions.create` in the scanned code (Payment Links, another service) the methods are unknown and the branch is reported.",
      why: "With a delayed payment method (SEPA Direct Debit, ACH, Bacs, BECS, Boleto, OXXO, Konbini, bank transfers) Checkout completes as soon as the customer authorises the payment, with `payment_status: 'unpaid'`; the money arrives days later, or never (`checkout.session.async_payment_failed`). A handler that ships, grants the plan or credits the account on `completed` gives the goods away whenever the payment fails. Payment methods are switched on in the Dashboard, so code that is safe today becomes unsafe without a deploy.",
      fix: "Fulfil only when `session.payment_status === 'paid'` (or `'no_payment_required'`), and fulfil the rest on `checkout.session.async_payment_succeeded` (and undo or notify on `checkout.session.async_payment_failed`). Alternatively create every session with `payment_method_types: ['card']`.",
      bad: "switch (event.type) {\n  case 'checkout.session.completed': {\n    const session = event.data.object;\n    await db.order.update({ where: { id: session.metadata!.orderId }, data: { status: 'paid' } });\n    break;\n  }\n}",
      good: "switch (event.type) {\n  case 'checkout.session.completed':\n  case 'checkout.session.async_payment_succeeded': {\n    const session = event.data.object;\n    if (session.payment_status !== 'paid') break; // delayed methods: wait for async_payment_succeeded\n    await db.order.update({ where: { id: session.metadata!.orderId }, data: { status: 'paid' } });\n    break;\n  }\n}",
    },
    tags: ['security', 'payments', 'webhooks', 'business-logic'],
    precision: 'medium',
    securitySeverity: 5.3,
  },
  check(ctx) {
    const facts = fulfillmentFacts(ctx.model);
    for (const b of facts.branches) {
      if (!b.effects.length || facts.readsPaymentStatus.has(b.handler.entry.fn)) continue;
      // The app is the package the handler belongs to (in a monorepo, each app handles its own events).
      const app = facts.packageOf(b.file);
      if (facts.asyncSucceededFiles.some((f) => facts.packageOf(f) === app)) continue;
      const own = facts.sessions.filter((s) => facts.packageOf(s.file) === app);
      if (sessionsImmediateOnly(own.length ? own : facts.sessions)) continue;
      const first = b.effects[0];
      const what = first.node.getText().replace(/\s+/g, ' ').slice(0, 60);
      ctx.report({
        range: rangeOf(b.file, b.selector),
        message: `This checkout.session.completed branch fulfils (\`${what}\`) without checking session.payment_status, and the app never handles checkout.session.async_payment_succeeded: with a delayed payment method (SEPA, ACH, Boleto, …) the session completes unpaid and the payment can still fail. Fulfil only when payment_status === 'paid', and on checkout.session.async_payment_succeeded.`,
        fix: "Check session.payment_status === 'paid' before fulfilling; handle checkout.session.async_payment_succeeded / _failed.",
      });
    }
  },
};
export default rule;
