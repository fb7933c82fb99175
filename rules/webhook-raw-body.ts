import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import { snippet } from '../src/webhooks/snippet.js';
import type { PayloadProvenance, VerificationFacts, WebhookHandler } from '../src/webhooks/model.js';

/** Why a parsed payload cannot match the signed bytes, in words. */
function parsedPayloadProblem(p: Extract<PayloadProvenance, { state: 'parsed' }>): string {
  const code = snippet(p.expression);
  switch (p.how) {
    case 'stringify':
      return `the payload is \`${code}\`: re-serialised JSON never matches the bytes Stripe signed`;
    case 'json-call':
      return `the payload comes from \`${code}\`, which parses the body`;
    case 'json-parse':
      return `the payload is \`${code}\`, a parsed object`;
    case 'parsed-param':
      return `the payload is ${p.reason}`;
    case 'framework-body':
      return `the payload is \`${code}\`, but ${p.reason}`;
  }
}

/** The raw-body problem of a verifying call, if any: a parsed payload first, then the framework wiring. */
export function rawBodyProblem(h: WebhookHandler, v: VerificationFacts): string | undefined {
  if (!v.verifies || (v.spec !== 'custom' && v.spec.refetch)) return undefined;
  if (v.payloadProvenance?.state === 'parsed') return parsedPayloadProblem(v.payloadProvenance);
  return h.wiringProblem;
}

const rule: Rule = {
  meta: {
    id: 'webhook-raw-body',
    defaultSeverity: 'error',
    title: 'Webhook signature checked against a parsed body',
    docs: {
      summary: 'The payload passed to constructEvent is not the raw request bytes, so verification cannot work.',
      description: 'Reported at the verification call when its payload is `JSON.stringify(…)` of a parsed body, the result of `req.json()` or `JSON.parse`, the `@Body()` of a Nest controller, or `req.body` after a JSON body parser ran for that route (Express `app.use(express.json())` mounted before the route, also in another file before `app.use(\'/webhooks\', router)` mounts the route\'s router, `express.raw()` without a matching `type`, the Next.js pages router without `bodyParser: false`, Fastify and Firebase defaults, `koa-bodyparser`, an Express app served by Firebase `onRequest(app)`), `req.rawBody` filled by a middleware (a hand-made `req.on(\'data\')` collector, a wrapped `express.raw()`) that runs after a JSON parser already read the stream, koa-body\'s (and Strapi\'s `strapi::body`) unparsed body without `includeUnparsed: true` or `ctx.request.rawBody` with koa-body (only koa-bodyparser sets it), or when the framework setup throws the raw bytes away (NestJS without `rawBody: true`).',
      why: 'Stripe signs the exact bytes it sent. Re-serialised JSON differs in key order and whitespace, so every genuine event fails verification. Teams then "fix" the outage by disabling the check, which opens the endpoint to forged events.',
      fix: 'Give constructEvent the raw body: Express `express.raw({ type: \'application/json\' })` on the route before `express.json()`; Next.js app router `await req.text()`; pages router `export const config = { api: { bodyParser: false } }` and `buffer(req)`; NestJS `rawBody: true` and `req.rawBody`; Fastify `fastify-raw-body`; Firebase `req.rawBody`; Hono/Workers `await c.req.text()`.',
      bad: "app.use(express.json());\napp.post('/webhook', (req, res) => {\n  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);\n});",
      good: "app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {\n  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);\n});\napp.use(express.json());",
    },
    tags: ['security', 'webhooks', 'correctness'],
    precision: 'high',
    securitySeverity: 6.5,
  },
  check(ctx) {
    const reported = new Set<unknown>();
    for (const h of ctx.model.handlers) {
      for (const v of h.verifications) {
        const problem = rawBodyProblem(h, v);
        if (!problem || reported.has(v.node)) continue;
        reported.add(v.node);
        // A host that parses before the app runs (Firebase serving an Express app) has its own fix.
        const fix = (v.payloadProvenance?.state === 'parsed' && v.payloadProvenance.fix) || h.adapter.rawBodyFix;
        ctx.report({
          range: rangeOf(v.file, v.node),
          message: `Signature is checked against a body that is not the raw bytes: ${problem}. Every genuine event will fail verification. Fix for ${h.adapter.label}: ${fix}.`,
          fix,
        });
      }
    }
  },
};
export default rule;
