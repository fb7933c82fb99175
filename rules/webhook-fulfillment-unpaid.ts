import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import { fulfillmentFacts, type SessionCreation } from '../src/webhooks/fulfillment.js';

/**
 * Payment method types whose Checkout payment is settled when the session completes. Everything else
 * (sepa_debit, us_bank_account, bacs_debit, au_becs_debit, acss_debit, boleto, oxxo, konbini,
 * customer_balance, sofort, …) can complete the session with `payment_status: 'unpaid'`.
 */
const IMMEDIATE = new Set(['card', 'link', 'ideal', 'bancontact', 'eps', 'giropay', 'p24', 'alipay', 'wechat_pay', 'paypal', 'klarna', 'afterpay_clearpay', 'affirm', 'cashapp', 'amazon_pay', 'revolut_pay', 'mobilepay', 'grabpay', 'twint']);

/**
 * Some Checkout Session that takes a payment (`mode` payment, subscription or absent) allows a delayed method:
 * no literal `payment_method_types` (dynamic payment methods, switched on in the Dashboard) or a list with a
 * method outside IMMEDIATE. No paying session at all means the sessions are made elsewhere (Payment Links, a
 * pricing table, another service): their methods are unknown, so this is false and nothing is reported.
 */
function someSessionAllowsDelayed(sessions: SessionCreation[]): boolean {
  return sessions.some((s) => s.mode !== 'setup' && !(s.paymentMethodTypes?.length && s.paymentMethodTypes.every((t) => IMMEDIATE.has(t))));
}

const rule = {
  meta: {
    id: 'webhook-fulfillment-unpaid',
    defaultSeverity: 'warning',
    title: 'Checkout fulfilled before the payment succeeded',
    docs: {
      summary: 'A checkout.session.completed branch fulfils the order without checking payment_status, and the app never handles checkout.session.async_payment_succeeded.',
      description:
        "Reported at the `checkout.session.completed` selector (`case`, `===`, `.on(…)`, dispatch-table key) of a webhook handler when that branch does work (writes, grants, sends: any effect besides logging, reading and answering, directly or in the helpers it calls), the handler never reads `payment_status`, no file of its app (the package that declares `stripe`, in a monorepo) names `checkout.session.async_payment_succeeded`, and the app (or, when it creates no session, another package of its monorepo: the packages an npm/yarn `workspaces` or pnpm-workspace.yaml includes) creates a Checkout Session that takes a payment (`mode` `payment`, `subscription` or none) without restricting `payment_method_types` to methods that settle at once (cards, Link, wallets, redirects such as iDEAL): no list means dynamic payment methods, which include delayed ones. Sessions with `mode: 'setup'` are left out. Without any such paying `checkout.sessions.create` (sessions from Payment Links, a pricing table or another service) nothing is reported: the sessions that feed the handler are not visible, so the tool cannot tell whether they allow delayed methods, and a false alarm costs more trust than this miss. Separate projects scanned together (no shared workspace) do not count for each other.",
      why: "With a delayed payment method (SEPA Direct Debit, ACH, Bacs, BECS, Boleto, OXXO, Konbini, bank transfers) Checkout completes as soon as the customer authorises the payment, with `payment_status: 'unpaid'`; the money arrives days later, or never (`checkout.session.async_payment_failed`). A handler that ships, grants the plan or credits the account on `completed` gives the goods away whenever the payment fails. Payment methods are switched on in the Dashboard, so code that is safe today becomes unsafe without a deploy.",
      fix: "Fulfil only when `session.payment_status === 'paid'` (or `'no_payment_required'`), and fulfil the rest on `checkout.session.async_payment_succeeded` (and undo or notify on `checkout.session.async_payment_failed`). Alternatively create every session with `payment_method_types: ['card']`.",
      bad: "import express from 'express';\nimport Stripe from 'stripe';\n\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\nconst app = express();\n\n// No payment_method_types: Checkout offers the methods switched on in the Dashboard, SEPA Direct Debit included.\napp.post('/checkout', express.json(), async (req, res) => {\n  const order = await db.order.findUniqueOrThrow({ where: { id: String(req.body.orderId) } });\n  const session = await stripe.checkout.sessions.create(\n    {\n      mode: 'payment',\n      line_items: [{ price: order.priceId, quantity: order.quantity }],\n      metadata: { orderId: order.id },\n      success_url: 'https://shop.example/thanks',\n      cancel_url: 'https://shop.example/cart',\n    },\n    { idempotencyKey: `checkout-${order.id}` },\n  );\n  res.json({ url: session.url });\n});\n\napp.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {\n  let event: Stripe.Event;\n  try {\n    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature']!, process.env.STRIPE_WEBHOOK_SECRET!);\n  } catch {\n    return res.sendStatus(400);\n  }\n  if (await alreadyProcessed(event.id)) return res.json({ received: true });\n  if (event.type === 'checkout.session.completed') {\n    const session = event.data.object;\n    await db.order.update({ where: { id: session.metadata!.orderId }, data: { status: 'paid' } });\n  }\n  res.json({ received: true });\n});\n\napp.listen(4242);",
      good: "import express from 'express';\nimport Stripe from 'stripe';\n\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\nconst app = express();\n\n// No payment_method_types: Checkout offers the methods switched on in the Dashboard, SEPA Direct Debit included.\napp.post('/checkout', express.json(), async (req, res) => {\n  const order = await db.order.findUniqueOrThrow({ where: { id: String(req.body.orderId) } });\n  const session = await stripe.checkout.sessions.create(\n    {\n      mode: 'payment',\n      line_items: [{ price: order.priceId, quantity: order.quantity }],\n      metadata: { orderId: order.id },\n      success_url: 'https://shop.example/thanks',\n      cancel_url: 'https://shop.example/cart',\n    },\n    { idempotencyKey: `checkout-${order.id}` },\n  );\n  res.json({ url: session.url });\n});\n\napp.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {\n  let event: Stripe.Event;\n  try {\n    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature']!, process.env.STRIPE_WEBHOOK_SECRET!);\n  } catch {\n    return res.sendStatus(400);\n  }\n  if (await alreadyProcessed(event.id)) return res.json({ received: true });\n  if (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') {\n    const session = event.data.object;\n    // A delayed method (SEPA, ACH) completes the session unpaid: fulfil on async_payment_succeeded then.\n    if (session.payment_status === 'paid') {\n      await db.order.update({ where: { id: session.metadata!.orderId }, data: { status: 'paid' } });\n    }\n  }\n  res.json({ received: true });\n});\n\napp.listen(4242);",
      file: 'server.ts',
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
      // Its own sessions; without any, those of the other packages of its monorepo (a storefront package creating
      // them for a webhook service). Unrelated projects scanned together do not feed each other's webhooks.
      const own = facts.sessions.filter((s) => facts.packageOf(s.file) === app);
      const project = facts.projectOf(b.file);
      if (!someSessionAllowsDelayed(own.length ? own : facts.sessions.filter((s) => facts.projectOf(s.file) === project))) continue;
      const first = b.effects[0];
      const what = first.node.getText().replace(/\s+/g, ' ').slice(0, 60);
      ctx.report({
        range: rangeOf(b.file, b.selector),
        message: `This checkout.session.completed branch fulfils (\`${what}\`) without checking session.payment_status, and the app never handles checkout.session.async_payment_succeeded: with a delayed payment method (SEPA, ACH, Boleto, …) the session completes unpaid and the payment can still fail. Fulfil only when payment_status === 'paid', and on checkout.session.async_payment_succeeded.`,
        fix: "Check session.payment_status === 'paid' before fulfilling; handle checkout.session.async_payment_succeeded / _failed.",
      });
    }
  },
} satisfies Rule;
export default rule;
