// The webhook facts themselves (src/webhooks/model.ts), as the rules read them.
import { describe, expect, it } from 'vitest';
import { buildModel } from './helpers/webhook-tester.js';

const handlerOf = (files: Record<string, string>) => {
  const model = buildModel({ name: 'facts', files });
  expect(model.handlers).toHaveLength(1);
  return model.handlers[0];
};

describe('webhook facts', () => {
  it('records where the verified event flows, the guard around it and what catches it', () => {
    const h = handlerOf({
      'server.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
const secret = process.env.STRIPE_WEBHOOK_SECRET;
app.post('/hook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event = req.body;
  if (secret) {
    try {
      event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], secret);
    } catch (e) {
      return res.sendStatus(400);
    }
  }
  console.log(event.id);
  await db.orders.insert(event.data.object);
  res.end();
});
`,
    });
    const [v] = h.verifications;
    expect(v.result).toEqual({ kind: 'variable', name: 'event' });
    expect(v.runsUnconditionally).toBe(false);
    expect(v.enclosing.map((e: { kind: string }) => e.kind)).toEqual(['try', 'if']);
    const guard = v.enclosing[1];
    expect([guard.conditionReads, guard.constant, guard.branch, guard.other]).toEqual(['env', undefined, 'then', undefined]);
    expect(v.caught?.how).toBe('try');
    expect(v.otherAssignments.map((a: { expression: { getText(): string }; afterVerification: boolean }) => [a.expression.getText(), a.afterVerification])).toEqual([['req.body', false]]);
    expect(v.payloadProvenance).toEqual({ state: 'raw' });
    expect(h.eventIdReads.map((r: { onlyLogged: boolean }) => r.onlyLogged)).toEqual([true]);
    expect(h.effects.map((e: { node: { getText(): string } }) => e.node.getText())).toEqual(['db.orders.insert(event.data.object)']);
    expect(h.shapes.map((s: { kind: string }) => s.kind)).toEqual(['verification', 'signature-header', 'data-object']);
  });

  it('a guard on a const literal is constant, and the verification then runs unconditionally', () => {
    const h = handlerOf({
      'hook.js': `const stripe = require('stripe')('sk_test_x');
const secret = 'whsec_0123456789abcdef0123456789abcdef';
exports.handler = async (event) => {
  if (!secret) return { statusCode: 500 };
  let evt = JSON.parse(event.body);
  if (secret && secret.length) {
    evt = stripe.webhooks.constructEvent(event.body, event.headers['stripe-signature'], secret);
  }
  return { statusCode: 200, body: evt.type };
};
`,
    });
    const [v] = h.verifications;
    expect(v.enclosing[0]).toMatchObject({ kind: 'if', conditionReads: 'other' });
    expect(v.runsUnconditionally).toBe(false); // `secret.length` is not a literal
  });

  it('payload provenance: JSON.stringify of the body, through a helper parameter', () => {
    const h = handlerOf({
      'lib/verify.ts': `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export function verify(payload: string, sig: string) {
  return stripe.webhooks.constructEvent(payload, sig, process.env.STRIPE_WEBHOOK_SECRET!);
}
`,
      'pages/api/hook.ts': `import { verify } from '../../lib/verify';
export default async function handler(req: any, res: any) {
  const event = verify(JSON.stringify(req.body), req.headers['stripe-signature']);
  res.json({ id: event.id });
}
`,
    });
    const [v] = h.verifications;
    expect(v.result.kind).toBe('returned');
    expect(v.payloadProvenance.state).toBe('parsed');
    expect(v.payloadProvenance.how).toBe('stringify');
    expect(v.caught).toBeUndefined();
    expect(h.eventIdReads.length).toBe(1);
  });

  it('express project facts: parsers registered before a router module is mounted, by its path', () => {
    const model = buildModel({
      name: 'mounts',
      files: {
        'app.js': `const express = require('express');
const app = express();
app.use(express.urlencoded({ extended: true }));
app.use(express.json());
app.use('/hooks', require('./hooks'));
`,
        'hooks.js': `const router = require('express').Router();
module.exports = router;
`,
      },
    });
    const entries = [...model.facts.expressMountParsers.entries()];
    expect(entries).toHaveLength(1);
    expect(entries[0][0].endsWith('/hooks.js')).toBe(true);
    expect(entries[0][1].map((p: { parser: { getText(): string }; file: string }) => `${p.file}: ${p.parser.getText()}`)).toEqual(['app.js: express.json()']);
  });
});
