import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/ast.js';
import { adapterByName } from '../src/frameworks/index.js';

const rule: Rule = {
  meta: {
    id: 'webhook-signature-bypass',
    defaultSeverity: 'error',
    title: 'Webhook verification can be skipped (fails open)',
    docs: {
      summary: 'The handler verifies the signature on one path but acts on an unverified event on another.',
      description: 'Reported when verification runs only under a condition (`if (secret)`, `if (signature)`, a ternary) and the other branch trusts the body; when the event variable is also filled from the request body (`let event = req.body; if (secret) event = constructEvent(…)`); when a `catch` around the verification neither returns nor throws and processing continues; when a promise `.catch()` falls back to the parsed body; or when the verified event is thrown away and the handler acts on `req.body`.',
      why: 'A check that can be skipped is no check: unset the env var in one environment, or send a request with a bad signature, and the forged event is processed anyway.',
      fix: 'Fail closed: when the secret or the signature is missing, or verification throws, answer 400 and stop. Act only on the event returned by the verification call.',
      bad: "let event = req.body;\nif (process.env.STRIPE_WEBHOOK_SECRET) {\n  event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET);\n}\nawait fulfil(event);",
      good: "let event: Stripe.Event;\ntry {\n  event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET!);\n} catch {\n  return res.sendStatus(400);\n}\nawait fulfil(event);",
    },
    tags: ['security', 'webhooks', 'external/cwe/cwe-345', 'external/cwe/cwe-636'],
    precision: 'high',
    securitySeverity: 8.8,
  },
  check(ctx) {
    for (const h of ctx.model.handlers) {
      if (!h.bypass) continue;
      const adapter = adapterByName(h.entry.framework);
      ctx.report({
        range: rangeOf(h.entry.file, h.entry.reportNode),
        message: `${adapter?.label ?? 'HTTP'} webhook handler fails open: ${h.bypass}. Answer 400 and stop whenever verification is skipped or fails.`,
        fix: 'Fail closed: return 400 when the secret/signature is missing or verification throws, and act only on the verified event.',
      });
    }
  },
};
export default rule;
