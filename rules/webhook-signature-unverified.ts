import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import type { EventShape, WebhookHandler } from '../src/webhooks/model.js';

/** The evidence, in words, that a handler acts on Stripe events. */
function shapeText(s: EventShape): string {
  switch (s.kind) {
    case 'verification':
      return s.verifies ? 'verifies a Stripe signature' : 'calls a *WithoutVerification function';
    case 'signature-header':
      return 'reads the stripe-signature header';
    case 'event-type-compared':
      return `compares the event type with '${s.name}'`;
    case 'data-object':
      return 'reads event.data.object';
    case 'stripe-event-type':
      return 'types its input Stripe.Event';
  }
}

/** A Stripe webhook handler that verifies nowhere on its paths and hands the signature to no unknown code. */
export function isUnverified(h: WebhookHandler): boolean {
  return h.shapes.length > 0 && !h.opaqueVerification && !h.verifications.some((v) => v.verifies) && h.handrolled.length === 0;
}

const rule: Rule = {
  meta: {
    id: 'webhook-signature-unverified',
    defaultSeverity: 'error',
    title: 'Stripe webhook handler never verifies the signature',
    docs: {
      summary: 'An HTTP endpoint acts on Stripe events without verifying the Stripe-Signature header on any path.',
      description: 'A handler counts as a Stripe webhook handler when it reads the `stripe-signature` header, compares an event `.type` with a Stripe event name, reads `.data.object`, or types its input `Stripe.Event`, in its own code or in a function it passes the request body (or a value parsed from it) to, in any file; `.data.object` alone counts only on a route whose file path or route string names Stripe, or in a file that imports the SDK. It is reported when neither the handler, the helpers it calls (in any file), nor the middleware on its route calls `webhooks.constructEvent`, `constructEventAsync`, `webhooks.signature.verifyHeader(Async)`, `parseThinEvent` or `parseEventNotification(Async)` (or a function named in the `verifiers` config). `constructEventWithoutVerification` and friends do not verify. Queue and EventBridge consumers are not HTTP endpoints and are not reported.',
      why: 'Webhook URLs are public. Without the signature check anyone can POST a crafted `checkout.session.completed` or `invoice.paid` event and your code will mark orders paid, grant plans or ship goods.',
      fix: 'Verify the raw request body with `stripe.webhooks.constructEvent(rawBody, req.headers[\'stripe-signature\'], process.env.STRIPE_WEBHOOK_SECRET)` (or `constructEventAsync` on edge runtimes) and act only on the event it returns; answer 400 when it throws.',
      bad: "export async function POST(req: Request) {\n  const event = (await req.json()) as Stripe.Event;\n  if (event.type === 'checkout.session.completed') await markPaid(event.data.object.id);\n  return Response.json({ ok: true });\n}",
      good: "export async function POST(req: Request) {\n  const body = await req.text();\n  let event: Stripe.Event;\n  try {\n    event = stripe.webhooks.constructEvent(body, req.headers.get('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!);\n  } catch {\n    return new Response('invalid signature', { status: 400 });\n  }\n  if (event.type === 'checkout.session.completed') await markPaid(event.data.object.id);\n  return Response.json({ ok: true });\n}",
    },
    tags: ['security', 'webhooks', 'external/cwe/cwe-345'],
    precision: 'high',
    securitySeverity: 9.1,
  },
  check(ctx) {
    for (const h of ctx.model.handlers) {
      if (!isUnverified(h)) continue;
      const signals = h.shapes.map(shapeText);
      const without = h.verifications.length > 0 && !signals.some((x) => x.includes('WithoutVerification')) ? ' (it only calls a *WithoutVerification function)' : '';
      ctx.report({
        range: rangeOf(h.entry.file, h.entry.reportNode),
        message: `${h.adapter.label} handler acts on Stripe events (${signals.slice(0, 2).join(', ')}) but never verifies the Stripe-Signature header${without}: anyone can forge events. Verify the raw body with stripe.webhooks.constructEvent before acting.`,
        fix: `Call stripe.webhooks.constructEvent(rawBody, signature, process.env.STRIPE_WEBHOOK_SECRET) and act only on the event it returns; ${h.adapter.rawBodyFix}`.trim(),
      });
    }
  },
};
export default rule;
