// RuleTester-style valid/invalid cases for webhook-fulfillment-unpaid, on the webhook facts (test/helpers/webhook-tester.ts).
import rule from '../dist/rules/webhook-fulfillment-unpaid.js';
import { ruleTester } from './helpers/webhook-tester.js';

const client = "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n";

/** A Next.js route that verifies, then runs `body` (the event is `event`). */
const route = (body: string) => `import type Stripe from 'stripe';
import { stripe } from '../../../lib/stripe';
import { db } from '../../../lib/db';
export async function POST(req: Request) {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, process.env.WHSEC!);
  } catch {
    return new Response('bad', { status: 400 });
  }
${body}
  return new Response('ok');
}
`;
const WEBHOOK = 'app/api/webhook/route.ts';
const CHECKOUT = 'app/api/checkout/route.ts';
/** A Next.js route creating a Checkout Session; `extra` adds parameters (`mode` is given by default). */
const session = (extra = '', mode = 'payment') => ({ [CHECKOUT]: `import { stripe } from '../../../lib/stripe';\nexport async function POST() {\n  return stripe.checkout.sessions.create({ mode: '${mode}', line_items: [{ price: 'price_1', quantity: 1 }]${extra} });\n}\n` });
/** The client and the data layer, without any Checkout Session (sold through Payment Links or by another service). */
const bare = { 'lib/stripe.ts': client, 'lib/db.ts': 'export const db: any = {};\n' };
/** The usual app: it creates sessions with the Dashboard's payment methods (no payment_method_types), delayed ones included. */
const base = { ...bare, ...session() };
const fulfils = route("  if (event.type === 'checkout.session.completed') await db.order.markPaid(event.data.object.id);");

/** A package declaring stripe at `prefix`, holding `files` (paths relative to it). */
const pkg = (prefix: string, files: Record<string, string>) => ({
  [`${prefix}/package.json`]: JSON.stringify({ name: prefix.replace('/', '-'), dependencies: { stripe: '^23.0.0' } }),
  ...Object.fromEntries(Object.entries(files).map(([rel, text]) => [`${prefix}/${rel}`, text])),
});
/** A storefront package that creates dynamic-method sessions, and a webhook service package that creates none. */
const shopAndService = { ...pkg('apps/shop', { ...bare, ...session() }), ...pkg('services/webhooks', { ...bare, [WEBHOOK]: fulfils }) };
const workspaceRoot = { 'package.json': JSON.stringify({ private: true, workspaces: ['apps/*', 'services/*'] }) };

ruleTester(rule, {
  valid: [
    { name: 'the branch checks payment_status', files: { ...base, [WEBHOOK]: route("  if (event.type === 'checkout.session.completed' && event.data.object.payment_status === 'paid') await db.order.markPaid(event.data.object.id);") } },
    { name: 'status complete plus payment_status paid, destructured', files: { ...base, [WEBHOOK]: route("  if (event.type === 'checkout.session.completed') {\n    const { status, payment_status } = event.data.object;\n    if (status === 'complete' && payment_status === 'paid') await db.order.markPaid(event.data.object.id);\n  }") } },
    { name: 'the app also handles async_payment_succeeded', files: { ...base, [WEBHOOK]: route("  switch (event.type) {\n    case 'checkout.session.completed':\n    case 'checkout.session.async_payment_succeeded':\n      await db.order.markPaid(event.data.object.id);\n  }") } },
    { name: 'every session restricts payment_method_types to cards', files: { ...base, ...session(", payment_method_types: ['card']"), [WEBHOOK]: fulfils } },
    { name: 'cards and wallets that settle at once (a variable)', files: { ...base, [CHECKOUT]: "import { stripe } from '../../../lib/stripe';\nconst METHODS = ['card', 'link', 'paypal'];\nexport async function POST() {\n  return stripe.checkout.sessions.create({ mode: 'payment', payment_method_types: METHODS, line_items: [] });\n}\n", [WEBHOOK]: fulfils } },
    { name: 'no Checkout Session visible anywhere (Payment Links, another service): the methods are unknown', files: { ...bare, [WEBHOOK]: fulfils } },
    { name: 'only setup-mode sessions, which take no payment: no paying session visible', files: { ...bare, ...session(", currency: 'eur'", 'setup'), [WEBHOOK]: fulfils } },
    {
      name: "the handler's own package creates card-only sessions: another package's dynamic sessions do not feed it",
      files: {
        ...workspaceRoot, ...pkg('apps/shop', { ...bare, ...session() }), ...pkg('apps/prints', { ...bare, ...session(", payment_method_types: ['card']"), [WEBHOOK]: fulfils }) },
    },
    { name: 'separate projects scanned together (no shared workspace): one project\'s sessions do not feed another\'s webhook', files: shopAndService },
    { name: 'a branch that only logs', files: { ...base, [WEBHOOK]: route("  if (event.type === 'checkout.session.completed') console.log('completed', event.data.object.id);") } },
    { name: 'a branch that only retrieves from Stripe', files: { ...base, [WEBHOOK]: route("  if (event.type === 'checkout.session.completed') {\n    const s = await stripe.checkout.sessions.retrieve(event.data.object.id);\n    console.log(s.id.slice(0, 8).toUpperCase());\n  }") } },
    { name: 'another event fulfils, not checkout.session.completed', files: { ...base, [WEBHOOK]: route("  if (event.type === 'invoice.paid') await db.team.setPlan(event.data.object.customer, 'pro');") } },
    { name: 'a helper reached from the handler reads payment_status', files: { ...base, 'lib/fulfil.ts': "import { db } from './db';\nexport async function fulfil(session: any) {\n  if (session.payment_status !== 'paid') return;\n  await db.order.markPaid(session.id);\n}\n", [WEBHOOK]: route("  if (event.type === 'checkout.session.completed') await fulfil(event.data.object);").replace("import { db } from '../../../lib/db';", "import { fulfil } from '../../../lib/fulfil';") } },
  ],
  invalid: [
    { name: 'a session without payment_method_types in the app (dynamic payment methods include delayed ones)', files: { ...base, [WEBHOOK]: route("  if (event.type === 'checkout.session.completed') {\n    await db.order.markPaid(event.data.object.client_reference_id);\n  }") }, errors: [{ file: WEBHOOK, line: 11, message: /db\.order\.markPaid.*payment_status/ }] },
    { name: 'a subscription session without payment_method_types', files: { ...bare, ...session('', 'subscription'), [WEBHOOK]: fulfils }, errors: [{ file: WEBHOOK, line: 11 }] },
    { name: 'a session without a mode takes a payment too', files: { ...bare, [CHECKOUT]: "import { stripe } from '../../../lib/stripe';\nexport async function POST() {\n  return stripe.checkout.sessions.create({ line_items: [{ price: 'price_1', quantity: 1 }], success_url: 'https://shop.example/thanks' });\n}\n", [WEBHOOK]: fulfils }, errors: [{ file: WEBHOOK, line: 11 }] },
    { name: 'sessions that allow a delayed method (SEPA Direct Debit)', files: { ...base, ...session(", payment_method_types: ['card', 'sepa_debit']"), [WEBHOOK]: fulfils }, errors: [{ file: WEBHOOK, line: 11 }] },
    { name: 'one card-only session does not cover another with dynamic methods', files: { ...base, 'app/api/gift/route.ts': "import { stripe } from '../../../lib/stripe';\nexport async function POST() {\n  return stripe.checkout.sessions.create({ mode: 'payment', payment_method_types: ['card'], line_items: [{ price: 'price_gift', quantity: 1 }] });\n}\n", [WEBHOOK]: fulfils }, errors: [{ file: WEBHOOK, line: 11 }] },
    {
      name: 'sessions only in another package of a monorepo (a shared workspace) are still used',
      files: { ...workspaceRoot, ...shopAndService },
      errors: [{ file: `services/webhooks/${WEBHOOK}`, line: 11 }],
    },
    { name: 'a case clause that grants credits through a helper in another module', files: { ...base, 'lib/credits.ts': "import { db } from './db';\nexport async function grantCredits(customer: string) {\n  await db.user.increment({ customer, credits: 100 });\n}\n", [WEBHOOK]: route("  switch (event.type) {\n    case 'checkout.session.completed':\n      await grantCredits(String(event.data.object.customer));\n      break;\n  }").replace("import { db } from '../../../lib/db';", "import { grantCredits } from '../../../lib/credits';") }, errors: [{ file: WEBHOOK, line: 12, message: /db\.user\.increment/ }] },
    { name: 'an early return for other events: the rest of the handler is the branch', files: { ...base, [WEBHOOK]: route("  if (event.type !== 'checkout.session.completed') return new Response('ignored');\n  await db.order.markPaid(event.data.object.id);") }, errors: [{ file: WEBHOOK, line: 11 }] },
    { name: 'a dispatch table keyed by event type', files: { ...base, [WEBHOOK]: route("  await handlers[event.type]?.(event);") + "const handlers: Record<string, (e: any) => Promise<void>> = {\n  'checkout.session.completed': async (e) => {\n    await db.order.markPaid(e.data.object.id);\n  },\n};\n" }, errors: [{ file: WEBHOOK, line: 15 }] },
    { name: 'payment_status read only in another handler does not count', files: { ...base, 'app/api/other/route.ts': "export async function GET(req: Request) {\n  const s: any = await req.json();\n  return Response.json({ paid: s.payment_status });\n}\n", [WEBHOOK]: fulfils }, errors: [{ file: WEBHOOK, line: 11 }] },
  ],
});
