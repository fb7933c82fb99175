// stripe-secret-key-client-exposed and keys in committed configuration files, case by case in the style
// of typescript-eslint's RuleTester: each case names what it proves and lists the `file:line` findings of
// the rule under test (nothing else of that rule may be reported).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../dist/src/engine/engine.js';
import { DEFAULT_CONFIG } from '../dist/src/gate/config.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-keys-cache-'));
roots.push(cacheDir);

const NEXT_PKG = JSON.stringify({ name: 'app', dependencies: { next: '15.5.4', stripe: '^23.1.0' } });
// Fake keys, shaped like real ones.
const LIVE = `sk_live_51Fixture${'Ab3dE5gH7jK9mN1pQ3sT5vX7zB9cD1fG3hJ5kL7'.repeat(2)}`;
const TEST = `sk_test_51Fixture${'Zy8xW6vU4tS2rQ0pO8nM6lK4jI2hG0fE8dC6bA4'.repeat(2)}`;

async function findings(rule: string, files: Record<string, string>): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-keys-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  // In this thread (worker: false): a worker per audit would cost more than the scan of a few files.
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir, worker: false });
  return result.findings.filter((f: { ruleId: string }) => f.ruleId === rule).map((f: { file: string; startLine: number }) => `${f.file}:${f.startLine}`);
}

const clientExposed: Array<[string, Record<string, string>, string[]]> = [
  ['new Stripe(process.env.NEXT_PUBLIC_*)', { 'package.json': NEXT_PKG, 'lib/s.ts': "import Stripe from 'stripe';\nexport const s = new Stripe(process.env.NEXT_PUBLIC_STRIPE_KEY!);" }, ['lib/s.ts:2']],
  ['a public variable passed through a const', { 'package.json': NEXT_PKG, 'lib/s.ts': "import Stripe from 'stripe';\nconst key = process.env.NEXT_PUBLIC_PAYMENTS ?? '';\nexport const s = new Stripe(key);" }, ['lib/s.ts:2']],
  ['a public variable named like the secret key, read anywhere', { 'package.json': NEXT_PKG, 'lib/cfg.ts': 'export const cfg = { sk: process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY };' }, ['lib/cfg.ts:1']],
  ['Expo public variable', { 'package.json': JSON.stringify({ name: 'app', dependencies: { expo: '~54.0.0', stripe: '^23.1.0' } }), 'app/pay.ts': "import Stripe from 'stripe';\nexport const s = new Stripe(process.env.EXPO_PUBLIC_STRIPE_SK!);" }, ['app/pay.ts:2']],
  ['the server SDK in a use client component', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport Stripe from 'stripe';\nexport const C = () => Stripe.name;" }, ['c.tsx:2']],
  ['the server SDK reached through two local modules', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport { pay } from './a';\nexport const C = () => pay;", 'a.ts': "export { pay } from './b';", 'b.ts': "import Stripe from 'stripe';\nconst s = new Stripe(process.env.STRIPE_SECRET_KEY!);\nexport const pay = () => s.balance.retrieve();" }, ['c.tsx:2']],
  ['an .env file sets a public variable to a secret key', { 'package.json': NEXT_PKG, '.env.local': `NEXT_PUBLIC_STRIPE_KEY=${TEST}\n` }, ['.env.local:1']],
  ['a value import of stripe used as a value in a client component', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport Stripe from 'stripe';\nexport const s = new Stripe('k');" }, ['c.tsx:2']],
  ['Create React App: every module is client code', { 'package.json': JSON.stringify({ name: 'spa', dependencies: { 'react-scripts': '5.0.1', stripe: '^23.1.0' } }), 'src/pay.js': "const Stripe = require('stripe');\nmodule.exports = Stripe;" }, ['src/pay.js:1']],
];

const notClientExposed: Array<[string, Record<string, string>]> = [
  ['the publishable key under a public prefix', { 'package.json': NEXT_PKG, 'lib/k.ts': "import { loadStripe } from '@stripe/stripe-js';\nexport const p = loadStripe(process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY!);" }],
  ['the secret key without a public prefix', { 'package.json': NEXT_PKG, 'lib/s.ts': "import Stripe from 'stripe';\nexport const s = new Stripe(process.env.STRIPE_SECRET_KEY!);" }],
  ['a public webhook-unrelated variable named SECRET without STRIPE', { 'package.json': NEXT_PKG, 'lib/c.ts': 'export const c = process.env.NEXT_PUBLIC_RECAPTCHA_SECRET;' }],
  ['a type-only import in a client component', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport type Stripe from 'stripe';\nexport const C = (p: { price: Stripe.Price }) => p.price.id;" }],
  ['a value import used only in types, in a client component (TypeScript drops it)', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport Stripe from 'stripe';\nexport const C = (p: { products: Stripe.Product[] }) => p.products.length;" }],
  ['a module whose value import of stripe is used only in types, imported by a client component', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport type { PricesList } from './types';\nimport { format } from './types';\nexport const C = (p: { l: PricesList }) => format(p.l);", 'types.ts': "import { Stripe } from 'stripe';\nexport type PricesList = Stripe.ApiList<Stripe.Price>;\nexport const format = (l: PricesList) => l.data.length;" }],
  ['REACT_APP_ named like the secret key in an Express package (no bundler inlines it there)', { 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '4', stripe: '^23.1.0' } }), 'constants/stripe.js': "module.exports = { key: process.env.REACT_APP_STRIPE_SECRET_KEY };" }],
  ['a client component importing a server-only module', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport { s } from './srv';\nexport const C = () => s;", 'srv.ts': "import 'server-only';\nimport Stripe from 'stripe';\nexport const s = new Stripe(process.env.STRIPE_SECRET_KEY!);" }],
  ['a client component calling a server action module', { 'package.json': NEXT_PKG, 'c.tsx': "'use client';\nimport { act } from './actions';\nexport const C = () => act;", 'actions.ts': "'use server';\nimport Stripe from 'stripe';\nconst s = new Stripe(process.env.STRIPE_SECRET_KEY!);\nexport async function act() { return s.balance.retrieve(); }" }],
  ['a server file in a Next.js app', { 'package.json': NEXT_PKG, 'app/api/r/route.ts': "import Stripe from 'stripe';\nconst s = new Stripe(process.env.STRIPE_SECRET_KEY!);\nexport async function GET() { return Response.json(await s.balance.retrieve()); }" }],
  ['a Vite app with a server side (SvelteKit)', { 'package.json': JSON.stringify({ name: 'kit', devDependencies: { vite: '7', '@sveltejs/kit': '2' }, dependencies: { stripe: '^23.1.0' } }), 'src/lib/server/s.ts': "import Stripe from 'stripe';\nimport { env } from '$env/dynamic/private';\nexport const s = new Stripe(env.STRIPE_SECRET_KEY ?? '');" }],
];

describe('stripe-secret-key-client-exposed', () => {
  it.each(clientExposed)('invalid: %s', async (_name, files, expected) => {
    expect(await findings('stripe-secret-key-client-exposed', files)).toEqual(expected);
  });
  it.each(notClientExposed)('valid: %s', async (_name, files) => {
    expect(await findings('stripe-secret-key-client-exposed', files)).toEqual([]);
  });
});

const configKeys: Array<[string, string, Record<string, string>, string[]]> = [
  ['a live key in .env', 'stripe-secret-key-hardcoded', { '.env': `STRIPE_SECRET_KEY=${LIVE}\n` }, ['.env:1']],
  ['a live key in a YAML file', 'stripe-secret-key-hardcoded', { 'deploy/values.yaml': `env:\n  STRIPE_SECRET_KEY: "${LIVE}"\n` }, ['deploy/values.yaml:2']],
  ['a live key in a Terraform variables file', 'stripe-secret-key-hardcoded', { 'infra/prod.tfvars': `stripe_key = "${LIVE}"\n` }, ['infra/prod.tfvars:1']],
  ['a test key in .env.example is documentation', 'stripe-secret-key-hardcoded', { '.env.example': `STRIPE_SECRET_KEY=${TEST}\n` }, []],
  ['a live key in .env.sample is a leak', 'stripe-secret-key-hardcoded', { '.env.sample': `STRIPE_SECRET_KEY=${LIVE}\n` }, ['.env.sample:1']],
  ['a key in a lockfile is not read', 'stripe-secret-key-hardcoded', { 'package-lock.json': `{"x": "${LIVE}"}\n` }, []],
  ['a key in a test fixture folder is skipped like test code', 'stripe-secret-key-hardcoded', { 'test/fixtures/event.json': `{"key": "${LIVE}"}\n` }, []],
  ['a placeholder in docker-compose', 'stripe-secret-key-hardcoded', { 'docker-compose.override.yml': 'services:\n  api:\n    environment:\n      STRIPE_SECRET_KEY: sk_live_your_key_here\n' }, []],
];

describe('keys in committed configuration files', () => {
  it.each(configKeys)('%s', async (_name, rule, files, expected) => {
    expect(await findings(rule, files)).toEqual(expected);
  });
});
