import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import { snippet } from '../src/webhooks/snippet.js';
import type { WebhookHandler } from '../src/webhooks/model.js';

/** How a verified handler still acts on unverified input (fails open), in words; undefined when it does not. */
export function bypassOf(h: WebhookHandler): string | undefined {
  const actsOnEventFields = h.shapes.some((s) => s.kind === 'event-type-compared' || s.kind === 'data-object');
  for (const v of h.verifications) {
    if (!v.verifies) continue;
    // (0) the handler signs the request itself (a "dev mode"): every forged event verifies
    if (v.headerMadeBy) {
      const when = v.headerMadeBy.condition ? ` when \`${snippet(v.headerMadeBy.condition)}\`` : '';
      return `the signature header is made by \`generateTestHeaderString\`${when}, which signs whatever arrived, so a forged event verifies`;
    }
    // (a) the verified event is thrown away and the handler acts on the body instead
    if (v.result.kind === 'discarded' && v.spec !== 'custom' && v.spec.semantics !== 'header' && actsOnEventFields) {
      return 'it verifies the signature but throws the verified event away and acts on the request body';
    }
    // (b) the event variable is also filled from the unverified request. An unconditional verification
    // overwrites what the variable held before: only a later assignment leaves the unverified value in place.
    if (v.result.kind === 'variable') {
      const other = v.otherAssignments.find((a) => !v.runsUnconditionally || a.afterVerification);
      if (other) return `\`${v.result.name}\` is also taken from \`${snippet(other.expression)}\`, which nobody verified`;
    }
    for (const e of v.enclosing) {
      // A condition on literals that always takes the verification's branch: the other branch never runs
      // (a literal secret is webhook-secret-hardcoded's finding, not a bypass).
      if (e.kind !== 'try' && e.constant === (e.branch === 'then')) continue;
      // (c) verification only on one branch of a condition, the other trusting the body
      if (e.kind === 'if' && e.other && !e.otherTerminates && e.otherTrustsBody) {
        return `verification runs only when \`${snippet(e.condition)}\` ${e.branch === 'then' ? 'holds' : 'fails'}; the other branch trusts the unverified body (fail-open)`;
      }
      if (e.kind === 'ternary' && !e.otherNullish && e.otherTrustsBody) return `verification runs only when \`${snippet(e.condition)}\`; otherwise \`${snippet(e.other!)}\` is trusted (fail-open)`;
      // (d) a catch that carries on
      if (e.kind === 'try' && e.hasCatch && !e.catchTerminates && !e.catchSendsError && e.followedByCode) return 'the catch block of the verification neither returns nor throws, so processing goes on with an unverified request';
    }
    // promise form: constructEventAsync(…).catch(() => fallback)
    if (v.promiseFallbacks.length) return `a failed verification falls back to \`${snippet(v.promiseFallbacks[0])}\``;
  }
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'webhook-signature-bypass',
    defaultSeverity: 'error',
    title: 'Webhook verification can be skipped (fails open)',
    docs: {
      summary: 'The handler verifies the signature on one path but acts on an unverified event on another.',
      description: 'Reported when verification runs only under a condition (`if (secret)`, `if (signature)`, a ternary) and the other branch trusts the body; when the event variable is also filled from the request body (`let event = req.body; if (secret) event = constructEvent(…)`); when a `catch` around the verification neither returns nor throws and processing continues; when a promise `.catch()` falls back to the parsed body; or when the verified event is thrown away and the handler acts on `req.body`. A guard on the environment is reported whatever the handler does with the event today; a guard that reads only literals (`const secret = \'whsec_…\'; if (secret)`) always verifies and is not a bypass (the literal is `webhook-secret-hardcoded`).',
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
      const bypass = bypassOf(h);
      if (!bypass) continue;
      ctx.report({
        range: rangeOf(h.entry.file, h.entry.reportNode),
        message: `${h.adapter.label} webhook handler fails open: ${bypass}. Answer 400 and stop whenever verification is skipped or fails.`,
        fix: 'Fail closed: return 400 when the secret/signature is missing or verification throws, and act only on the verified event.',
      });
    }
  },
};
export default rule;
