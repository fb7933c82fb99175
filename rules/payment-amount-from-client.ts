import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';

const rule: Rule = {
  meta: {
    id: 'payment-amount-from-client',
    defaultSeverity: 'error',
    title: 'The client sets the amount it is charged',
    docs: {
      summary: 'A Stripe call that charges the customer takes its amount from the request (body, query, form data, route params, a server action\'s arguments).',
      description:
        "Reported at `paymentIntents.create` / `.update`, `charges.create`, `checkout.sessions.create` and `paymentLinks.create` (`line_items[].price_data.unit_amount`, or `line_items` taken whole from the request), `invoiceItems.create`, `subscriptions.create` and `subscriptionItems.create` (`price_data.unit_amount`) when the amount is read from the request: `req.body`, `req.query`, `req.params`, `await request.json()`, `formData.get(…)`, `ctx.request.body`, `c.req.json()`, `readBody(event)`, Lambda's `event.body`, NestJS `@Body()` / `@Query()` / `@Param()`, the arguments of a Next.js server action the browser can call (a form action, or one a `'use client'` module of its package imports; an action only server components call takes its callers' values), a tRPC / next-safe-action `input`, a GraphQL resolver's args, a Firebase callable's data, a Convex function's args. The value is followed through local variables, destructuring, arithmetic (`qty * body.price`), array callbacks (`items.map(i => ({ price_data: { unit_amount: i.price } }))`, `reduce`), the app's helpers (their return values, and their parameters to what the callers pass, in any module). Not reported: refunds, transfers and payouts (staff or the platform choose those amounts), calls in an `admin` folder, a client-chosen amount the server compares with a lower and an upper bound before charging (a donation done right), a client quantity times a server price, an amount computed from the server's own data looked up by an id the client sent (a database row, `stripe.prices.retrieve`, a price table), a Stripe Price id passed as `price`, amounts from the verified webhook event.",
      why: 'Whoever sends the request chooses the price: a request edited in the browser (or a plain curl) buys the goods for one cent. For donations, tips and pay-what-you-want forms the client legitimately picks the amount, but then the server must still enforce a minimum and a maximum (and the currency), or the form becomes a free card-testing and money-laundering endpoint.',
      fix: 'Send ids and quantities from the client, never prices: look the product, plan or cart up on the server (your database, or a Stripe Price id passed as `price`) and compute the amount there. Where the client really picks the amount (a donation), validate it on the server against fixed bounds before charging.',
      bad: "app.post('/checkout', async (req, res) => {\n  const { amount } = req.body;\n  const intent = await stripe.paymentIntents.create({ amount, currency: 'usd' });\n  res.json({ clientSecret: intent.client_secret });\n});",
      good: "app.post('/checkout', async (req, res) => {\n  const product = await db.product.findUnique({ where: { id: req.body.productId } });\n  if (!product) return res.sendStatus(404);\n  const intent = await stripe.paymentIntents.create({ amount: product.priceCents * req.body.quantity, currency: 'usd' });\n  res.json({ clientSecret: intent.client_secret });\n});",
    },
    tags: ['security', 'payments', 'business-logic'],
    precision: 'high',
    securitySeverity: 8.1,
  },
  check(ctx) {
    for (const a of ctx.model.clientAmounts()) {
      ctx.report({
        range: rangeOf(a.call.file, a.call.node),
        message: `stripe.${a.call.method}() charges an amount the client sets: \`${a.param}\` comes from the request (${a.field}), so anyone can change the price. Compute it on the server from your own data (look the product up by id, or pass a Stripe Price id); if the client really chooses it (a donation or tip), enforce server-side bounds.`,
        fix: 'Look the price up on the server by an id the client sends, or validate a client-chosen amount against fixed bounds.',
      });
    }
  },
};
export default rule;
