import type { Rule } from '../src/rule.js';
import { bundlerOf } from './knowledge/public-env.js';

const rule = {
  meta: {
    id: 'stripe-secret-key-client-exposed',
    defaultSeverity: 'error',
    title: 'Stripe secret key or server SDK shipped to the browser',
    docs: {
      summary: 'A Stripe secret key is read from a variable the bundler inlines into client code, or the server SDK is imported into client code.',
      description:
        'Reported (1) where a variable that bundlers inline into client bundles (`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`, `EXPO_PUBLIC_*`, `PUBLIC_*` and `$env/static/public` in SvelteKit, `NUXT_PUBLIC_*`, `GATSBY_*`) is passed to `new Stripe(…)` or is named like a secret or restricted key (`NEXT_PUBLIC_STRIPE_SECRET_KEY`); (2) where an `.env` file (`.env.example` included) sets such a variable to an `sk_`/`rk_` value; (3) where the server SDK (`stripe`, not `@stripe/stripe-js`) is imported by client code: a `\'use client\'` module, a module it imports (unless marked `server-only` or `\'use server\'`), or any module of a Create React App or Vite single-page app (outside `server/`, `api/`, `functions/` folders). Type-only imports are erased and not reported.',
      why: 'Whatever the bundler inlines is readable by every visitor in the JavaScript it downloads. With the secret key anyone can charge cards, refund payments, create payouts and read every customer. Importing the server SDK into client code usually ends with the key being made public to "fix" the missing variable.',
      fix: 'Roll the key in the Stripe Dashboard if it was ever deployed. Keep `STRIPE_SECRET_KEY` without a public prefix and use it only in server code (route handlers, server actions, API functions); in the browser use `@stripe/stripe-js` with the publishable `pk_` key.',
      bad: "import { NextResponse } from 'next/server';\nimport Stripe from 'stripe';\n\nconst stripe = new Stripe(process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY!);\n\nexport async function GET() {\n  const prices = await stripe.prices.list({ active: true });\n  return NextResponse.json(prices.data);\n}",
      good: "import { NextResponse } from 'next/server';\nimport Stripe from 'stripe';\n\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n\nexport async function GET() {\n  const prices = await stripe.prices.list({ active: true });\n  return NextResponse.json(prices.data);\n}",
      file: 'app/api/prices/route.ts',
    },
    tags: ['security', 'secrets', 'external/cwe/cwe-200', 'external/cwe/cwe-798'],
    precision: 'high',
    securitySeverity: 9.0,
  },
  check(ctx) {
    for (const e of ctx.model.clientExposures) {
      const fix = 'Keep the secret key in a variable without a public prefix, use it only on the server, and use @stripe/stripe-js with the publishable key in the browser.';
      switch (e.kind) {
        case 'public-env-constructor':
          ctx.report({ range: e.range, message: `The Stripe client is created with \`${e.variable}\`, which ${bundlerOf(e.variable)} inlines into client bundles: the secret key ships to every visitor. Read it from a variable without a public prefix, in server code only.`, fix });
          break;
        case 'public-env-secret-name':
          ctx.report({ range: e.range, message: `\`${e.variable}\` is named like a Stripe secret key, and ${bundlerOf(e.variable)} inlines every variable with that prefix into client bundles: the key ships to every visitor. Rename it without the public prefix and read it in server code only.`, fix });
          break;
        case 'public-env-file':
          ctx.report({ range: e.range, message: `\`${e.variable}\` is set to a Stripe ${e.prefix.startsWith('rk') ? 'restricted' : 'secret'} key (${e.prefix}…), and ${bundlerOf(e.variable)} inlines variables with that prefix into client bundles: the key ships to every visitor. Drop the public prefix and use the key on the server only.`, fix });
          break;
        case 'sdk-in-client':
          ctx.report({
            range: e.range,
            message: `The server SDK \`stripe\` is imported into ${e.why}${e.via ? ` (through \`${e.module}\`, which reaches ${e.via})` : ''}: it is bundled for the browser together with the key it is given. Call Stripe from server code and use @stripe/stripe-js in the browser.`,
            fix,
          });
          break;
      }
    }
  },
} satisfies Rule;
export default rule;
