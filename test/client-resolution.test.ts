// StripeResolver, the one module that answers "is this a Stripe server client?", case by case in the
// style of typescript-eslint's RuleTester: each case names what it proves; `clients` lists the
// receivers (as source text) of catalogued calls that must resolve, and nothing else may.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Parser } from '../dist/src/analysis/parse.js';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';
import { StripeResolver } from '../dist/src/stripe/resolve.js';
import { Catalogue, findApiCalls } from '../dist/src/stripe/api-calls.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** Writes the files, parses `main`, and returns the receiver text of every Stripe call found in it. */
function receivers(files: Record<string, string>, main = 'main.ts', workspace: string[] = []): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-resolve-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const modules = new ModuleResolver();
  for (const manifest of workspace) modules.addWorkspacePackage(path.dirname(path.join(root, manifest)), JSON.parse(files[manifest]));
  const parser = new Parser(root, modules);
  const file = parser.get(path.join(root, main))!;
  const resolver = new StripeResolver(parser);
  return findApiCalls(file, resolver, new Catalogue([])).map((c: { receiver: { getText(): string } }) => c.receiver.getText());
}

const valid: Array<[string, Record<string, string>, string[]]> = [
  ['new Stripe() from the default import', { 'main.ts': "import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nstripe.refunds.create({});" }, ['stripe']],
  ['require("stripe")(key) inline', { 'main.js': "const stripe = require('stripe')(process.env.K);\nstripe.charges.create({});" }, ['stripe']],
  ['Stripe(key) without new, CommonJS', { 'main.js': "const Stripe = require('stripe');\nconst s = Stripe('k');\ns.payouts.create({});" }, ['s']],
  ['named import { Stripe }', { 'main.ts': "import { Stripe } from 'stripe';\nconst c = new Stripe('k');\nc.transfers.create({});" }, ['c']],
  ['Deno npm: specifier', { 'main.ts': "import Stripe from 'npm:stripe@14';\nconst s = new Stripe('k');\ns.refunds.create({});" }, ['s']],
  ['a parameter typed Stripe', { 'main.ts': "import type Stripe from 'stripe';\nexport function pay(client: Stripe) { return client.paymentIntents.create({ confirm: true }); }" }, ['client']],
  ['a NestJS constructor-injected field', { 'main.ts': "import Stripe from 'stripe';\nclass S { constructor(private readonly stripe: Stripe) {}\n  pay() { return this.stripe.refunds.create({}); } }" }, ['this.stripe']],
  ['a class field initialised with new Stripe', { 'main.ts': "import Stripe from 'stripe';\nclass S { private s = new Stripe('k');\n  pay() { return this.s.topups.create({}); } }" }, ['this.s']],
  ['a lazy singleton factory in another module', { 'lib/stripe.ts': "import Stripe from 'stripe';\nlet c: Stripe | undefined;\nexport function getStripe() { if (!c) c = new Stripe('k'); return c; }", 'main.ts': "import { getStripe } from './lib/stripe';\ngetStripe().refunds.create({});" }, ['getStripe()']],
  ['a re-export through a barrel', { 'lib/client.ts': "import Stripe from 'stripe';\nexport const stripe = new Stripe('k');", 'lib/index.ts': "export * from './client';", 'main.ts': "import { stripe } from './lib';\nstripe.refunds.create({});" }, ['stripe']],
  ['an aliased import and a local alias', { 'lib.ts': "import Stripe from 'stripe';\nexport default new Stripe('k');", 'main.ts': "import payments from './lib';\nconst p = payments;\np.charges.create({});" }, ['p']],
  ['a tsconfig paths alias', { 'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }', 'src/stripe.ts': "import Stripe from 'stripe';\nexport const stripe = new Stripe('k');", 'main.ts': "import { stripe } from '@/stripe';\nstripe.payouts.create({});" }, ['stripe']],
  ['a destructured resource', { 'main.ts': "import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nconst { refunds } = stripe;\nrefunds.create({});" }, ['stripe']],
  ['module.exports of a CommonJS client', { 'stripe.js': "module.exports = require('stripe')(process.env.K);", 'main.js': "const stripe = require('./stripe');\nstripe.refunds.create({});" }, ['stripe']],
  ['nested resources', { 'main.ts': "import Stripe from 'stripe';\nconst s = new Stripe('k');\ns.treasury.outboundPayments.create({});" }, ['s']],
];

const invalid: Array<[string, Record<string, string>]> = [
  ['a database table named charges', { 'main.ts': "import { db } from './db';\ndb.charges.create({});", 'db.ts': 'export const db = { charges: { create: async (x: object) => x } };' }],
  ['a PayPal client with payouts', { 'main.js': "const paypal = require('@paypal/payouts-sdk');\nconst client = new paypal.core.PayPalHttpClient();\nclient.payouts.create({});" }],
  ['Prisma', { 'main.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nprisma.charges.create({ data: {} });" }],
  ['Stripe.js in the browser', { 'main.tsx': "import { loadStripe } from '@stripe/stripe-js';\nconst stripe = await loadStripe('pk_test_1');\nstripe!.paymentIntents.create({});" }],
  ['a queue', { 'main.ts': "import { Queue } from 'bullmq';\nconst queue = new Queue('payouts');\nqueue.payouts.create({});" }],
];

describe('StripeResolver: clients', () => {
  it.each(valid)('%s', (_name, files, expected) => {
    const main = Object.keys(files).find((f) => /^main\./.test(f))!;
    expect(receivers(files, main)).toEqual(expected);
  });
});

describe('StripeResolver: monorepo packages', () => {
  it('follows a bare import of a workspace package to its source (dist/index.js → src/index.ts)', () => {
    const files = {
      'packages/billing/package.json': JSON.stringify({ name: '@acme/billing', main: 'dist/index.js' }),
      'packages/billing/src/index.ts': "export { stripe } from './client';",
      'packages/billing/src/client.ts': "import Stripe from 'stripe';\nexport const stripe = new Stripe('k');",
      'apps/web/main.ts': "import { stripe } from '@acme/billing';\nstripe.refunds.create({});",
    };
    expect(receivers(files, 'apps/web/main.ts', ['packages/billing/package.json'])).toEqual(['stripe']);
  });
  it('follows a subpath through the exports map', () => {
    const files = {
      'packages/pay/package.json': JSON.stringify({ name: 'pay', exports: { './server': { types: './src/server.ts', default: './dist/server.js' } } }),
      'packages/pay/src/server.ts': "import Stripe from 'stripe';\nexport function getStripe() { return new Stripe('k'); }",
      'apps/api/main.ts': "import { getStripe } from 'pay/server';\ngetStripe().payouts.create({});",
    };
    expect(receivers(files, 'apps/api/main.ts', ['packages/pay/package.json'])).toEqual(['getStripe()']);
  });
});

describe('StripeResolver: not clients', () => {
  it.each(invalid)('%s', (_name, files) => {
    const main = Object.keys(files).find((f) => /^main\./.test(f))!;
    expect(receivers(files, main)).toEqual([]);
  });
});
