// The Stripe share of the synthetic monorepo: client modules, webhook handlers in several frameworks
// (verified, unverified, bypassed, wrong body, bad secrets), money-moving calls with and without
// idempotency keys. Each template is small and realistic; the generator pads it with neutral helpers.
import path from 'node:path';
import { Gen, camel } from './code.js';

export type PackageKind = 'lib' | 'ui' | 'next' | 'express' | 'express-js' | 'nest' | 'lambda' | 'hono' | 'fastify' | 'worker';

/** How a file of a package reaches that package's Stripe client. */
export interface ClientAccess {
  /** Import statement(s) for the top of the file. */
  imports: string;
  /** Module-level statement after the imports ('' when the import is the client). */
  decl: string;
  /** The expression naming the client inside handlers. */
  ref: string;
}

export interface ClientModule {
  /** Path inside the package. */
  file: string;
  text: string;
  /** How a file at `fromFile` (path inside the package) reaches it. */
  access(fromFile: string): ClientAccess;
}

const EVENTS = [
  'checkout.session.completed', 'invoice.paid', 'invoice.payment_failed', 'customer.subscription.updated',
  'customer.subscription.deleted', 'payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded',
  'charge.dispute.created', 'account.updated',
];
const API_VERSIONS = ['2022-11-15', '2023-08-16', '2023-10-16', '2024-04-10', '2024-06-20', '2025-03-31.basil'];

function relImport(fromFile: string, toFile: string): string {
  let rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.[jt]sx?$/, '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/** The package's Stripe client module, in the style usual for its framework. */
export function clientModule(g: Gen, kind: PackageKind, pkgName: string): ClientModule {
  const r = g.r;
  const apiVersion = r.pick(API_VERSIONS);
  const envKey = r.pick(['STRIPE_SECRET_KEY', 'STRIPE_API_KEY', 'STRIPE_SK']);
  if (kind === 'express-js') {
    return {
      file: 'src/lib/stripe.js',
      text: `'use strict';

// Shared Stripe client for the ${pkgName} service.
const stripe = require('stripe')(process.env.${envKey}, {
  apiVersion: '${apiVersion}',
  maxNetworkRetries: ${r.int(0, 3)},
});

module.exports = stripe;
`,
      access: (from) => ({ imports: `const stripe = require('${relImport(from, 'src/lib/stripe.js')}');`, decl: '', ref: 'stripe' }),
    };
  }
  if (kind === 'nest') {
    return {
      file: 'src/stripe/stripe.module.ts',
      text: `import { Global, Module } from '@nestjs/common';
import Stripe from 'stripe';

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: STRIPE_CLIENT,
      useFactory: () => new Stripe(process.env.${envKey} as string, { apiVersion: '${apiVersion}' as Stripe.LatestApiVersion }),
    },
  ],
  exports: [STRIPE_CLIENT],
})
export class StripeModule {}
`,
      access: (from) => ({
        imports: `import Stripe from 'stripe';\nimport { STRIPE_CLIENT } from '${relImport(from, 'src/stripe/stripe.module.ts')}';`,
        decl: '',
        ref: 'this.stripe',
      }),
    };
  }
  if (kind === 'hono' || kind === 'worker') {
    return {
      file: 'src/lib/stripe.ts',
      text: `import Stripe from 'stripe';

/** Workers have no process.env: the key arrives with each request's bindings. */
export function stripeFor(env: { ${envKey}: string }): Stripe {
  return new Stripe(env.${envKey}, {
    apiVersion: '${apiVersion}' as Stripe.LatestApiVersion,
    httpClient: Stripe.createFetchHttpClient(),
  });
}

export const cryptoProvider = Stripe.createSubtleCryptoProvider();
`,
      access: (from) => ({
        imports: `import Stripe from 'stripe';\nimport { stripeFor, cryptoProvider } from '${relImport(from, 'src/lib/stripe.ts')}';`,
        decl: '',
        ref: 'stripe',
      }),
    };
  }
  const factory = kind === 'express' || (kind === 'lib' && r.chance(0.5));
  const file = kind === 'fastify' ? 'src/plugins/stripe.ts' : kind === 'lib' ? 'src/client.ts' : 'src/lib/stripe.ts';
  if (factory) {
    return {
      file,
      text: `import Stripe from 'stripe';

let cached: Stripe | undefined;

/** Lazily creates the Stripe client so tests can run without a key. */
export function getStripe(): Stripe {
  if (!cached) {
    const key = process.env.${envKey};
    if (!key) throw new Error('${envKey} is not set');
    cached = new Stripe(key, { apiVersion: '${apiVersion}' as Stripe.LatestApiVersion, maxNetworkRetries: ${r.int(1, 3)}, appInfo: { name: '${pkgName}' } });
  }
  return cached;
}
`,
      access: (from) => ({
        imports: `import type Stripe from 'stripe';\nimport { getStripe } from '${relImport(from, file)}';`,
        decl: 'const stripe = getStripe();',
        ref: 'stripe',
      }),
    };
  }
  return {
    file,
    text: `import Stripe from 'stripe';

export const stripe = new Stripe(process.env.${envKey}!, {
  apiVersion: '${apiVersion}' as Stripe.LatestApiVersion,
  typescript: true,
  appInfo: { name: '${pkgName}', version: '1.0.0' },
});

export type StripeClient = typeof stripe;
`,
    access: (from) => ({
      imports: `import type Stripe from 'stripe';\nimport { stripe } from '${kind === 'next' ? '@/lib/stripe' : relImport(from, file)}';`,
      decl: '',
      ref: 'stripe',
    }),
  };
}

export interface TemplateContext {
  g: Gen;
  /** Path of the file inside its package. */
  file: string;
  client: ClientAccess;
  pkgName: string;
}

export interface StripeTemplate {
  id: string;
  kind: PackageKind;
  /** File path inside the package; `n` makes it unique. */
  file(n: number): string;
  make(ctx: TemplateContext): string;
}

const ev = (g: Gen) => g.r.sample(EVENTS, g.r.int(2, 4));

function eventSwitch(g: Gen, eventVar: string, indent: string): string {
  return `${indent}switch (${eventVar}.type) {
${ev(g)
  .map((t) => {
    const obj = t.startsWith('checkout') ? 'Stripe.Checkout.Session' : t.startsWith('invoice') ? 'Stripe.Invoice' : t.startsWith('customer.subscription') ? 'Stripe.Subscription' : t.startsWith('payment_intent') ? 'Stripe.PaymentIntent' : t.startsWith('charge.dispute') ? 'Stripe.Dispute' : t.startsWith('charge') ? 'Stripe.Charge' : 'Stripe.Account';
    const fn = camel(`on-${t.replace(/[._]/g, '-')}`);
    return `${indent}  case '${t}': {
${indent}    const object = ${eventVar}.data.object as ${obj};
${indent}    await ${fn}(object);
${indent}    break;
${indent}  }`;
  })
  .join('\n')}
${indent}  default:
${indent}    console.log(\`unhandled event type \${${eventVar}.type}\`);
${indent}}`;
}

function jsEventSwitch(g: Gen, eventVar: string, indent: string): string {
  return `${indent}switch (${eventVar}.type) {
${ev(g)
  .map((t) => `${indent}  case '${t}':\n${indent}    await handlers['${t}'](${eventVar}.data.object);\n${indent}    break;`)
  .join('\n')}
${indent}  default:
${indent}    break;
${indent}}`;
}

const dedupeStore = `const processedEvents = new Set<string>();

async function alreadyProcessed(eventId: string): Promise<boolean> {
  if (processedEvents.has(eventId)) return true;
  processedEvents.add(eventId);
  return false;
}
`;

function handlerStubs(g: Gen, types = true): string {
  return EVENTS.map((t) => {
    const fn = camel(`on-${t.replace(/[._]/g, '-')}`);
    return `async function ${fn}(object${types ? ': unknown' : ''}) {\n  console.log('${t}', ${g.r.chance(0.5) ? 'object' : 'JSON.stringify(object).length'});\n}\n`;
  }).join('\n');
}

const secretEnv = (g: Gen) => g.r.pick(['STRIPE_WEBHOOK_SECRET', 'STRIPE_ENDPOINT_SECRET', 'WEBHOOK_SIGNING_SECRET']);

export const TEMPLATES: StripeTemplate[] = [
  // ---------------------------------------------------------------- Express (TS)
  {
    id: 'express-webhook-verified',
    kind: 'express',
    file: (n) => `src/routes/stripe-webhook${n || ''}.ts`,
    make: ({ g, client }) => `import express, { Router } from 'express';
${client.imports}
${client.decl}

export const stripeWebhookRouter = Router();
const endpointSecret = process.env.${secretEnv(g)} as string;

${dedupeStore}
stripeWebhookRouter.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  const signature = req.headers['stripe-signature'] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, signature, endpointSecret);
  } catch (err) {
    console.warn('stripe signature verification failed', (err as Error).message);
    return res.status(400).send(\`Webhook Error: \${(err as Error).message}\`);
  }
  if (await alreadyProcessed(event.id)) return res.json({ received: true, duplicate: true });
${eventSwitch(g, 'event', '  ')}
  res.json({ received: true });
});

${handlerStubs(g)}`,
  },
  {
    id: 'express-webhook-unverified',
    kind: 'express',
    file: (n) => `src/routes/billing-events${n || ''}.ts`,
    make: ({ g, client }) => `import express from 'express';
${client.imports}

const router = express.Router();

// Stripe posts events here. TODO: verify signatures.
router.post('/stripe/events', express.json(), async (req, res) => {
  const event = req.body as Stripe.Event;
${eventSwitch(g, 'event', '  ')}
  res.sendStatus(200);
});

${handlerStubs(g)}
export default router;
`,
  },
  {
    id: 'express-webhook-bypass-and-fallback',
    kind: 'express',
    file: (n) => `src/webhooks/stripe${n || ''}.ts`,
    make: ({ g, client }) => `import express from 'express';
${client.imports}
${client.decl}

export const webhookApp = express();
const webhookSecret = process.env.${secretEnv(g)} || '';

webhookApp.post('/hooks/stripe', express.raw({ type: 'application/json' }), onStripeWebhook);

async function onStripeWebhook(req: express.Request, res: express.Response) {
  let event: Stripe.Event;
  if (webhookSecret) {
    try {
      event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, webhookSecret);
    } catch (err) {
      return res.status(400).send('invalid signature');
    }
  } else {
    // Local development without the Stripe CLI.
    event = JSON.parse(req.body.toString());
  }
${eventSwitch(g, 'event', '  ')}
  res.json({ received: true });
}

${handlerStubs(g)}`,
  },
  {
    id: 'express-webhook-json-middleware',
    kind: 'express',
    file: (n) => `src/server${n || ''}.ts`,
    make: ({ g, client }) => `import express from 'express';
import cors from 'cors';
${client.imports}
${client.decl}

const app = express();
app.use(cors());
app.use(express.json());

app.get('/health', (_req, res) => res.json({ ok: true }));

app.post('/api/stripe-webhook', async (req, res) => {
  const sig = req.headers['stripe-signature'] as string;
  const event = stripe.webhooks.constructEvent(req.body, sig, process.env.${secretEnv(g)}!);
  if (event.type === 'payment_intent.succeeded') {
    const intent = event.data.object as Stripe.PaymentIntent;
    console.log('paid', intent.id, intent.amount_received);
  }
  res.json({ received: true });
});

app.listen(Number(process.env.PORT ?? 3000));
`,
  },
  // ---------------------------------------------------------------- Express (JS, require)
  {
    id: 'express-js-webhook-verified',
    kind: 'express-js',
    file: (n) => `src/routes/webhook${n || ''}.js`,
    make: ({ g, client }) => `'use strict';

const express = require('express');
${client.imports}

const router = express.Router();
const handlers = require('./event-handlers');

router.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.${secretEnv(g)});
  } catch (err) {
    return res.status(400).send('Webhook Error: ' + err.message);
  }
  if (await handlers.seen(event.id)) return res.sendStatus(200);
${jsEventSwitch(g, 'event', '  ')}
  res.json({ received: true });
});

module.exports = router;
`,
  },
  {
    id: 'express-js-charges',
    kind: 'express-js',
    file: (n) => `src/services/payments${n || ''}.js`,
    make: ({ client }) => `'use strict';

${client.imports}

async function chargeCustomer(order) {
  const intent = await stripe.paymentIntents.create(
    { amount: order.total, currency: order.currency, customer: order.customerId, metadata: { orderId: order.id } },
    { idempotencyKey: 'order-' + order.id },
  );
  return intent.client_secret;
}

async function refundOrder(order, amount) {
  // No idempotency key: a retried request refunds twice.
  return stripe.refunds.create({ payment_intent: order.paymentIntentId, amount });
}

async function createCustomer(user) {
  return stripe.customers.create({ email: user.email, name: user.name, metadata: { userId: user.id } });
}

module.exports = { chargeCustomer, refundOrder, createCustomer };
`,
  },
  // ---------------------------------------------------------------- Next.js
  {
    id: 'next-app-route-verified',
    kind: 'next',
    file: (n) => `src/app/api/webhooks/stripe${n || ''}/route.ts`,
    make: ({ g, client }) => `import { NextResponse } from 'next/server';
import { headers } from 'next/headers';
${client.imports}
${client.decl}

export const runtime = 'nodejs';

${dedupeStore}
export async function POST(req: Request) {
  const body = await req.text();
  const signature = (await headers()).get('stripe-signature');
  if (!signature) return NextResponse.json({ error: 'missing signature' }, { status: 400 });
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, process.env.${secretEnv(g)}!);
  } catch (err) {
    return NextResponse.json({ error: 'invalid signature' }, { status: 400 });
  }
  if (await alreadyProcessed(event.id)) return NextResponse.json({ received: true });
${eventSwitch(g, 'event', '  ')}
  return NextResponse.json({ received: true });
}

${handlerStubs(g)}`,
  },
  {
    id: 'next-app-route-json-body',
    kind: 'next',
    file: (n) => `src/app/api/billing/webhook${n || ''}/route.ts`,
    make: ({ g, client }) => `import { NextResponse, type NextRequest } from 'next/server';
${client.imports}
${client.decl}

export async function POST(request: NextRequest) {
  const payload = await request.json();
  const signature = request.headers.get('stripe-signature') ?? '';
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(JSON.stringify(payload), signature, process.env.${secretEnv(g)}!, ${g.r.pick(['0', '-1', '7200'])});
  } catch {
    return new NextResponse('bad signature', { status: 400 });
  }
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object as Stripe.Checkout.Session;
    console.log('checkout completed', session.id, event.id);
  }
  return NextResponse.json({ ok: true });
}
`,
  },
  {
    id: 'next-app-route-unverified',
    kind: 'next',
    file: (n) => `src/app/api/stripe/events${n || ''}/route.ts`,
    make: ({ g, client }) => `${client.imports}

export async function POST(req: Request) {
  const event = (await req.json()) as Stripe.Event;
${eventSwitch(g, 'event', '  ')}
  return Response.json({ received: true });
}

${handlerStubs(g)}`,
  },
  {
    id: 'next-pages-verified',
    kind: 'next',
    file: (n) => `src/pages/api/stripe-webhook${n || ''}.ts`,
    make: ({ g, client }) => `import type { NextApiRequest, NextApiResponse } from 'next';
import { buffer } from 'micro';
${client.imports}
${client.decl}

export const config = { api: { bodyParser: false } };

const webhookSecret: string = process.env.${secretEnv(g)}!;

${dedupeStore}
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return res.status(405).end('Method Not Allowed');
  }
  const buf = await buffer(req);
  const sig = req.headers['stripe-signature'] as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(buf, sig, webhookSecret);
  } catch (err) {
    return res.status(400).send(\`Webhook Error: \${err instanceof Error ? err.message : 'unknown'}\`);
  }
  if (await alreadyProcessed(event.id)) return res.json({ received: true });
${eventSwitch(g, 'event', '  ')}
  res.json({ received: true });
}

${handlerStubs(g)}`,
  },
  {
    id: 'next-pages-body-parsed',
    kind: 'next',
    file: (n) => `src/pages/api/payments/webhook${n || ''}.ts`,
    make: ({ g, client }) => `import type { NextApiRequest, NextApiResponse } from 'next';
${client.imports}
${client.decl}

export default async function stripeWebhook(req: NextApiRequest, res: NextApiResponse) {
  const sig = req.headers['stripe-signature'] as string;
  try {
    const event = stripe.webhooks.constructEvent(req.body, sig, process.env.${secretEnv(g)} ?? '');
    if (event.type === 'invoice.paid') {
      const invoice = event.data.object as Stripe.Invoice;
      console.log('invoice paid', invoice.id, event.id);
    }
    res.status(200).json({ received: true });
  } catch (err) {
    res.status(400).json({ error: (err as Error).message });
  }
}
`,
  },
  {
    id: 'next-checkout-action',
    kind: 'next',
    file: (n) => `src/app/checkout/actions${n || ''}.ts`,
    make: ({ client }) => `'use server';

import { redirect } from 'next/navigation';
${client.imports}
${client.decl}

export async function startCheckout(formData: FormData) {
  const priceId = String(formData.get('priceId'));
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: priceId, quantity: 1 }],
    success_url: \`\${process.env.APP_URL}/billing?success=1\`,
    cancel_url: \`\${process.env.APP_URL}/billing\`,
  });
  redirect(session.url!);
}

export async function subscribe(customerId: string, priceId: string, cartId: string) {
  return stripe.subscriptions.create({ customer: customerId, items: [{ price: priceId }] }, { idempotencyKey: \`sub-\${cartId}\` });
}
`,
  },
  {
    id: 'stripe-js-browser',
    kind: 'next',
    file: (n) => `src/components/CheckoutForm${n || ''}.tsx`,
    make: () => `'use client';

import { useState, type FormEvent } from 'react';
import { loadStripe } from '@stripe/stripe-js';
import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';

const stripePromise = loadStripe(process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY!);

function Form() {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!stripe || !elements) return;
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: window.location.origin + '/done' } });
    if (result.error) setError(result.error.message ?? 'Payment failed');
  }

  return (
    <form onSubmit={onSubmit}>
      <PaymentElement />
      <button disabled={!stripe}>Pay</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

export default function CheckoutForm({ clientSecret }: { clientSecret: string }) {
  return (
    <Elements stripe={stripePromise} options={{ clientSecret }}>
      <Form />
    </Elements>
  );
}
`,
  },
  // ---------------------------------------------------------------- NestJS
  {
    id: 'nest-webhook-verified',
    kind: 'nest',
    file: (n) => `src/billing/stripe-webhook${n || ''}.controller.ts`,
    make: ({ g, client }) => `import { BadRequestException, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
${client.imports}

@Controller('webhooks')
export class StripeWebhookController {
  private readonly seen = new Set<string>();

  constructor(@Inject(STRIPE_CLIENT) private readonly stripe: Stripe) {}

  @Post('stripe')
  @HttpCode(200)
  async handleStripe(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature: string) {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(req.rawBody!, signature, process.env.${secretEnv(g)}!);
    } catch (err) {
      throw new BadRequestException('Invalid Stripe signature');
    }
    if (this.seen.has(event.id)) return { received: true };
    this.seen.add(event.id);
${eventSwitch(g, 'event', '    ').replace(/await (on\w+)\(/g, 'await this.$1(')}
    return { received: true };
  }

${handlerStubs(g).replace(/^(?=.)/gm, '  ').replace(/^ {2}async function /gm, '  private async ').trimEnd()}
}
`,
  },
  {
    id: 'nest-webhook-unverified',
    kind: 'nest',
    file: (n) => `src/payments/events${n || ''}.controller.ts`,
    make: ({ client }) => `import { Body, Controller, Post } from '@nestjs/common';
${client.imports.split('\n')[0]}

@Controller('payments')
export class PaymentEventsController {
  @Post('events')
  async receive(@Body() event: Stripe.Event) {
    if (event.type === 'invoice.paid') {
      const invoice = event.data.object as Stripe.Invoice;
      return { paid: invoice.id };
    }
    return { ignored: event.type };
  }
}
`,
  },
  {
    id: 'nest-payments-service',
    kind: 'nest',
    file: (n) => `src/payments/payments${n || ''}.service.ts`,
    make: ({ client }) => `import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
${client.imports}

@Injectable()
export class PaymentsService {
  constructor(@Inject(STRIPE_CLIENT) private readonly stripe: Stripe) {}

  async charge(orderId: string, amount: number, customer: string) {
    return this.stripe.paymentIntents.create({ amount, currency: 'usd', customer, confirm: true }, { idempotencyKey: \`charge:\${orderId}\` });
  }

  async payout(accountId: string, amount: number) {
    return this.stripe.transfers.create({ amount, currency: 'usd', destination: accountId });
  }

  async chargeWithRetry(orderId: string, amount: number, customer: string) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.stripe.paymentIntents.create({ amount, currency: 'usd', customer }, { idempotencyKey: randomUUID() });
      } catch (err) {
        if (attempt === 2) throw err;
      }
    }
  }
}
`,
  },
  // ---------------------------------------------------------------- AWS Lambda
  {
    id: 'lambda-webhook-verified',
    kind: 'lambda',
    file: (n) => `src/handlers/stripe-webhook${n || ''}.ts`,
    make: ({ g, client }) => `import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
${client.imports}
${client.decl}

${dedupeStore}
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const signature = event.headers['stripe-signature'];
  const payload = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  let stripeEvent: Stripe.Event;
  try {
    stripeEvent = stripe.webhooks.constructEvent(payload, signature ?? '', process.env.${secretEnv(g)}!);
  } catch (err) {
    return { statusCode: 400, body: JSON.stringify({ error: 'invalid signature' }) };
  }
  if (await alreadyProcessed(stripeEvent.id)) return { statusCode: 200, body: 'duplicate' };
${eventSwitch(g, 'stripeEvent', '  ')}
  return { statusCode: 200, body: JSON.stringify({ received: true }) };
};

${handlerStubs(g)}`,
  },
  {
    id: 'lambda-eventbridge-consumer',
    kind: 'lambda',
    file: (n) => `src/consumers/stripe-events${n || ''}.ts`,
    make: ({ g }) => `import type { EventBridgeEvent } from 'aws-lambda';
import type Stripe from 'stripe';

// Events arrive from the Amazon EventBridge partner source aws.partner/stripe.com: no signature to check.
export const handler = async (event: EventBridgeEvent<string, Stripe.Event>) => {
  const stripeEvent = event.detail;
${eventSwitch(g, 'stripeEvent', '  ')}
};

${handlerStubs(g)}`,
  },
  {
    id: 'lambda-webhook-hardcoded-secret',
    kind: 'lambda',
    file: (n) => `src/handlers/billing-hook${n || ''}.ts`,
    make: ({ g, client }) => `import type { APIGatewayProxyEvent } from 'aws-lambda';
${client.imports}
${client.decl}

const endpointSecret = 'whsec_${g.r.alnum(32)}';
// For local testing the CLI prints something like whsec_xxx; never commit the real one.

export async function handler(event: APIGatewayProxyEvent) {
  try {
    const stripeEvent = stripe.webhooks.constructEvent(event.body!, event.headers['Stripe-Signature']!, endpointSecret);
    if (stripeEvent.type === 'charge.refunded') {
      console.log('refunded', (stripeEvent.data.object as Stripe.Charge).id, stripeEvent.id);
    }
    return { statusCode: 200, body: 'ok' };
  } catch {
    return { statusCode: 400, body: 'bad signature' };
  }
}
`,
  },
  // ---------------------------------------------------------------- Hono / Cloudflare Workers
  {
    id: 'hono-webhook-verified',
    kind: 'hono',
    file: (n) => `src/routes/stripe${n || ''}.ts`,
    make: ({ g, client }) => `import { Hono } from 'hono';
${client.imports}

type Env = { STRIPE_SECRET_KEY: string; STRIPE_API_KEY: string; STRIPE_SK: string; ${secretEnv(g)}: string };

export const stripeRoutes = new Hono<{ Bindings: Env }>();

stripeRoutes.post('/webhook', async (c) => {
  const signature = c.req.header('stripe-signature');
  if (!signature) return c.text('missing signature', 400);
  const body = await c.req.text();
  const stripe = stripeFor(c.env);
  try {
    const event = await stripe.webhooks.constructEventAsync(body, signature, c.env.${secretEnv(g)}, undefined, cryptoProvider);
    if (event.type === 'customer.subscription.deleted') {
      const sub = event.data.object as Stripe.Subscription;
      console.log('subscription ended', sub.id, event.id);
    }
    return c.json({ received: true });
  } catch (err) {
    return c.text(\`Webhook Error: \${(err as Error).message}\`, 400);
  }
});
`,
  },
  {
    id: 'worker-fetch-verified',
    kind: 'worker',
    file: (n) => `src/index${n || ''}.ts`,
    make: ({ g, client }) => `${client.imports}

interface Env {
  STRIPE_SECRET_KEY: string;
  STRIPE_API_KEY: string;
  STRIPE_SK: string;
  ${secretEnv(g)}: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('not found', { status: 404 });
    const signature = request.headers.get('stripe-signature')!;
    const body = await request.text();
    const stripe = stripeFor(env);
    let event: Stripe.Event;
    try {
      event = await stripe.webhooks.constructEventAsync(body, signature, env.${secretEnv(g)}, undefined, cryptoProvider);
    } catch (err) {
      return new Response((err as Error).message, { status: 400 });
    }
    if (event.type === 'invoice.payment_failed') {
      console.log('dunning', (event.data.object as Stripe.Invoice).id);
    }
    return Response.json({ received: true });
  },
};
`,
  },
  // ---------------------------------------------------------------- Fastify
  {
    id: 'fastify-webhook-verified',
    kind: 'fastify',
    file: (n) => `src/routes/stripe-webhook${n || ''}.ts`,
    make: ({ g, client }) => `import type { FastifyInstance } from 'fastify';
import rawBody from 'fastify-raw-body';
${client.imports}
${client.decl}

export default async function stripeWebhookRoutes(app: FastifyInstance) {
  await app.register(rawBody, { field: 'rawBody', global: false, encoding: false, runFirst: true });

  app.post('/webhooks/stripe', { config: { rawBody: true } }, async (request, reply) => {
    const sig = request.headers['stripe-signature'] as string;
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(request.rawBody as Buffer, sig, process.env.${secretEnv(g)}!);
    } catch (err) {
      return reply.code(400).send({ error: 'invalid signature' });
    }
    if (event.type === 'account.updated') {
      request.log.info({ account: (event.data.object as Stripe.Account).id, eventId: event.id }, 'account updated');
    }
    return { received: true };
  });
}
`,
  },
  {
    id: 'fastify-webhook-unverified',
    kind: 'fastify',
    file: (n) => `src/routes/stripe-events${n || ''}.ts`,
    make: ({ g, client }) => `import type { FastifyInstance } from 'fastify';
${client.imports}

export default async function stripeEventRoutes(app: FastifyInstance) {
  app.post('/stripe/events', async (request, reply) => {
    const event = request.body as Stripe.Event;
${eventSwitch(g, 'event', '    ')}
    return reply.send({ ok: true });
  });
}

${handlerStubs(g)}`,
  },
  // ---------------------------------------------------------------- Billing libraries: idempotency cases
  {
    id: 'lib-money-keys',
    kind: 'lib',
    file: (n) => `src/payments/charge${n || ''}.ts`,
    make: ({ client }) => `${client.imports}
${client.decl}

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
}

export async function chargeOrder(req: ChargeRequest) {
  return stripe.paymentIntents.create(
    { amount: req.amount, currency: req.currency, customer: req.customerId, metadata: { orderId: req.orderId } },
    { idempotencyKey: \`order-\${req.orderId}\` },
  );
}

export async function refundOrder(paymentIntentId: string, refundRequestId: string, amount?: number) {
  const options: Stripe.RequestOptions = { idempotencyKey: \`refund-\${refundRequestId}\` };
  return stripe.refunds.create({ payment_intent: paymentIntentId, amount }, options);
}

export async function payoutToBank(amount: number, currency = 'usd') {
  return stripe.payouts.create({ amount, currency });
}

export async function openCustomer(email: string) {
  return stripe.customers.create({ email });
}

export async function createPrice(productId: string, unitAmount: number) {
  return stripe.prices.create({ product: productId, unit_amount: unitAmount, currency: 'usd' });
}
`,
  },
  {
    id: 'lib-money-constant-and-misplaced',
    kind: 'lib',
    file: (n) => `src/payments/batch${n || ''}.ts`,
    make: ({ client }) => `${client.imports}
${client.decl}

const TRANSFER_KEY = 'monthly-transfer';

export async function monthlyTransfer(destination: string, amount: number) {
  return stripe.transfers.create({ amount, currency: 'usd', destination }, { idempotencyKey: TRANSFER_KEY });
}

export async function captureAll(ids: string[]) {
  for (const id of ids) {
    await stripe.paymentIntents.capture(id, {}, { idempotencyKey: 'capture' });
  }
}

export async function topUp(amount: number, key: string) {
  return stripe.topups.create({ amount, currency: 'usd', idempotencyKey: key } as Stripe.TopupCreateParams);
}

export async function payInvoice(invoiceId: string, key: string) {
  return stripe.invoices.pay(invoiceId, {}, { idempotency_key: key } as unknown as Stripe.RequestOptions);
}
`,
  },
  {
    id: 'lib-money-regenerated',
    kind: 'lib',
    file: (n) => `src/payments/retry${n || ''}.ts`,
    make: ({ client }) => `import { randomUUID } from 'node:crypto';
import pRetry from 'p-retry';
import { v4 as uuidv4 } from 'uuid';
${client.imports}
${client.decl}

export async function chargeWithLoop(customer: string, amount: number) {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await stripe.charges.create({ amount, currency: 'usd', customer }, { idempotencyKey: randomUUID() });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function transferWithPRetry(destination: string, amount: number) {
  return pRetry(() => stripe.transfers.create({ amount, currency: 'usd', destination }, { idempotencyKey: uuidv4() }), { retries: 4 });
}

export async function refundRecursively(charge: string, attemptsLeft = 3): Promise<Stripe.Refund> {
  try {
    return await stripe.refunds.create({ charge }, { idempotencyKey: \`refund-\${Date.now()}\` });
  } catch (err) {
    if (attemptsLeft <= 0) throw err;
    return refundRecursively(charge, attemptsLeft - 1);
  }
}

export async function chargeOnce(customer: string, amount: number) {
  const key = randomUUID();
  return pRetry(() => stripe.paymentIntents.create({ amount, currency: 'usd', customer }, { idempotencyKey: key }));
}
`,
  },
  {
    id: 'lib-money-reused-and-raw',
    kind: 'lib',
    file: (n) => `src/payments/orders${n || ''}.ts`,
    make: ({ client }) => `${client.imports}
${client.decl}

export async function replaceOrderPayment(order: { id: string; customer: string; amount: number; previousIntent: string }) {
  await stripe.refunds.create({ payment_intent: order.previousIntent }, { idempotencyKey: order.id });
  return stripe.paymentIntents.create({ amount: order.amount, currency: 'usd', customer: order.customer }, { idempotencyKey: order.id });
}

export async function outbound(financialAccount: string, amount: number, requestId: string) {
  return stripe.treasury.outboundPayments.create(
    { financial_account: financialAccount, amount, currency: 'usd', destination_payment_method: 'pm_usBankAccount' },
    { idempotencyKey: \`obp-\${requestId}\` },
  );
}

export async function legacyCharge(params: Record<string, unknown>) {
  return stripe.rawRequest('POST', '/v1/charges', params);
}
`,
  },
  {
    id: 'lib-hardcoded-key',
    kind: 'lib',
    file: (n) => `src/scripts/backfill${n || ''}.ts`,
    make: ({ g }) => `import Stripe from 'stripe';

// One-off backfill script.
const stripe = new Stripe('sk_${g.r.pick(['live', 'test'])}_51${g.r.alnum(40)}', { apiVersion: '2023-10-16' });

export async function backfill(customerIds: string[]) {
  for (const customer of customerIds) {
    const subs = await stripe.subscriptions.list({ customer, status: 'all' });
    console.log(customer, subs.data.length);
  }
}
`,
  },
  {
    id: 'lib-verify-helper',
    kind: 'lib',
    file: (n) => `src/webhooks/verify${n || ''}.ts`,
    make: ({ g }) => `import Stripe from 'stripe';

/** Verifies a webhook payload; used by the apps that host the endpoints. */
export function verifyStripePayload(payload: string | Buffer, header: string, secret = process.env.${secretEnv(g)} ?? '') {
  Stripe.webhooks.signature.verifyHeader(payload, header, secret);
  return JSON.parse(payload.toString()) as Stripe.Event;
}

export function unsafeParse(payload: string) {
  return Stripe.webhooks.constructEventWithoutVerification?.(payload) ?? (JSON.parse(payload) as Stripe.Event);
}
`,
  },
];

/** Templates that reach the package's shared client (the generator writes that client module first). */
export const needsClient = (t: StripeTemplate) => !['stripe-js-browser', 'lambda-eventbridge-consumer', 'lib-hardcoded-key', 'lib-verify-helper'].includes(t.id);
