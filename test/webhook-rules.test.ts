// RuleTester-style valid/invalid cases for the webhook rules: each rule decides from the webhook facts.
import unverified from '../dist/rules/webhook-signature-unverified.js';
import bypass from '../dist/rules/webhook-signature-bypass.js';
import rawBody from '../dist/rules/webhook-raw-body.js';
import unhandled from '../dist/rules/webhook-verification-unhandled.js';
import dedup from '../dist/rules/webhook-event-not-deduplicated.js';
import { ruleTester } from './helpers/webhook-tester.js';

const stripeClient = "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n";

ruleTester(unverified, {
  valid: [
    {
      name: 'express handler that verifies with constructEvent',
      files: {
        'server.ts': `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return res.sendStatus(400);
  }
  if (event.type === 'invoice.paid') console.log(event.data.object.id);
  res.sendStatus(200);
});
`,
      },
    },
    {
      name: 'an ordinary JSON route that reads .data and .type is not a webhook handler',
      files: {
        'app/api/items/route.ts': `export async function POST(req: Request) {
  const body = await req.json();
  if (body.type === 'bulk') await saveAll(body.data);
  return Response.json({ ok: true });
}
async function saveAll(items: unknown[]) { return items.length; }
`,
      },
    },
    {
      name: 'verification in a helper in another file',
      files: {
        'lib/stripe.ts': stripeClient,
        'lib/verify.ts': `import { stripe } from './stripe';
export function verify(body: string, sig: string) {
  return stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
}
`,
        'app/api/webhook/route.ts': `import { verify } from '@/lib/verify';
import { verify as v2 } from '../../../lib/verify';
export async function POST(req: Request) {
  let event;
  try {
    event = v2(await req.text(), req.headers.get('stripe-signature')!);
  } catch {
    return new Response('bad', { status: 400 });
  }
  if (event.type === 'checkout.session.completed') return Response.json({ id: event.data.object.id });
  return Response.json({});
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'Next.js route that trusts req.json() and switches on event names',
      files: {
        'app/api/webhooks/stripe/route.ts': `import type Stripe from 'stripe';
export async function POST(req: Request) {
  const event = (await req.json()) as Stripe.Event;
  switch (event.type) {
    case 'checkout.session.completed':
      await markPaid(event.data.object.id);
      break;
  }
  return Response.json({ received: true });
}
async function markPaid(id: string) { return id; }
`,
      },
      errors: [{ file: 'app/api/webhooks/stripe/route.ts', line: 2, message: /Next\.js \(app router\) handler acts on Stripe events \(types its input Stripe\.Event, compares the event type with 'checkout\.session\.completed'\)/ }],
    },
    {
      name: 'only a *WithoutVerification call',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/hooks', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = stripe.webhooks.constructEventWithoutVerification(req.body);
  if (event.type === 'payout.paid') await recordPayout(event.data.object);
  res.json({ ok: true });
});
async function recordPayout(p) { return p; }
`,
      },
      errors: [{ file: 'server.js', line: 4, message: /calls a \*WithoutVerification function/ }],
    },
  ],
});

ruleTester(bypass, {
  valid: [
    {
      name: 'fail-closed verification in try/catch that answers 400',
      files: {
        'server.ts': `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    res.status(400).send('bad signature');
    return;
  }
  if (event.type === 'invoice.paid') await db.credit(event.id, event.data.object.customer);
  res.sendStatus(200);
});
declare const db: { credit(id: string, c: unknown): Promise<void> };
`,
      },
    },
    {
      name: 'a variable assigned the body before an unconditional verification is overwritten',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event = req.body;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (e) {
    return res.status(400).end();
  }
  if (event.type === 'charge.refunded') console.log(event.data.object.id);
  res.end();
});
`,
      },
    },
  ],
  invalid: [
    {
      name: 'let event = req.body; if (secret) event = constructEvent(…)',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event = req.body;
  if (endpointSecret) {
    try {
      event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
    } catch (err) {
      return res.sendStatus(400);
    }
  }
  if (event.type === 'payment_intent.succeeded') fulfil(event.data.object);
  res.send();
});
function fulfil(pi) { return pi; }
`,
      },
      errors: [{ file: 'server.js', line: 5, message: /`event` is also taken from `req\.body`, which nobody verified/ }],
    },
    {
      name: 'a catch that logs and carries on',
      files: {
        'app/api/stripe/route.ts': `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request) {
  const body = await req.text();
  let event: any = JSON.parse(body);
  try {
    stripe.webhooks.constructEvent(body, req.headers.get('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    console.error('signature check failed', err);
  }
  if (event.type === 'invoice.paid') await grant(event.data.object.customer);
  return Response.json({ ok: true });
}
async function grant(c: unknown) { return c; }
`,
      },
      errors: [{ file: 'app/api/stripe/route.ts', line: 3 }],
    },
    {
      name: 'promise .catch() falls back to the parsed body',
      files: {
        'worker.ts': `import Stripe from 'stripe';
const stripe = new Stripe('sk_test_placeholder');
export default {
  async fetch(request: Request, env: { WEBHOOK_SECRET: string; KV: { put(k: string, v: string): Promise<void> } }) {
    const raw = await request.text();
    const event = await stripe.webhooks
      .constructEventAsync(raw, request.headers.get('stripe-signature')!, env.WEBHOOK_SECRET)
      .catch(() => JSON.parse(raw));
    if (event.type === 'customer.subscription.deleted') await env.KV.put(event.data.object.id, 'cancelled');
    return new Response('ok');
  },
};
`,
      },
      errors: [{ file: 'worker.ts', line: 4, message: /falls back to `JSON\.parse\(raw\)`/ }],
    },
  ],
});

ruleTester(rawBody, {
  valid: [
    {
      name: 'express.raw on the route, express.json after it',
      files: {
        'server.ts': `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  try {
    const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
    res.json({ id: event.id });
  } catch {
    res.sendStatus(400);
  }
});
app.use(express.json());
`,
      },
    },
  ],
  invalid: [
    {
      name: 'JSON.stringify of the parsed body',
      files: {
        'server.ts': `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.use(express.json());
app.post('/webhook', (req, res) => {
  try {
    const event = stripe.webhooks.constructEvent(JSON.stringify(req.body), req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
    res.json({ id: event.id });
  } catch {
    res.sendStatus(400);
  }
});
`,
      },
      errors: [{ file: 'server.ts', line: 8, message: /re-serialised JSON never matches/ }],
    },
    {
      name: "Nest @Body() passed as the payload (the adapter's parsed parameter)",
      files: {
        'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
NestFactory.create(AppModule, { rawBody: true }).then((app) => app.listen(3000));
`,
        'src/webhook.controller.ts': `import { Body, Controller, Headers, Post, BadRequestException } from '@nestjs/common';
import Stripe from 'stripe';
@Controller('webhooks')
export class WebhookController {
  private stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
  @Post('stripe')
  handle(@Body() body: any, @Headers('stripe-signature') sig: string) {
    try {
      const event = this.stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
      return { id: event.id };
    } catch {
      throw new BadRequestException();
    }
  }
}
`,
      },
      errors: [{ file: 'src/webhook.controller.ts', line: 9, message: /the payload is the `@Body\(\)` parameter, which Nest has already parsed/ }],
    },
  ],
});

/** Custom NestJS controller decorators that compose `Controller(…)`, and how a controller uses each. */
const nestControllerDecorators = [
  {
    name: 'a factory returning applyDecorators(Controller(…))',
    decorator: "import { applyDecorators, Controller } from '@nestjs/common';\nexport function PaymentController(prefix: string): ClassDecorator {\n  const options = { path: `payments/${prefix}` };\n  return applyDecorators(Controller(options));\n}\n",
    use: "@PaymentController('stripe')",
  },
  {
    name: 'an arrow factory with other decorators',
    decorator: "import { applyDecorators, Controller, UseFilters } from '@nestjs/common';\nexport const PaymentController = (p: string) => applyDecorators(UseFilters(), Controller(p));\n",
    use: "@PaymentController('stripe')",
  },
  {
    name: 'a constant decorator',
    decorator: "import { applyDecorators, Controller } from '@nestjs/common';\nexport const PaymentController = applyDecorators(Controller('payments/stripe'));\n",
    use: '@PaymentController',
  },
];

const nestStripeService = `import Stripe from 'stripe';
import { Injectable } from '@nestjs/common';
@Injectable()
export class StripeService {
  private readonly stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
  constructWebhookEvent(signature: string, payload: Buffer) { return this.stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!); }
}
`;

const nestWebhookController = (decorator: string) => `import { Headers, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { PaymentController } from '../common/payment-controller';
import { StripeService } from './stripe.service';
${decorator}
export class StripeWebhookController {
  constructor(private readonly stripeService: StripeService) {}
  @Post('webhook')
  async handleEvent(@Headers('stripe-signature') signature: string, @Req() req: RawBodyRequest<Request>) {
    const event = await this.stripeService.constructWebhookEvent(signature, req.rawBody!);
    return { received: event.id };
  }
}
`;

ruleTester(unhandled, {
  valid: [
    {
      name: "a class decorated with the project's own decorator that is not a controller",
      files: {
        'src/common/payment-controller.ts': "import { applyDecorators, Injectable } from '@nestjs/common';\nexport const PaymentController = (p: string) => applyDecorators(Injectable());\n",
        'src/stripe/stripe.service.ts': nestStripeService,
        'src/stripe/webhook.controller.ts': nestWebhookController("@PaymentController('stripe')"),
      },
    },
    {
      name: 'the caller catches what the helper throws',
      files: {
        'lib/stripe.ts': stripeClient,
        'lib/events.ts': `import { stripe } from './stripe';
export function toEvent(raw: string, sig: string) {
  return stripe.webhooks.constructEvent(raw, sig, process.env.STRIPE_WEBHOOK_SECRET!);
}
`,
        'app/api/webhook/route.ts': `import { toEvent } from '../../../lib/events';
export async function POST(req: Request) {
  try {
    const event = toEvent(await req.text(), req.headers.get('stripe-signature')!);
    return Response.json({ id: event.id });
  } catch {
    return new Response('invalid', { status: 400 });
  }
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'nothing catches',
      files: {
        'app/api/webhook/route.ts': `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
      },
      errors: [{ file: 'app/api/webhook/route.ts', line: 4, message: /nothing catches it, so Next\.js \(app router\) answers 500/ }],
    },
    ...nestControllerDecorators.map((d) => ({
      name: `NestJS controller through the project's own decorator: ${d.name}`,
      files: {
        'src/common/payment-controller.ts': d.decorator,
        'src/stripe/stripe.service.ts': nestStripeService,
        'src/stripe/webhook.controller.ts': nestWebhookController(d.use),
      },
      errors: [{ file: 'src/stripe/stripe.service.ts', line: 6, message: /so NestJS answers 500/ }],
    })),
  ],
});

ruleTester(dedup, {
  valid: [
    {
      name: 'reads event.id to skip duplicates',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (e) {
    return res.sendStatus(400);
  }
  if (await db.seen(event.id)) return res.sendStatus(200);
  await db.orders.update(event.data.object.metadata.orderId, { paid: true });
  res.sendStatus(200);
});
`,
      },
    },
    {
      name: 'a verified handler that only logs and answers',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (e) {
    return res.sendStatus(400);
  }
  console.log('received', event.type);
  res.sendStatus(200);
});
`,
      },
    },
  ],
  invalid: [
    {
      name: 'event.id only logged, then a write',
      files: {
        'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (e) {
    return res.sendStatus(400);
  }
  console.log('event', event.id);
  await db.orders.update(event.data.object.metadata.orderId, { paid: true });
  res.sendStatus(200);
});
`,
      },
      errors: [{ file: 'server.js', line: 4 }],
    },
  ],
});
