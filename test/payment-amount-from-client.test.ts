// payment-amount-from-client, case by case in the style of typescript-eslint's RuleTester: each case names
// what it proves. `invalid` cases give the request read the finding must name; `valid` cases must stay quiet.
// The cases run the resolve stage the engine runs (parser, Stripe resolver, API calls, provenance).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Parser } from '../dist/src/analysis/parse.js';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';
import { StripeResolver } from '../dist/src/stripe/resolve.js';
import { Catalogue, findApiCalls } from '../dist/src/stripe/api-calls.js';
import { findClientAmounts } from '../dist/src/stripe/charge-amounts.js';
import { RequestProvenance } from '../dist/src/stripe/request-provenance.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

const CLIENT = "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n";

/** Writes the files (plus lib/stripe.ts), and returns `file:line field` for every client-set amount. */
function findings(files: Record<string, string>, prepare?: (root: string) => void): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-amounts-'));
  roots.push(root);
  for (const [rel, text] of Object.entries({ 'lib/stripe.ts': CLIENT, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  prepare?.(root);
  const parser = new Parser(root, new ModuleResolver());
  const parsed = Object.keys(files).map((rel) => parser.get(path.join(root, rel))!);
  const resolver = new StripeResolver(parser);
  const catalogue = new Catalogue([]);
  const calls = parsed.flatMap((f) => findApiCalls(f, resolver, catalogue));
  const provenance = new RequestProvenance(resolver, () => parser.parsedFiles(), root);
  return findClientAmounts(calls, resolver, provenance).map((a: { call: { file: { relPath: string }; node: { getStart(): number; getSourceFile(): { getLineAndCharacterOfPosition(p: number): { line: number } } } }; field: string }) => {
    const line = a.call.node.getSourceFile().getLineAndCharacterOfPosition(a.call.node.getStart()).line + 1;
    return `${a.call.file.relPath}:${line} ${a.field}`;
  });
}

const S = "import { stripe } from './lib/stripe';\n";

const invalid: Array<[string, Record<string, string>, string[]]> = [
  ['Express: req.body.amount inline', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'usd' });\n});` }, ['main.ts:3 req.body.amount']],
  ['charges.create with body.total through a destructured local', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  const body = req.body;\n  const { total } = body;\n  await stripe.charges.create({ amount: total, currency: 'usd', source: body.token });\n});` }, ['main.ts:5 req.body.total']],
  ['arithmetic: a server quantity times a client price', { 'main.ts': `${S}export async function POST(request: Request) {\n  const { price } = await request.json();\n  const qty = 3;\n  await stripe.paymentIntents.create({ amount: qty * price * 100, currency: 'usd' });\n}` }, ['main.ts:5 (await request.json()).price']],
  ['reduce over a client cart', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  const total = req.body.cart.reduce((sum, item) => sum + item.price * item.quantity, 0);\n  await stripe.paymentIntents.create({ amount: total, currency: 'usd' });\n});` }, ['main.ts:4 req.body.cart[].price']],
  ['a let accumulated in a for-of over the client cart', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  let total = 0;\n  for (const line of req.body.lines) total += line.unitPrice * line.qty;\n  await stripe.paymentIntents.create({ amount: total, currency: 'usd' });\n});` }, ['main.ts:5 req.body.lines[].unitPrice']],
  ['a helper parameter in another module, followed to its caller', { 'pay.ts': `${S}export function charge(amount: number) {\n  return stripe.paymentIntents.create({ amount, currency: 'usd' });\n}`, 'main.ts': "import { charge } from './pay';\napp.post('/pay', async (req, res) => res.json(await charge(req.body.amount)));" }, ['pay.ts:3 req.body.amount']],
  ["a helper's return value computed from the client's cart", { 'main.ts': `${S}function orderTotal(items: Array<{ price: number; qty: number }>) {\n  return items.reduce((t, i) => t + i.price * i.qty, 0);\n}\napp.post('/pay', async (req, res) => {\n  await stripe.paymentIntents.create({ amount: orderTotal(req.body.items), currency: 'usd' });\n});` }, ['main.ts:6 req.body.items[].price']],
  ['Koa: ctx.request.body', { 'main.ts': `${S}router.post('/pay', async (ctx) => {\n  const { amount } = ctx.request.body;\n  await stripe.paymentIntents.create({ amount, currency: 'eur' });\n});` }, ['main.ts:4 ctx.request.body.amount']],
  ['Hono: await c.req.json()', { 'main.ts': `${S}app.post('/pay', async (c) => {\n  const { amount } = await c.req.json();\n  await stripe.paymentIntents.create({ amount, currency: 'eur' });\n});` }, ['main.ts:4 (await c.req.json()).amount']],
  ['Nuxt / h3: readBody(event)', { 'main.ts': `${S}export default defineEventHandler(async (event) => {\n  const body = await readBody(event);\n  await stripe.paymentIntents.create({ amount: body.amount, currency: 'eur' });\n});` }, ['main.ts:4 (await readBody(event)).amount']],
  ['Lambda: JSON.parse(event.body)', { 'main.ts': `${S}export const handler = async (event) => {\n  const { amount } = JSON.parse(event.body);\n  await stripe.paymentIntents.create({ amount, currency: 'eur' });\n};` }, ['main.ts:4 event.body.amount']],
  ['NestJS: @Body() dto', { 'main.ts': `${S}@Controller('pay')\nexport class PayController {\n  @Post()\n  pay(@Body() dto: PayDto) {\n    return stripe.paymentIntents.create({ amount: dto.amount, currency: 'usd' });\n  }\n}` }, ['main.ts:6 @Body() dto.amount']],
  ['NestJS: controller → injected service method', { 'svc.ts': `${S}export class PayService {\n  charge(amount: number) {\n    return stripe.paymentIntents.create({ amount, currency: 'usd' });\n  }\n}`, 'main.ts': "import { PayService } from './svc';\n@Controller('pay')\nexport class PayController {\n  constructor(private readonly payService: PayService) {}\n  @Post()\n  pay(@Body('amount') amount: number) {\n    return this.payService.charge(amount);\n  }\n}" }, ["svc.ts:4 @Body('amount') amount"]],
  ['tRPC: a procedure input', { 'main.ts': `${S}export const router = t.router({\n  pay: t.procedure.input(z.object({ amount: z.number() })).mutation(async ({ input }) => {\n    return stripe.paymentIntents.create({ amount: input.amount, currency: 'usd' });\n  }),\n});` }, ['main.ts:4 input.amount']],
  ['Firebase callable data (v1 and v2)', { 'main.ts': `${S}export const pay1 = functions.https.onCall(async (data, context) => stripe.paymentIntents.create({ amount: data.amount, currency: 'usd' }));\nexport const pay2 = onCall(async (request) => stripe.paymentIntents.create({ amount: request.data.amount, currency: 'usd' }));` }, ['main.ts:2 callable data data.amount', 'main.ts:3 request.data.amount']],
  ['Convex: a public action\'s args', { 'main.ts': `${S}export const pay = action({\n  args: { amount: v.number() },\n  handler: async (ctx, args) => stripe.paymentIntents.create({ amount: args.amount, currency: 'usd' }),\n});` }, ['main.ts:4 Convex args args.amount']],
  ['a server action a client component imports', { 'actions.ts': `'use server';\n${S}export async function payDifference(customer: string, cents: number) {\n  await stripe.invoiceItems.create({ customer, amount: cents, currency: 'usd' });\n}`, 'button.tsx': "'use client';\nimport { payDifference } from './actions';\nexport const B = ({ c, d }: { c: string; d: number }) => <button onClick={() => payDifference(c, d)}>Pay</button>;" }, ['actions.ts:4 server action argument cents']],
  ['GraphQL: a mutation resolver\'s args', { 'main.ts': `${S}export const resolvers = {\n  Mutation: {\n    async pay(_: unknown, { amount }: { amount: number }) {\n      return stripe.paymentIntents.create({ amount, currency: 'usd' });\n    },\n  },\n};` }, ['main.ts:5 GraphQL args amount']],
  ['query string through new URL(req.url)', { 'main.ts': `${S}export async function GET(req: Request) {\n  const amount = Number(new URL(req.url).searchParams.get('amount'));\n  await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'x' } }, quantity: 1 }] });\n}` }, ["main.ts:4 req.url.searchParams.get('amount')"]],
  ['line_items taken whole from the request', { 'main.ts': `${S}app.post('/checkout', async (req, res) => {\n  await stripe.checkout.sessions.create({ mode: 'payment', line_items: req.body.lineItems, success_url: 'https://x' });\n});` }, ['main.ts:3 req.body.lineItems']],
  ['subscriptions.create with price_data from the body', { 'main.ts': `${S}app.post('/sub', async (req, res) => {\n  await stripe.subscriptions.create({ customer: req.user.customerId, items: [{ price_data: { currency: 'usd', product: 'prod_1', unit_amount: req.body.monthly, recurring: { interval: 'month' } } }] });\n});` }, ['main.ts:3 req.body.monthly']],
  ['invoiceItems.create with a client amount', { 'main.ts': `${S}app.post('/extra', async (req, res) => {\n  await stripe.invoiceItems.create({ customer: req.user.customerId, amount: req.body.extra, currency: 'usd' });\n});` }, ['main.ts:3 req.body.extra']],
];

const valid: Array<[string, Record<string, string>]> = [
  ['a product looked up by the id the client sent', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  const product = await db.product.findUnique({ where: { id: req.body.productId } });\n  await stripe.paymentIntents.create({ amount: product.price, currency: 'usd' });\n});` }],
  ['a server price times the quantity the client picked', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  const product = await db.product.findUnique({ where: { id: req.body.productId } });\n  await stripe.paymentIntents.create({ amount: product.price * req.body.quantity, currency: 'usd' });\n});` }],
  ['stripe.prices.retrieve for the price id the client sent', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  const price = await stripe.prices.retrieve(req.body.priceId);\n  await stripe.paymentIntents.create({ amount: price.unit_amount!, currency: price.currency });\n});` }],
  ['a Stripe Price id passed as price', { 'main.ts': `${S}app.post('/checkout', async (req, res) => {\n  await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: req.body.priceId, quantity: req.body.quantity }] });\n});` }],
  ['a client cart mapped to Price ids', { 'main.ts': `${S}app.post('/checkout', async (req, res) => {\n  await stripe.checkout.sessions.create({ mode: 'payment', line_items: req.body.items.map((i) => ({ price: i.priceId, quantity: i.quantity })) });\n});` }],
  ['a server price table indexed by the client\'s plan', { 'main.ts': `${S}const PRICES = { basic: 900, pro: 2900 };\napp.post('/pay', async (req, res) => {\n  await stripe.paymentIntents.create({ amount: PRICES[req.body.plan], currency: 'usd' });\n});` }],
  ['refunds, transfers and payouts', { 'main.ts': `${S}app.post('/staff', async (req, res) => {\n  await stripe.refunds.create({ payment_intent: req.body.pi, amount: req.body.amount });\n  await stripe.transfers.create({ amount: req.body.amount, currency: 'usd', destination: req.body.acct });\n  await stripe.payouts.create({ amount: req.body.amount, currency: 'usd' });\n});` }],
  ['amounts from the verified webhook event', { 'main.ts': `${S}export async function POST(req: Request) {\n  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, 'whsec');\n  const invoice = event.data.object as { amount_due: number; customer: string };\n  await stripe.invoiceItems.create({ customer: invoice.customer, amount: invoice.amount_due, currency: 'usd' });\n}` }],
  ['the authenticated user (req.user) is not the client\'s data', { 'main.ts': `${S}app.post('/pay', async (req, res) => {\n  await stripe.paymentIntents.create({ amount: req.user.plan.priceCents, currency: 'usd' });\n});` }],
  ['a donation bounded on the server', { 'main.ts': `${S}app.post('/donate', async (req, res) => {\n  const amount = Number(req.body.amount);\n  if (amount < 100 || amount > 1_000_000) return res.sendStatus(400);\n  await stripe.paymentIntents.create({ amount, currency: 'usd' });\n});` }],
  ['a helper whose callers pass server amounts', { 'main.ts': `${S}function charge(amount: number) {\n  return stripe.paymentIntents.create({ amount, currency: 'usd' });\n}\napp.post('/pay', async (req, res) => {\n  const order = await db.order.find(req.body.orderId);\n  await charge(order.total);\n});` }],
  ['a calculateOrderAmount(items) that prices items on the server', { 'main.ts': `${S}const CATALOG = { a: 100, b: 250 };\nconst calculateOrderAmount = (items) => items.reduce((t, i) => t + CATALOG[i.id] * i.quantity, 0);\napp.post('/pay', async (req, res) => {\n  await stripe.paymentIntents.create({ amount: calculateOrderAmount(req.body.items), currency: 'usd' });\n});` }],
  ['a server action only a server component calls, with the stored total', { 'actions.ts': `'use server';\n${S}export async function chargeBalance(customer: string, cents: number) {\n  await stripe.invoiceItems.create({ customer, amount: cents, currency: 'usd' });\n}`, 'page.tsx': "import { chargeBalance } from './actions';\nexport default async function Page() {\n  const order = await db.order.findFirst();\n  await chargeBalance(order.customer, order.balance);\n  return <p>ok</p>;\n}" }],
  ['an admin folder: staff choose the amount', { 'admin/items.ts': "import { stripe } from '../lib/stripe';\napp.post('/items', async (req, res) => {\n  await stripe.invoiceItems.create({ customer: req.body.customer, amount: req.body.amount, currency: 'usd' });\n});" }],
  ['an array callback parameter named like a context is the element', { 'main.ts': `${S}app.post('/checkout', async (req, res) => {\n  const rows = await db.cartLine.findMany({ where: { cartId: req.body.cartId } });\n  await stripe.checkout.sessions.create({ mode: 'payment', line_items: rows.map((c) => ({ price_data: { currency: 'usd', unit_amount: c.priceCents, product_data: { name: c.name } }, quantity: c.qty })) });\n});` }],
];

describe('payment-amount-from-client', () => {
  it.each(invalid)('invalid: %s', (_name, files, expected) => {
    expect(findings(files)).toEqual(expected);
  });
  it.each(valid)('valid: %s', (_name, files) => {
    expect(findings(files)).toEqual([]);
  });
});

describe('payment-amount-from-client: hostile trees', () => {
  it('reads no file through a symlink out of the scanned tree when it looks for client callers of a server action', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-outside-'));
    roots.push(outside);
    fs.writeFileSync(path.join(outside, 'button.tsx'), "'use client';\nimport { payDifference } from './actions';\nexport const B = () => <button onClick={() => payDifference('c', 1)} />;\n");
    const files = { 'actions.ts': `'use server';\n${S}export async function payDifference(customer: string, cents: number) {\n  await stripe.invoiceItems.create({ customer, amount: cents, currency: 'usd' });\n}` };
    // The same client component inside the tree makes the action the browser's (see the invalid case above);
    // linked in from outside, it is not read, and the action stays the server's.
    expect(findings({ ...files, 'button.tsx': fs.readFileSync(path.join(outside, 'button.tsx'), 'utf8') })).toEqual(['actions.ts:4 server action argument cents']);
    expect(findings(files, (root) => fs.symlinkSync(path.join(outside, 'button.tsx'), path.join(root, 'button.tsx')))).toEqual([]);
  });
});
