// webhook-sync-verify-on-edge, case by case (RuleTester style), and its documentation examples.
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { auditFiles, ruleTester } from './helpers/rule-tester.js';

const RULE = 'webhook-sync-verify-on-edge';

/** A Fetch-API handler body verifying with `call` on line 6 (of the handler file). */
const fetchHandler = (head: string, call = 'constructEvent', tail = '') => `${head}
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request) {
  const body = await req.text();
  try {
    const event = ${call === 'constructEvent' ? '' : 'await '}stripe.webhooks.${call}(body, req.headers.get('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!);
    await enqueue(event.id, event);
  } catch {
    return new Response('invalid signature', { status: 400 });
  }
  return new Response('ok');
}
${tail}`;

const denoServe = (importLine: string, call = 'constructEvent', extraArgs = '') => `${importLine}
const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
Deno.serve(async (req) => {
  const body = await req.text();
  try {
    const event = ${call.endsWith('Async') ? 'await ' : ''}stripe.webhooks.${call}(body, req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!${extraArgs});
    await enqueue(event.id, event);
  } catch {
    return new Response('invalid signature', { status: 400 });
  }
  return new Response('ok');
});
`;

ruleTester(RULE, {
  valid: [
    { name: 'a Next.js route on the default Node.js runtime', files: { 'app/api/stripe/route.ts': fetchHandler("import Stripe from 'stripe';") } },
    { name: "runtime = 'nodejs' said explicitly", files: { 'app/api/stripe/route.ts': fetchHandler("import Stripe from 'stripe';\nexport const runtime = 'nodejs';") } },
    { name: 'Deno with constructEventAsync', files: { 'supabase/functions/stripe/index.ts': denoServe("import Stripe from 'npm:stripe@^23.1.0';", 'constructEventAsync') } },
    { name: 'stripe 11.0 on Deno predates the deno export condition (11.16)', files: { 'main.ts': denoServe("import Stripe from 'npm:stripe@11.0.0';") } },
    { name: 'stripe 15 on Bun predates the bun export condition (16.0)', stripe: '^15.12.0', files: { 'server.ts': "import Stripe from 'stripe';\nconst stripe = new Stripe(Bun.env.STRIPE_SECRET_KEY!);\nBun.serve({ fetch(req) { const event = stripe.webhooks.constructEvent('', req.headers.get('stripe-signature')!, Bun.env.STRIPE_WEBHOOK_SECRET!); return new Response(event.id); } });\n" } },
    { name: "a crypto provider of the app's own (it may be synchronous)", files: { 'supabase/functions/stripe/index.ts': denoServe("import Stripe from 'npm:stripe@^23.1.0';", 'constructEvent', ', undefined, new SyncHmacProvider()') } },
    {
      name: 'a Next.js app deployed through OpenNext (wrangler config beside next.config) without runtime = edge',
      files: { 'wrangler.jsonc': '{ "main": ".open-next/worker.js" }', 'next.config.ts': 'export default {};', 'app/api/stripe/route.ts': fetchHandler("import Stripe from 'stripe';") },
    },
    { name: 'an Express server (Node.js)', files: { 'server.js': "const Stripe = require('stripe');\nconst express = require('express');\nconst stripe = Stripe(process.env.STRIPE_SECRET_KEY);\nconst app = express();\napp.post('/hook', express.raw({ type: 'application/json' }), (req, res) => {\n  let event;\n  try { event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET); } catch { return res.sendStatus(400); }\n  res.json({ id: event.id });\n});\n" } },
  ],
  invalid: [
    { name: 'Supabase Edge Functions (by path)', files: { 'supabase/functions/stripe/index.ts': denoServe("import Stripe from 'https://esm.sh/stripe@14.25.0?target=deno';") }, errors: ['supabase/functions/stripe/index.ts:6 error'], message: /Supabase Edge Functions.*constructEventAsync/ },
    { name: 'Deno anywhere (the Deno global, npm: imports)', files: { 'api/webhook.ts': denoServe("import Stripe from 'npm:stripe';") }, errors: ['api/webhook.ts:6 error'], message: /Deno/ },
    { name: 'verifyHeader is synchronous too', files: { 'api/webhook.ts': denoServe("import Stripe from 'npm:stripe@^20';", 'signature.verifyHeader') }, errors: ['api/webhook.ts:6 error'], message: /verifyHeaderAsync/ },
    { name: "runtime = 'edge' in the route", files: { 'app/api/stripe/route.ts': fetchHandler("import Stripe from 'stripe';\nexport const runtime = 'edge';") }, errors: ['app/api/stripe/route.ts:7 error'], message: /edge runtime/ },
    { name: "pages router config = { runtime: 'experimental-edge' }", files: { 'pages/api/stripe.ts': fetchHandler("import Stripe from 'stripe';\nexport const config = { runtime: 'experimental-edge' };") }, errors: ['pages/api/stripe.ts:7 error'] },
    {
      name: "a layout above the route sets runtime = 'edge'",
      files: { 'app/(billing)/layout.tsx': "export const runtime = 'edge';\nexport default function L({ children }: { children: unknown }) { return children; }\n", 'app/(billing)/api/stripe/route.ts': fetchHandler("import Stripe from 'stripe';") },
      errors: ['app/(billing)/api/stripe/route.ts:6 error'],
      message: /layout\.tsx/,
    },
    {
      name: 'a Worker under wrangler.toml (export default { fetch })',
      files: {
        'worker/wrangler.toml': 'name = "hooks"\nmain = "src/index.ts"\n',
        'worker/src/index.ts': "import Stripe from 'stripe';\nexport default {\n  async fetch(request: Request, env: { KEY: string; WHSEC: string }) {\n    const stripe = new Stripe(env.KEY);\n    const body = await request.text();\n    const event = stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature')!, env.WHSEC);\n    return new Response(event.id);\n  },\n};\n",
      },
      errors: ['worker/src/index.ts:6 error'],
      message: /Cloudflare Workers.*wrangler\.toml/,
    },
    {
      name: 'Cloudflare Pages Functions (functions/ with an onRequestPost export)',
      files: { 'functions/stripe.ts': "import Stripe from 'stripe';\nexport const onRequestPost = async ({ request, env }: { request: Request; env: { K: string; S: string } }) => {\n  const stripe = new Stripe(env.K);\n  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get('stripe-signature')!, env.S);\n  return new Response(event.id);\n};\n" },
      errors: ['functions/stripe.ts:4 error'],
    },
    { name: 'Bun.serve with stripe 23 (export condition bun)', files: { 'server.ts': "import Stripe from 'stripe';\nconst stripe = new Stripe(Bun.env.STRIPE_SECRET_KEY!);\nBun.serve({\n  async fetch(req) {\n    const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, Bun.env.STRIPE_WEBHOOK_SECRET!);\n    return new Response(event.id);\n  },\n});\n" }, errors: ['server.ts:5 error'], message: /Bun/ },
    {
      name: "the entry's runtime counts: a Deno function calls a shared helper outside supabase/",
      files: {
        'lib/verify.ts': "import Stripe from 'stripe';\nconst stripe = new Stripe('sk');\nexport function verify(body: string, sig: string): Stripe.Event {\n  return stripe.webhooks.constructEvent(body, sig, 'secret');\n}\n",
        'supabase/functions/hook/index.ts': "import { verify } from '../../../lib/verify.ts';\nDeno.serve(async (req) => {\n  try {\n    const event = verify(await req.text(), req.headers.get('stripe-signature')!);\n    if (event.type === 'invoice.paid') await enqueue(event.id);\n  } catch { return new Response('bad', { status: 400 }); }\n  return new Response('ok');\n});\n",
      },
      errors: ['lib/verify.ts:4 error'],
      message: /Supabase/,
    },
  ],
});

describe(`${RULE}: documentation examples`, () => {
  const docs = RULES.find((r: { meta: { id: string } }) => r.meta.id === RULE)!.meta.docs;
  it('the bad example gives exactly one finding, of this rule', async () => {
    const found = await auditFiles({ 'supabase/functions/stripe-webhook/index.ts': docs.bad });
    expect(found.map((f) => f.ruleId)).toEqual([RULE]);
  });
  it('the good example gives no finding at all', async () => {
    expect(await auditFiles({ 'supabase/functions/stripe-webhook/index.ts': docs.good })).toEqual([]);
  });
});

describe(`${RULE}: the runtime lookups on a hostile tree`, () => {
  it('never opens a FIFO named layout.tsx nor follows a layout or a wrangler config linked out of the tree', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const { audit } = await import('../dist/src/engine/engine.js');
    const { DEFAULT_CONFIG } = await import('../dist/src/gate/config.js');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-outside-'));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-hostile-'));
    try {
      fs.writeFileSync(path.join(outside, 'layout.tsx'), "export const runtime = 'edge';\n");
      fs.writeFileSync(path.join(outside, 'wrangler.toml'), 'name = "x"\n');
      const route = fetchHandler("import Stripe from 'stripe';");
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'hostile', dependencies: { stripe: '^23.1.0' } }));
      for (const dir of ['app/api/fifo', 'app/api/linked', 'worker/src']) fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, 'app/api/fifo/route.ts'), route);
      fs.writeFileSync(path.join(root, 'app/api/linked/route.ts'), route);
      fs.writeFileSync(path.join(root, 'worker/src/index.ts'), route);
      const fifo = spawnSync('mkfifo', [path.join(root, 'app/api/fifo/layout.tsx')]);
      fs.symlinkSync(path.join(outside, 'layout.tsx'), path.join(root, 'app/api/linked/layout.tsx'));
      fs.symlinkSync(path.join(outside, 'wrangler.toml'), path.join(root, 'worker/wrangler.toml'));
      const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir: outside, worker: false });
      expect(result.fatal).toEqual([]);
      expect(fifo.status === 0 || fifo.error !== undefined).toBe(true);
      expect(result.findings.filter((f: { ruleId: string }) => f.ruleId === RULE)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
