import type { Rule } from '../src/rule.js';
import { maskSecret } from '../src/stripe/secrets.js';

const rule = {
  meta: {
    id: 'webhook-secret-hardcoded',
    defaultSeverity: 'error',
    title: 'Webhook signing secret committed to source',
    docs: {
      summary: 'A real-looking Stripe webhook signing secret (whsec_…) is written in the source code or a committed configuration file.',
      description: 'Finds `whsec_` literals with enough random characters to be a real endpoint secret. Placeholders such as `whsec_xxx` or `whsec_...` are not reported. Committed configuration files (`.env*`, JSON, YAML, TOML, docker-compose, serverless.yml, Terraform) are read too.',
      why: 'The signing secret is what proves a webhook came from Stripe. Whoever has it can sign forged events (a fake `checkout.session.completed` that marks an order paid) and your endpoint will accept them.',
      fix: 'Roll the endpoint secret in the Stripe Dashboard and read it from the environment (`process.env.STRIPE_WEBHOOK_SECRET`), failing closed when it is missing.',
      bad: "stripe.webhooks.constructEvent(body, sig, 'whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f0');",
      good: 'stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);',
    },
    tags: ['security', 'secrets', 'webhooks', 'external/cwe/cwe-798'],
    precision: 'high',
    securitySeverity: 8.5,
  },
  check(ctx) {
    for (const s of ctx.model.secrets) {
      if (s.kind !== 'whsec') continue;
      ctx.report({
        range: s.range,
        message: `Webhook signing secret ${maskSecret(s.value)} is committed to the source: anyone with it can forge Stripe events. Roll it and read it from the environment.`,
        fix: 'Roll the secret and read it from process.env.STRIPE_WEBHOOK_SECRET.',
      });
    }
  },
} satisfies Rule;
export default rule;
