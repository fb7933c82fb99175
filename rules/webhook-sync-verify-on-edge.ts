import type { Rule } from '../src/rule.js';
import type { VerificationCall } from '../src/webhooks/model.js';
import type { ParsedFile } from '../src/analysis/parse.js';
import { rangeOf } from '../src/analysis/ast.js';
import semver from '../src/util/semver.js';

/** The synchronous verifiers (they need a synchronous HMAC) and what to call instead. */
const ASYNC_VARIANT: Record<string, string> = {
  constructEvent: 'constructEventAsync',
  verifyHeader: 'verifyHeaderAsync',
  parseEventNotification: 'parseEventNotificationAsync',
  parseThinEvent: 'constructEventAsync',
};

const rule: Rule = {
  meta: {
    id: 'webhook-sync-verify-on-edge',
    defaultSeverity: 'error',
    title: 'Synchronous constructEvent on a runtime that only has async Web Crypto',
    docs: {
      summary: '`stripe.webhooks.constructEvent` (synchronous) runs on Deno / Supabase Edge Functions, Cloudflare Workers or Pages Functions, the Vercel/Next.js edge runtime or Bun, where it throws on every event.',
      description:
        "On these runtimes `import Stripe from 'stripe'` loads stripe-node's worker build: the package's `exports` map sends the `deno`, `workerd`, `worker`, `bun` and `browser` conditions to `stripe.esm.worker.js` (Next.js resolves edge bundles with `edge-light` and `worker`). Its default crypto provider is the `SubtleCryptoProvider` (`src/platform/WebPlatformFunctions.ts`), whose synchronous `computeHMACSignature` throws `SubtleCryptoProvider cannot be used in a synchronous context.` (`src/crypto/SubtleCryptoProvider.ts`). So `constructEvent`, `signature.verifyHeader` and `parseEventNotification` fail for every event, genuine or not. The runtime is known from the file: its path (`supabase/functions/`, `netlify/edge-functions/`, Cloudflare Pages `functions/` with `onRequest*` exports), `export const runtime = 'edge'` (or `config = { runtime: 'edge' }`, or a Next.js layout above the route that sets it), the runtime's globals and imports (`Deno.serve`, `npm:` / `jsr:` / URL imports, `Bun.serve`, `cloudflare:` modules), or a `wrangler.toml` / `wrangler.json(c)` in the file's folder or above it within its package. For a handler, the runtime of its entry file counts, wherever the verification call is. Not reported when the stripe version in use predates the condition (worker build with SubtleCrypto from 11.10.0, `deno` 11.16.0, `bun` 16.0.0; the version named in an `npm:stripe@…` import wins).",
      why: 'Every delivery fails with a 400, so Stripe retries for three days and then disables the endpoint; meanwhile no payment, subscription or dispute event is processed. The usual "fix" under pressure is to skip verification, which opens the endpoint to forged events.',
      fix: "Use `await stripe.webhooks.constructEventAsync(body, signature, secret)` (and `verifyHeaderAsync`, `parseEventNotificationAsync`). On stripe versions before 11.10, pass `Stripe.createSubtleCryptoProvider()` as the fifth argument.",
      bad: "import Stripe from 'npm:stripe@^23.1.0';\n\nconst stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);\n\nDeno.serve(async (req) => {\n  const body = await req.text();\n  let event: Stripe.Event;\n  try {\n    event = stripe.webhooks.constructEvent(body, req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);\n  } catch {\n    return new Response('invalid signature', { status: 400 });\n  }\n  await enqueue(event.id, event);\n  return Response.json({ received: true });\n});",
      good: "import Stripe from 'npm:stripe@^23.1.0';\n\nconst stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);\n\nDeno.serve(async (req) => {\n  const body = await req.text();\n  let event: Stripe.Event;\n  try {\n    event = await stripe.webhooks.constructEventAsync(body, req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);\n  } catch {\n    return new Response('invalid signature', { status: 400 });\n  }\n  await enqueue(event.id, event);\n  return Response.json({ received: true });\n});",
    },
    tags: ['security', 'correctness', 'webhooks'],
    precision: 'high',
    securitySeverity: 5.3,
  },
  check(ctx) {
    const reported = new Set<unknown>();
    const judge = (v: VerificationCall, runsIn: ParsedFile) => {
      if (reported.has(v.node) || v.spec === 'custom') return;
      const fn = v.spec.path[v.spec.path.length - 1];
      const instead = ASYNC_VARIANT[fn];
      if (!instead) return;
      // A crypto provider of the app's own choosing (not Stripe's SubtleCrypto one) may be synchronous.
      const provider = v.node.arguments[4];
      if (provider && !/createSubtleCryptoProvider/.test(provider.getText())) return;
      const rt = ctx.model.runtimeOf(runsIn) ?? (runsIn === v.file ? undefined : ctx.model.runtimeOf(v.file));
      if (!rt) return;
      const version = rt.importedVersion ? semver.minVersion(rt.importedVersion)?.version : ctx.model.stripeVersionFor(v.file.relPath)?.version;
      if (version && semver.valid(version) && semver.compare(version, rt.since) < 0) return;
      reported.add(v.node);
      ctx.report({
        range: rangeOf(v.file, v.node),
        message: `\`${fn}\` is synchronous, but this code runs on ${rt.label} (${rt.evidence}), where \`stripe\` loads its worker build (export condition \`${rt.condition}\`) with the SubtleCrypto provider: every event throws "SubtleCryptoProvider cannot be used in a synchronous context." and is rejected. Use \`await stripe.webhooks.${instead}(…)\`.`,
        fix: `Replace ${fn}(…) with await ${instead}(…)${version ? '' : ' (on stripe < 11.10 also pass Stripe.createSubtleCryptoProvider() as the fifth argument)'}.`,
      });
    };
    for (const h of ctx.model.handlers) for (const v of h.verifications) judge(v, h.entry.file);
    for (const v of ctx.model.verifications) judge(v, v.file);
  },
};
export default rule;
