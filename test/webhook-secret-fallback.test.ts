// RuleTester-style cases for webhook-secret-fallback: a literal fallback that reaches the verifier, and an
// empty fallback the code refuses before the call (an early exit on a falsy secret, a truthy guard around it).
import secretFallback from '../dist/rules/webhook-secret-fallback.js';
import { ruleTester } from './helpers/webhook-tester.js';

/** An Express route whose verification runs after `before` (statements) with `secret`. */
const route = (before: string, call = 'stripe.webhooks.constructEvent(req.body, sig, secret)') => `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const sig = req.headers['stripe-signature'];
${before}
  try {
    const event = ${call};
    return res.json({ id: event.id });
  } catch (err) {
    return res.status(400).send(err.message);
  }
});
`;

ruleTester(secretFallback, {
  valid: [
    {
      name: 'a loop over candidate secrets that skips an empty one (continue)',
      files: {
        'verify.js': `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
exports.verifyAny = (req, secrets) => {
  for (const candidate of secrets) {
    const secret = typeof candidate === 'string' ? candidate.trim() : '';
    if (!secret) continue;
    try {
      stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
      return true;
    } catch (err) {
      console.warn(err);
    }
  }
  return false;
};
`,
      },
    },
    { name: 'answers 500 when the secret is empty', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';\n  if (!secret) return res.status(500).send('not configured');") } },
    { name: 'throws when the secret is empty (block, or with another check)', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';\n  if (!sig || !secret.trim()) {\n    throw new Error('missing');\n  }") } },
    { name: 'a module-level check on the environment variable', files: { 'server.js': "if (!process.env.STRIPE_WEBHOOK_SECRET) throw new Error('STRIPE_WEBHOOK_SECRET is required');\n" + route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';") } },
    { name: "verifies only inside if (secret)", files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';", "secret ? stripe.webhooks.constructEvent(req.body, sig, secret) : null") } },
    { name: 'assert(secret) before the call', files: { 'server.js': "const assert = require('assert');\n" + route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';\n  assert(secret, 'STRIPE_WEBHOOK_SECRET');") } },
  ],
  invalid: [
    { name: 'no guard', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';") }, errors: [{ file: 'server.js', line: 8, message: /falls back to an empty string/ }] },
    { name: 'a guard that does not leave (logs and carries on)', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';\n  if (!secret) console.warn('no secret');") }, errors: [{ file: 'server.js', line: 9 }] },
    { name: 'a guard on another value', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';\n  if (!sig) return res.sendStatus(400);") }, errors: [{ file: 'server.js', line: 9 }] },
    { name: 'a guard after the call', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';").replace(/\n\}\);\n$/, "\n  if (!secret) return res.sendStatus(500);\n});\n") }, errors: [{ file: 'server.js', line: 8 }] },
    { name: 'a null check lets the empty string through', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || '';\n  if (secret == null) return res.sendStatus(500);") }, errors: [{ file: 'server.js', line: 9 }] },
    { name: 'a non-empty literal fallback passes any emptiness guard', files: { 'server.js': route("  const secret = process.env.STRIPE_WEBHOOK_SECRET || 'whsec_dev';\n  if (!secret) return res.sendStatus(500);") }, errors: [{ file: 'server.js', line: 9, message: /falls back to a literal/ }] },
  ],
});
