import type { Rule } from '../src/rule.js';
import { maskSecret } from '../src/stripe/secrets.js';

const rule = {
  meta: {
    id: 'stripe-secret-key-hardcoded',
    defaultSeverity: 'error',
    title: 'Stripe secret key committed to source',
    docs: {
      summary: 'A Stripe secret or restricted API key (sk_/rk_) is written in the source code or a committed configuration file (.env, JSON, YAML, TOML, docker-compose, Terraform).',
      levels: 'error (live key) / warning (test key)',
      description: 'Finds string literals that look like real Stripe secret keys (`sk_live_…`, `rk_live_…`: error) or test-mode keys (`sk_test_…`, `rk_test_…`: warning). Placeholders (`sk_live_...`, `sk_test_xxx`, too short to be real) and publishable `pk_` keys are not reported. Committed configuration files are read too: `.env` and `.env.*`, `*.json`, `*.yaml`/`*.yml`, `*.toml`, `docker-compose*`, `serverless.yml`, Terraform `*.tf`/`*.tfvars` (files git tracks or, outside git, that are not ignored; lockfiles are not read). In `.env.example`, `.env.sample` and `.env.template` only live keys are reported: a test key there documents the variable.',
      why: 'Anyone who can read the repository (or a leaked build) can use a live secret key to charge cards, issue refunds, create payouts and read customer data. Test keys expose your test account and are often swapped for live ones in the same place.',
      fix: 'Revoke (roll) the key in the Stripe Dashboard now, then load it from the environment or a secret manager (`process.env.STRIPE_SECRET_KEY`). Keep keys out of git history.',
      bad: "import Stripe from 'stripe';\n\nexport const stripe = new Stripe('sk_live_51HqLyjWDarjtT1zdp7dc4eC39');",
      good: "import Stripe from 'stripe';\n\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);",
    },
    tags: ['security', 'secrets', 'external/cwe/cwe-798'],
    precision: 'high',
    securitySeverity: 9.0,
  },
  check(ctx) {
    for (const s of ctx.model.secrets) {
      if (s.kind === 'whsec') continue;
      const live = s.kind.endsWith('live');
      ctx.report({
        range: s.range,
        severity: live ? 'error' : 'warning',
        message: `${live ? 'Live' : 'Test-mode'} Stripe ${s.kind.startsWith('rk') ? 'restricted' : 'secret'} key ${maskSecret(s.value)} is committed to the source${live ? ': roll it in the Dashboard and load it from the environment' : '; load it from the environment instead'}.`,
        fix: 'Roll the key and read it from process.env.STRIPE_SECRET_KEY.',
      });
    }
  },
} satisfies Rule;
export default rule;
