// webhook-signature-handrolled, case by case (RuleTester style), and its documentation examples.
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { stripeEvidence } from '../dist/src/webhooks/handrolled.js';
import { auditFiles, ruleTester } from './helpers/rule-tester.js';

const RULE = 'webhook-signature-handrolled';

/** An Express route whose check is `check` (lines 7–…); the event is parsed from the verified bytes. */
const express = (check: string) => `import crypto from 'node:crypto';
import express from 'express';
const app = express();
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  const header = String(req.headers['stripe-signature']);
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
${check}
  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type === 'invoice.paid') await fulfil(event.data.object.id);
  res.sendStatus(200);
});
`;

/** A Web Crypto HMAC helper shared by validators, and a Stripe validator using it (`window`: its timestamp check). */
const webCryptoHelper = `export const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' };
export async function computeSignature(secret: string, algorithm: { name: string }, payload: string) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), algorithm, false, ['sign']);
  const sig = await crypto.subtle.sign(algorithm.name, key, new TextEncoder().encode(payload));
  return Buffer.from(sig).toString('hex');
}
`;
const stripeValidator = (window: string) => `import { computeSignature, HMAC_SHA256 } from './signatures';
export async function isValidStripeWebhook(headers: Record<string, string>, body: string, secret: string) {
  const [t, v1] = headers['stripe-signature'].split(',').map((p) => p.split('=')[1]);
${window}
  const computed = await computeSignature(secret, HMAC_SHA256, \`\${t}.\${body}\`);
  return computed === v1;
}
`;

ruleTester(RULE, {
  valid: [
    {
      name: 'the shared Web Crypto helper over the body alone (GitHub) is not a Stripe check',
      files: {
        'lib/signatures.ts': webCryptoHelper,
        'lib/github.ts': "import { computeSignature, HMAC_SHA256 } from './signatures';\nexport async function isValidGitHubWebhook(h: Record<string, string>, body: string, secret: string) {\n  return 'sha256=' + (await computeSignature(secret, HMAC_SHA256, body)) === h['x-hub-signature-256'];\n}\n",
      },
    },
    {
      name: 'a tolerance and crypto.timingSafeEqual: as good as the SDK',
      files: {
        'server.ts': express(`  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return res.sendStatus(400);
  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update(\`\${parts.t}.\${req.body}\`).digest();
  const got = Buffer.from(parts.v1, 'hex');
  if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) return res.sendStatus(400);`),
      },
    },
    {
      name: 'Web Crypto subtle.verify (constant time) with the age checked through a variable',
      files: {
        'worker.ts': `export default {
  async fetch(request: Request, env: { STRIPE_WEBHOOK_SECRET: string }) {
    const body = await request.text();
    const header = request.headers.get('stripe-signature') ?? '';
    const t = /t=(\\d+)/.exec(header)?.[1] ?? '0';
    const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1] ?? '';
    const age = Math.floor(Date.now() / 1000) - Number(t);
    if (age > 300) return new Response('stale', { status: 400 });
    const enc = new TextEncoder();
    const key = await crypto.subtle.importKey('raw', enc.encode(env.STRIPE_WEBHOOK_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    const ok = await crypto.subtle.verify('HMAC', key, Uint8Array.from(v1.match(/../g)!.map((h) => parseInt(h, 16))), enc.encode(\`\${t}.\${body}\`));
    if (!ok) return new Response('bad signature', { status: 400 });
    const event = JSON.parse(body);
    if (event.type === 'invoice.paid') await env.STRIPE_WEBHOOK_SECRET.toString();
    return new Response('ok');
  },
};
`,
      },
    },
    {
      name: "GitHub's sha256= HMAC over the body, compared with ===, is not Stripe's scheme",
      files: {
        'github.ts': `import { createHmac } from 'node:crypto';
import express from 'express';
const app = express();
app.post('/webhooks/github', express.raw({ type: 'application/json' }), (req, res) => {
  const expected = 'sha256=' + createHmac('sha256', process.env.GITHUB_WEBHOOK_SECRET!).update(req.body).digest('hex');
  if (req.headers['x-hub-signature-256'] !== expected) return res.sendStatus(401);
  res.sendStatus(204);
});
`,
      },
    },
    {
      name: "Slack's v0:ts:body signature in a file that also handles Stripe events",
      files: {
        'slack.ts': `import { createHmac } from 'node:crypto';
import express from 'express';
const app = express();
app.post('/slack/events', express.raw({ type: '*/*' }), (req, res) => {
  const ts = String(req.headers['x-slack-request-timestamp']);
  const mine = 'v0=' + createHmac('sha256', process.env.SLACK_SIGNING_SECRET!).update(\`v0:\${ts}:\${req.body}\`).digest('hex');
  if (mine !== req.headers['x-slack-signature']) return res.sendStatus(401);
  const payload = JSON.parse(req.body.toString());
  if (payload.type === 'checkout.session.completed') console.log('relayed stripe event');
  res.sendStatus(200);
});
`,
      },
    },
    {
      name: 'a JWT (HS256 over header.payload, base64url) next to the Stripe API key is not a Stripe check',
      files: {
        'session.ts': `import { createHmac } from 'node:crypto';
import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/api/billing/portal', express.json(), async (req, res) => {
  const [header, payload, signature] = String(req.headers.authorization).slice(7).split('.');
  const expected = createHmac('sha256', process.env.JWT_SECRET!).update(\`\${header}.\${payload}\`).digest('base64url');
  if (signature !== expected) return res.sendStatus(401);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const session = await stripe.billingPortal.sessions.create({ customer: claims.customer, return_url: 'https://example.com' });
  res.json({ url: session.url });
});
`,
      },
    },
    {
      name: 'the SDK verifies: nothing hand-written to judge',
      files: {
        'server.ts': `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try { event = stripe.webhooks.constructEvent(req.body, String(req.headers['stripe-signature']), process.env.STRIPE_WEBHOOK_SECRET!); } catch { return res.sendStatus(400); }
  if (await seen(event.id)) return res.sendStatus(200);
  res.sendStatus(200);
});
`,
      },
    },
  ],
  invalid: [
    {
      name: 'no tolerance and !==: one error at the comparison naming both problems',
      files: {
        'server.ts': express(`  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update(\`\${parts.t}.\${req.body}\`).digest('hex');
  if (parts.v1 !== expected) return res.sendStatus(400);`),
      },
      errors: ['server.ts:8 error'],
      message: /replayed forever.*constant-time/,
    },
    {
      name: 'a tolerance but ===: a warning',
      files: {
        'server.ts': express(`  if (Date.now() / 1000 - Number(parts.t) > 300) return res.sendStatus(400);
  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update(parts.t + '.' + req.body).digest('hex');
  if (!(expected === parts.v1)) return res.sendStatus(400);`),
      },
      errors: ['server.ts:9 warning'],
      message: /constant-time/,
    },
    {
      name: 'timingSafeEqual but no tolerance: an error at the comparison',
      files: {
        'server.ts': express(`  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update([parts.t, req.body].join('.')).digest();
  if (!crypto.timingSafeEqual(Buffer.from(parts.v1, 'hex'), expected)) return res.sendStatus(400);`),
      },
      errors: ['server.ts:8 error'],
      message: /replayed forever/,
    },
    {
      name: 'the digest made in separate statements and compared with Buffer#equals',
      files: {
        'server.ts': express(`  const hmac = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!);
  const signedPayload = \`\${parts.t}.\${req.body}\`;
  hmac.update(signedPayload);
  const expected = hmac.digest();
  if (!Buffer.from(parts.v1, 'hex').equals(expected)) return res.sendStatus(400);`),
      },
      errors: ['server.ts:11 error'],
    },
    {
      name: 'a helper returns the signature and the caller compares it',
      files: {
        'server.ts': `import crypto from 'node:crypto';
import express from 'express';
const sign = (t: string, body: string) => crypto.createHmac('sha256', process.env.STRIPE_WHSEC!).update(\`\${t}.\${body}\`).digest('hex');
const app = express();
app.post('/stripe', express.text({ type: '*/*' }), async (req, res) => {
  const { t, v1 } = Object.fromEntries(String(req.headers['stripe-signature']).split(',').map((kv) => kv.split('=')));
  if (sign(t, req.body) !== v1) return res.sendStatus(400);
  const event = JSON.parse(req.body);
  if (event.type === 'invoice.paid') await fulfil(event.data.object.id);
  res.sendStatus(200);
});
`,
      },
      errors: ['server.ts:7 error'],
    },
    {
      name: 'an exported validator no handler reaches, HMAC in a shared Web Crypto helper, a window and ===: a warning',
      files: { 'lib/signatures.ts': webCryptoHelper, 'lib/stripe.ts': stripeValidator('  if (Date.now() / 1000 - Number(t) > 300) return false;') },
      errors: ['lib/stripe.ts:6 warning'],
    },
    {
      name: 'the same validator without a window: an error',
      files: { 'lib/signatures.ts': webCryptoHelper, 'lib/stripe.ts': stripeValidator('') },
      errors: ['lib/stripe.ts:6 error'],
    },
    {
      name: 'Stripe evidence on the handler path only: the helper file names nothing of Stripe',
      files: {
        'lib/signature.ts': `import { createHmac } from 'node:crypto';
export function checkSignature(payload: string, timestamp: string, signature: string, secret: string): boolean {
  const mac = createHmac('sha256', secret).update(\`\${timestamp}.\${payload}\`).digest('hex');
  return mac === signature;
}
`,
        'app/api/billing/route.ts': `import { checkSignature } from '../../../lib/signature';
export async function POST(request: Request) {
  const body = await request.text();
  const header = request.headers.get('stripe-signature') ?? '';
  const t = header.split(',')[0].slice(2);
  const sig = header.split(',')[1].slice(3);
  if (!checkSignature(body, t, sig, process.env.BILLING_SECRET!)) return new Response('bad', { status: 400 });
  const event = JSON.parse(body);
  if (event.type === 'customer.subscription.deleted') await cancel(event.data.object.id);
  return new Response('ok');
}
`,
      },
      errors: ['lib/signature.ts:4 error'],
    },
  ],
});

describe(`${RULE}: Stripe evidence`, () => {
  it("takes the header, a webhook secret's name or the v1 value, not the API key's name", () => {
    expect(stripeEvidence(["req.headers['stripe-signature']"])).toMatch(/header/);
    expect(stripeEvidence(['process.env.STRIPE_CONNECT_WEBHOOK_SECRET'])).toMatch(/secret/);
    expect(stripeEvidence(['if (expected !== parts.v1) return'])).toMatch(/v1/);
    expect(stripeEvidence(['new Stripe(process.env.STRIPE_SECRET_KEY)'])).toBeUndefined();
  });
  it('does not take the v1 value where WorkOS (the same t=…, v1=… scheme) is named', () => {
    expect(stripeEvidence(["const parts = parse(req.headers['workos-signature']); if (expected !== parts.v1) return"])).toBeUndefined();
  });
});

describe(`${RULE}: documentation examples`, () => {
  const docs = RULES.find((r: { meta: { id: string } }) => r.meta.id === RULE)!.meta.docs;
  it('the bad example gives exactly one finding, of this rule', async () => {
    const found = await auditFiles({ 'src/server.ts': docs.bad });
    expect(found.map((f) => f.ruleId)).toEqual([RULE]);
  });
  it('the good example gives no finding at all', async () => {
    expect(await auditFiles({ 'src/server.ts': docs.good })).toEqual([]);
  });
});
