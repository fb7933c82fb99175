// The text prefilter (src/scan/filter.ts, src/scan/filter-signals.ts, src/scan/promotion.ts): which files reach the
// parser. Each case builds a small app at run time and asserts that the files that make findings are
// candidates (or that the findings are there), whatever the file order.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../dist/src/scan/scan.js';
import { audit } from '../dist/src/engine/engine.js';
import { DEFAULT_CONFIG } from '../dist/src/gate/config.js';
import { filterBatch, TextFilter } from '../dist/src/scan/filter.js';
import { discover } from '../dist/src/scan/discover.js';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';
import { readWorkspace } from '../dist/src/scan/scan.js';
import { CATALOGUE } from '../dist/rules/knowledge/stripe-methods.js';
import { VERIFIERS } from '../dist/rules/knowledge/stripe-verifiers.js';
import { ADAPTERS } from '../dist/src/frameworks/index.js';
import { FRAMEWORK_FILTER_HINTS } from '../dist/src/frameworks/filter-hints.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-prefilter-'));
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-prefilter-cache-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

let n = 0;
function app(files: Record<string, string>): string {
  const root = path.join(tmp, `app${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function candidates(root: string): Promise<string[]> {
  const out = await scan({ root, paths: [root], includeTests: false, ignore: [] });
  return out.filtered.candidates.map((c: { file: { relPath: string } }) => c.file.relPath).sort();
}

async function findings(root: string, prefilter = true): Promise<string[]> {
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir, prefilter, worker: false });
  return result.findings.map((f: { file: string; startLine: number; ruleId: string }) => `${f.file}:${f.startLine} ${f.ruleId}`);
}

const CLIENT = `import Stripe from 'stripe';\nexport const payments = new Stripe(process.env.STRIPE_SECRET_KEY!);\n`;

describe('signals derived from the analysis tables', () => {
  it('a handler with an event dispatch table and no Stripe import is a candidate', async () => {
    const root = app({
      'src/billing/dispatch.ts': `import { markPaid, cancelPlan } from './accounts';

const handlers: Record<string, (object: { id: string }) => Promise<void>> = {
  'invoice.paid': (invoice) => markPaid(invoice.id),
  'customer.subscription.deleted': (subscription) => cancelPlan(subscription.id),
};

export async function dispatch(event: { type: string; object: { id: string } }) {
  await handlers[event.type]?.(event.object);
}
`,
      'src/billing/accounts.ts': `export async function markPaid(id: string) { return id; }\nexport async function cancelPlan(id: string) { return id; }\n`,
    });
    expect(await candidates(root)).toContain('src/billing/dispatch.ts');
  });

  it('event names count in arrays and call arguments, not as the values of other apps’ event constants', async () => {
    const root = app({
      'src/relevant.ts': `export const RELEVANT = new Set(['checkout.session.completed', 'charge.refunded']);\n`,
      'src/bus.ts': `export function subscribe(on: (name: string, fn: () => void) => void) {\n  on('invoice.payment_failed', () => undefined);\n}\n`,
      'src/own-events.ts': `export const CustomerEvents = {\n  CREATED: 'customer.created',\n  UPDATED: 'customer.updated',\n};\n`,
    });
    const got = await candidates(root);
    expect(got).toContain('src/relevant.ts');
    expect(got).toContain('src/bus.ts');
    expect(got).not.toContain('src/own-events.ts');
  });

  it('every money and billable catalogue method called on a client from another module makes its file a candidate', async () => {
    const methods = [...CATALOGUE.values()].filter((e: { tier: string }) => e.tier === 'money' || e.tier === 'billable').map((e: { method: string }) => e.method);
    expect(methods.length).toBeGreaterThanOrEqual(40);
    const files: Record<string, string> = { 'src/lib/client.ts': CLIENT };
    methods.forEach((m, i) => {
      files[`src/jobs/call${i}.ts`] = `import { payments } from '../lib/client';\n\n// ${m}\nexport async function run(id: string) {\n  return payments.${m}({ id } as never);\n}\n`;
    });
    const got = new Set(await candidates(app(files)));
    const missed = methods.filter((_, i) => !got.has(`src/jobs/call${i}.ts`));
    expect(missed).toEqual([]);
  });

  it('every verifier of the table, called with or without its path, and one the config names make their files candidates', async () => {
    const calls = VERIFIERS.flatMap((v: { path: string[] }) => [`client.${v.path.join('.')}`, ...(v.path.length > 1 && v.path.at(-1) !== 'retrieve' ? [v.path.at(-1)!] : [])]);
    const files: Record<string, string> = {};
    calls.forEach((call: string, i: number) => {
      files[`src/hooks/h${i}.ts`] = `import { client } from '../lib/client';\n\nexport async function handle(body: string, sig: string) {\n  return ${call}(body, sig, process.env.SECRET);\n}\n`;
    });
    files['src/hooks/custom.ts'] = `import { checkPayloadSignature } from '@acme/signing';\n\nexport const handle = (body: string, sig: string) => checkPayloadSignature(body, sig);\n`;
    // Not verifiers: a longer word (no call of the name itself), and a plain method without the events path.
    files['src/hooks/reconstructed.ts'] = `export const reconstructEvents = (xs: string[]) => xs.map((x) => x.trim());\nexport const get = (api: { retrieve(id: string): unknown }) => api.retrieve('x');\n`;
    const root = app(files);
    const out = await scan({ root, paths: [root], includeTests: false, ignore: [], signals: { verifiers: ['checkPayloadSignature'] } });
    const got = new Set(out.filtered.candidates.map((c: { file: { relPath: string } }) => c.file.relPath));
    expect(calls.filter((_: string, i: number) => !got.has(`src/hooks/h${i}.ts`))).toEqual([]);
    expect(got.has('src/hooks/custom.ts')).toBe(true);
    expect(got.has('src/hooks/reconstructed.ts')).toBe(false);
  });

  it('every adapter declares the filter hints the scan worker reads', () => {
    for (const a of ADAPTERS) {
      expect(a.filterHints, `${a.name} has no filterHints`).toBeDefined();
      expect(FRAMEWORK_FILTER_HINTS[a.name], `${a.name} is missing from src/frameworks/filter-hints.ts`).toBe(a.filterHints);
    }
  });
});

describe('promotion through imports', () => {
  it('an untyped Next route that reads the event payload and imports no Stripe code is a candidate', async () => {
    const root = app({
      'app/api/webhooks/stripe/route.ts': `import { db } from '@/lib/db';\n\nexport async function POST(request: Request) {\n  const payload = await request.json();\n  const sub = payload.data.object;\n  await db.team.update({ where: { customer: sub.customer }, data: { status: sub.status } });\n  return Response.json({ ok: true });\n}\n`,
      'app/api/health/route.ts': `export async function POST(request: Request) {\n  const body = await request.json();\n  return Response.json({ ok: Array.isArray(body.data) });\n}\n`,
      'lib/db.ts': `export const db: any = {};\n`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } }),
    });
    const got = await candidates(root);
    expect(got).toContain('app/api/webhooks/stripe/route.ts');
    expect(got).not.toContain('app/api/health/route.ts');
  });

  it('a route that hands the body to a service switching on event types is a candidate (no Stripe import on the way)', async () => {
    const root = app({
      'routes/billing.js': `const express = require('express');\nconst billing = require('../services/billing');\n\nconst router = express.Router();\nrouter.post('/billing-events', async (req, res) => {\n  await billing.handle(req.body);\n  res.json({ ok: true });\n});\nmodule.exports = router;\n`,
      'services/billing.js': `const db = require('../db');\n\nasync function handle(event) {\n  switch (event.type) {\n    case 'invoice.payment_succeeded':\n      await db.query('UPDATE accounts SET past_due = false WHERE id = $1', [event.account]);\n      break;\n    default:\n      break;\n  }\n}\nmodule.exports = { handle };\n`,
      'db.js': `module.exports = { query: async () => ({ rowCount: 1 }) };\n`,
      'routes/users.js': `const express = require('express');\nconst db = require('../db');\nconst router = express.Router();\nrouter.post('/users', async (req, res) => res.json(await db.query('INSERT', [req.body.name])));\nmodule.exports = router;\n`,
    });
    const got = await candidates(root);
    expect(got).toEqual(expect.arrayContaining(['routes/billing.js', 'services/billing.js']));
    expect(got).not.toContain('routes/users.js');
  });

  it('a route whose path does not say webhook keeps its findings (raw body, unhandled throw, no dedup)', async () => {
    const root = app({
      'package.json': JSON.stringify({ name: 'hooks', dependencies: { express: '^4.21.0', stripe: '^23.1.0' } }),
      'src/server.ts': `import express from 'express';
import { onPayment } from './payments';

const app = express();
app.use(express.json());
app.post('/hooks/payments', onPayment);
app.listen(3000);
`,
      'src/payments.ts': `import Stripe from 'stripe';
import { db } from './db';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function onPayment(req: any, res: any) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'payment_intent.succeeded') {
    await db.order.update({ where: { paymentIntentId: event.data.object.id }, data: { status: 'paid' } });
  }
  res.json({ received: true });
}
`,
      'src/db.ts': `export const db: any = {};\n`,
    });
    const rules = (await findings(root)).map((f) => f.split(' ')[1]);
    expect(rules).toEqual(expect.arrayContaining(['webhook-raw-body', 'webhook-verification-unhandled', 'webhook-event-not-deduplicated']));
    expect(await candidates(root)).toContain('src/server.ts');
  });

  it('follows baseUrl imports (`lib/client`) and paths aliases (`@lib/sdk`)', async () => {
    const root = app({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: 'src', paths: { '@lib/*': ['lib/*'] } } }),
      'src/lib/client.ts': CLIENT,
      'src/lib/sdk/index.ts': `export { payments as sdk } from '../client';\n`,
      'src/orders/refund.ts': `import { payments } from 'lib/client';\n\nexport async function refund(charge: string) {\n  return payments.refunds.create({ charge });\n}\n`,
      'src/orders/payout.ts': `import { sdk } from '@lib/sdk';\n\nexport async function payout(amount: number) {\n  return sdk.payouts.create({ amount, currency: 'usd' });\n}\n`,
    });
    const got = await candidates(root);
    expect(got).toEqual(expect.arrayContaining(['src/orders/refund.ts', 'src/orders/payout.ts']));
    const rules = await findings(root);
    expect(rules).toEqual(expect.arrayContaining(['src/orders/refund.ts:4 idempotency-key-missing', 'src/orders/payout.ts:4 idempotency-key-missing']));
  });

  it('has no depth limit', async () => {
    const files: Record<string, string> = { 'src/lib/client.ts': CLIENT };
    for (let i = 0; i < 8; i++) files[`src/layer${i}.ts`] = `export * from '${i === 7 ? './lib/client' : `./layer${i + 1}`}';\n`;
    files['src/refund.ts'] = `import { payments } from './layer0';\n\nexport const refund = (charge: string) => payments.refunds.create({ charge });\n`;
    expect(await candidates(app(files))).toContain('src/refund.ts');
  });
});

describe('order independence', () => {
  // A refund reaches the client through m2 → services/payments; an unrelated file mentioning webhooks
  // reaches m2 too, further from the start (a depth-limited search that remembers its answers said "no"
  // for m2 when it met it there first).
  const base = {
    'src/lib/client.ts': CLIENT,
    'src/services/payments.ts': `export { payments } from '../lib/client';\n`,
    'src/a/m2.ts': `export { payments } from '../services/payments';\n`,
    'src/refund.ts': `import { payments } from './a/m2';\n\nexport async function refund(charge: string) {\n  return payments.refunds.create({ charge });\n}\n`,
  };
  const unrelated = {
    'src/a/m1.ts': `export * from './m2';\n`,
    'src/a/a-notes.ts': `// TODO: retry failed webhook deliveries\nexport * from './m1';\n`,
  };

  it('an unrelated file that says "webhook" does not change another file’s findings', async () => {
    const without = await findings(app(base));
    expect(without).toContain('src/refund.ts:4 idempotency-key-missing');
    expect(await findings(app({ ...base, ...unrelated }))).toEqual(without);
  });

  it('any order of the files gives the same candidates', () => {
    const root = app({ ...base, ...unrelated, 'src/b/route.ts': `import { refund } from '../refund';\nexport const post = (app: any) => app.post('/refunds', (req: any, res: any) => refund(req.body.id).then(() => res.end()));\n`, 'src/c/plain.ts': `export const x = 1;\n` });
    const files = discover({ root, paths: [root], includeTests: false, ignore: [] }).files;
    const run = (order: typeof files) => {
      const filter = new TextFilter(order);
      // One batch per file, added in reverse: the parts arrive in any order.
      const parts = order.map((_, i) => filterBatch(order, i, i + 1));
      for (const p of parts.reverse()) filter.add(p);
      const resolver = new ModuleResolver(new Set(order.map((f: { absPath: string }) => f.absPath)));
      for (const w of readWorkspace([])) resolver.addWorkspacePackage(w.dir, w.json);
      return filter
        .finish((from: string, spec: string) => resolver.resolve(from, spec))
        .candidates.map((c: { file: { relPath: string } }) => c.file.relPath)
        .sort();
    };
    const expected = run(files);
    expect(expected).toEqual(expect.arrayContaining(['src/refund.ts', 'src/b/route.ts']));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 12; k++) {
      const shuffled = [...files].sort(() => random() - 0.5);
      expect(run(shuffled)).toEqual(expected);
    }
  });
});

describe('--no-prefilter', () => {
  it('the CLI parses every discovered file, with the same findings', () => {
    const root = app({
      'src/lib/client.ts': CLIENT,
      'src/refund.ts': `import { payments } from './lib/client';\n\nexport const refund = (charge: string) => payments.refunds.create({ charge });\n`,
      'src/util/format.ts': `export const money = (cents: number) => (cents / 100).toFixed(2);\n`,
      'src/util/dates.ts': `export const today = () => new Date().toISOString().slice(0, 10);\n`,
    });
    const cli = (...extra: string[]) => {
      const r = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/stripe-audit.js'), root, '--offline', '-f', 'json', '--fail-on', 'never', ...extra], { encoding: 'utf8', env: { ...process.env, STRIPE_AUDIT_CACHE_DIR: cacheDir } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { summary: { filesScanned: number; filesParsed: number }; findings: Array<{ file: string; startLine: number; ruleId: string }> };
    };
    const filtered = cli();
    const all = cli('--no-prefilter');
    expect(filtered.summary.filesParsed).toBeLessThan(filtered.summary.filesScanned);
    expect(all.summary.filesParsed).toBe(all.summary.filesScanned);
    expect(all.findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`)).toEqual(filtered.findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`));
    expect(filtered.findings.length).toBeGreaterThan(0);
  });
});
