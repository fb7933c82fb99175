import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';

const rule: Rule = {
  meta: {
    id: 'webhook-event-not-deduplicated',
    defaultSeverity: 'warning',
    title: 'Webhook events are not de-duplicated by id',
    docs: {
      summary: 'A verified webhook handler never consults event.id, so redelivered events are processed again.',
      description: 'Reported at a handler that verifies the signature and then does work (anything beyond logging and answering) but never reads the verified event\'s `id` (directly, by destructuring, or in a helper it passes the event to).',
      why: 'Stripe delivers an event at least once: retries after a timeout, manual resends and replays inside the tolerance window all arrive with the same id. Without an id check a redelivered `invoice.paid` credits twice or ships twice.',
      fix: 'Record processed event ids (a unique index, `INSERT … ON CONFLICT DO NOTHING`, a KV entry) and skip events already seen, before doing the work.',
      bad: "const event = stripe.webhooks.constructEvent(body, sig, secret);\nif (event.type === 'invoice.paid') await addCredits(event.data.object.customer);",
      good: "const event = stripe.webhooks.constructEvent(body, sig, secret);\nif (!(await db.webhookEvents.insertIfAbsent(event.id))) return res.sendStatus(200);\nif (event.type === 'invoice.paid') await addCredits(event.data.object.customer);",
    },
    tags: ['security', 'reliability', 'webhooks', 'idempotency'],
    precision: 'medium',
    securitySeverity: 4.0,
  },
  check(ctx) {
    for (const h of ctx.model.handlers) {
      if (!h.verifications.some((v) => v.verifies) || h.eventIdReads.some((r) => !r.onlyLogged) || h.effects.length === 0) continue;
      ctx.report({
        range: rangeOf(h.entry.file, h.entry.reportNode),
        message: 'This webhook handler never checks event.id, and Stripe delivers events more than once: record processed ids and skip duplicates before acting.',
        fix: 'Store event.id (unique) and return early when it was already processed.',
      });
    }
  },
};
export default rule;
