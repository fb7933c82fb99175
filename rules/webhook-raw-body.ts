import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/ast.js';
import { adapterByName } from '../src/frameworks/index.js';

const rule: Rule = {
  meta: {
    id: 'webhook-raw-body',
    defaultSeverity: 'error',
    title: 'Webhook signature checked against a parsed body',
    docs: {
      summary: 'The payload passed to constructEvent is not the raw request bytes, so verification cannot work.',
      description: 'Reported at the verification call when its payload is `JSON.stringify(…)` of a parsed body, the result of `req.json()` or `JSON.parse`, the `@Body()` of a Nest controller, or `req.body` after a JSON body parser ran for that route (Express `app.use(express.json())` mounted before the route, `express.raw()` without a matching `type`, the Next.js pages router without `bodyParser: false`, Fastify and Firebase defaults, `koa-bodyparser`), or when the framework setup throws the raw bytes away (NestJS without `rawBody: true`).',
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
      const adapter = adapterByName(h.entry.framework);
      for (const v of h.verifications) {
        const j = h.rawBody.get(v.node);
        if (!j || reported.has(v.node)) continue;
        reported.add(v.node);
        ctx.report({
          range: rangeOf(v.file, v.node),
          message: `Signature is checked against a body that is not the raw bytes: ${j.problem}. Every genuine event will fail verification. Fix for ${adapter?.label ?? 'this framework'}: ${adapter?.rawBodyFix ?? 'pass the raw request body'}.`,
          fix: adapter?.rawBodyFix,
        });
      }
    }
  },
};
export default rule;
