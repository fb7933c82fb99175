import type { Rule } from '../src/rule.js';
import { rangeOf } from '../src/analysis/ast.js';
import type { HandrolledOnPath } from '../src/webhooks/handrolled.js';

const rule: Rule = {
  meta: {
    id: 'webhook-signature-handrolled',
    defaultSeverity: 'error',
    title: 'Hand-written Stripe signature check without a replay window or a constant-time comparison',
    docs: {
      summary: 'A webhook handler checks the Stripe signature itself (HMAC-SHA256 over `${t}.${payload}` compared with the `v1=` value) and leaves out what the SDK does: the timestamp tolerance, or a constant-time comparison.',
      description:
        'A hand-written check counts as verification (the handler is not reported as unverified) when it computes HMAC-SHA256 (`crypto.createHmac(\'sha256\', secret)` or Web Crypto `crypto.subtle.sign/verify` with HMAC) over Stripe\'s signed content, `${t}.${payload}` (a template, a `+` concatenation or `[t, payload].join(\'.\')`), also through a helper in any file that computes the HMAC over the content it receives (`computeSignature(secret, HMAC_SHA256, content)` given the template), and the file or the handler\'s path shows it is Stripe\'s scheme (the `stripe-signature` header, the `v1` value, a `whsec_` secret or a Stripe webhook secret\'s env name such as `STRIPE_WEBHOOK_SECRET`; the API key\'s `STRIPE_SECRET_KEY` is not evidence) and the digest is hex (Stripe\'s `v1`), not base64. GitHub, Shopify, Slack and Svix signatures do not match this shape. It is reported at the comparison of the computed signature (at the HMAC when the tool cannot see one): an **error** when nothing on the handler\'s path compares the timestamp with the clock (a captured event can be replayed forever), a **warning** when the only problem is a comparison with `===`, `!==`, `==`, `includes` or `Buffer#equals` instead of `crypto.timingSafeEqual` (or `subtle.verify`, or a XOR loop). A check that no scanned handler reaches (an exported validator of a library, a function wired by auto-imports) is judged in its own function and file. One finding names both problems.',
      why: 'stripe-node signs `${t}.${payload}` and checks both halves of the header: `constructEvent` rejects events older than its tolerance (300 s) and compares with `secureCompare` (stripe-node `src/Webhooks.ts`). A copy that skips the timestamp accepts any event ever captured (a log line, a proxy, a leaked request) for as long as the secret lives; a short-circuiting comparison leaks how many leading characters of a guess are right, which lets an attacker forge a signature byte by byte.',
      fix: 'Use `stripe.webhooks.constructEvent(rawBody, header, secret)` (or `constructEventAsync` on edge runtimes), which does both. If the check must stay hand-written: reject when `Math.abs(now - t) > 300`, and compare with `crypto.timingSafeEqual` on equal-length buffers.',
      bad: "import crypto from 'node:crypto';\nimport express from 'express';\n\nconst app = express();\napp.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {\n  const header = String(req.headers['stripe-signature']);\n  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));\n  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update(`${parts.t}.${req.body}`).digest('hex');\n  if (parts.v1 !== expected) return res.sendStatus(400);\n  const event = JSON.parse(req.body.toString('utf8'));\n  if (event.type === 'invoice.paid') await markPaid(event.data.object.id);\n  res.sendStatus(200);\n});",
      good: "import crypto from 'node:crypto';\nimport express from 'express';\n\nconst app = express();\napp.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {\n  const header = String(req.headers['stripe-signature']);\n  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));\n  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return res.sendStatus(400);\n  const expected = crypto.createHmac('sha256', process.env.STRIPE_WEBHOOK_SECRET!).update(`${parts.t}.${req.body}`).digest();\n  const received = Buffer.from(String(parts.v1), 'hex');\n  if (received.length !== expected.length || !crypto.timingSafeEqual(received, expected)) return res.sendStatus(400);\n  const event = JSON.parse(req.body.toString('utf8'));\n  if (event.type === 'invoice.paid') await markPaid(event.data.object.id);\n  res.sendStatus(200);\n});",
    },
    tags: ['security', 'webhooks', 'external/cwe/cwe-294', 'external/cwe/cwe-208'],
    precision: 'high',
    securitySeverity: 7.5,
  },
  check(ctx) {
    const reported = new Set<unknown>();
    const onPaths = new Set<unknown>();
    const report = (c: HandrolledOnPath) => {
      const variableTime = c.constantTime === false;
      if (c.tolerance && !variableTime) return;
      const at = c.comparison ?? c.hmac;
      if (reported.has(at)) return;
      reported.add(at);
      const problems: string[] = [];
      if (!c.tolerance) problems.push('never checks the timestamp `t` against the clock, so a captured event can be replayed forever');
      if (variableTime) problems.push(`compares with \`${operatorOf(at)}\` instead of a constant-time comparison, which leaks how much of a forged signature is right`);
      ctx.report({
        range: rangeOf(c.file, at),
        severity: c.tolerance ? 'warning' : 'error',
        message: `Hand-written Stripe signature check (${c.evidence}) ${problems.join(', and ')}. Use stripe.webhooks.constructEvent, which rejects events older than 300 s and compares in constant time.`,
        fix: c.tolerance
          ? 'Compare with crypto.timingSafeEqual on equal-length buffers (or use stripe.webhooks.constructEvent).'
          : 'Use stripe.webhooks.constructEvent(rawBody, header, secret); or reject when Math.abs(Date.now() / 1000 - t) > 300 and compare with crypto.timingSafeEqual.',
      });
    };
    // On a handler's path, judged with everything the path does (a window checked in a middleware counts).
    for (const h of ctx.model.handlers) {
      for (const c of h.handrolled) {
        onPaths.add(c.hmac);
        report(c);
      }
    }
    // Elsewhere (an exported validator no scanned handler reaches), judged in its own function and file.
    for (const c of ctx.model.handrolledChecks) if (!onPaths.has(c.hmac)) report(c);
  },
};

/** `!==`, `===`, `includes()`… as written at the comparison. */
function operatorOf(node: unknown): string {
  const n = node as { operatorToken?: { getText(): string }; expression?: { name?: { text: string } } };
  if (n.operatorToken) return n.operatorToken.getText();
  if (n.expression?.name) return `${n.expression.name.text}()`;
  return '===';
}

export default rule;
