// Writes a synthetic monorepo, deterministically from a seed: `files` TS/TSX/JS source files (default
// 20,000, about 3 KB each) in apps/* and packages/*, of which about 1% hold Stripe code (bench/stripe-code.ts)
// and the rest realistic non-Stripe code with look-alikes (bench/code.ts). Dependency and build folders
// (node_modules, dist, .next, coverage, build) and .gitignored folders hold extra files that a scanner must
// skip; they are not counted in `files`. Same seed and size ⇒ byte-identical tree.
//
//   node dist/bench/generate.js [--files N] [--seed S] <out-dir>
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng, mixSeed } from './rng.js';
import { DOMAINS, Gen, pascal } from './code.js';
import { type ClientModule, type PackageKind, type StripeTemplate, TEMPLATES, clientModule, needsClient } from './stripe-code.js';

/** Bump when the output changes, so cached trees are regenerated. */
export const GENERATOR_VERSION = 3;

export interface GenerateOptions {
  out: string;
  files?: number;
  seed?: number;
}

export interface Manifest {
  generatorVersion: number;
  seed: number;
  /** Source files a scanner should consider (outside skipped and ignored folders). */
  files: number;
  /** Their total size in bytes. */
  bytes: number;
  packages: number;
  stripeFiles: { path: string; template: string }[];
  lookalikeFiles: string[];
  /** Source files in folders that must be skipped (node_modules, dist, .next, build, coverage, gitignored). */
  skippedFiles: number;
  /** Counts of source files per generator kind. */
  kinds: Record<string, number>;
}

const FRAMEWORK_KINDS: PackageKind[] = ['next', 'express', 'express-js', 'nest', 'lambda', 'hono', 'fastify', 'worker'];
const STRIPE_VERSIONS = ['^8.222.0', '^10.17.0', '^12.18.0', '^14.25.0', '^16.12.0', '17.7.0', '^18.5.0', '~19.1.0', '^20.0.0', '^22.0.0', '23.1.0'];
const SUFFIX = ['core', 'api', 'web', 'ui', 'utils', 'service', 'sdk', 'client', 'worker', 'admin', 'common', 'data', 'store', 'hooks', 'kit', 'engine', 'gateway', 'jobs', 'models', 'shared'];
const APP_NAMES: Record<string, string[]> = {
  next: ['storefront', 'dashboard', 'marketing', 'portal'],
  express: ['api', 'gateway', 'billing-api', 'backoffice'],
  'express-js': ['legacy-api', 'admin-server', 'callbacks'],
  nest: ['platform', 'accounts', 'orders-service'],
  lambda: ['serverless', 'functions', 'jobs'],
  hono: ['edge-api', 'hono-api'],
  fastify: ['fast-api', 'ingest'],
  worker: ['edge-worker', 'cf-worker'],
};

interface Container {
  dir: string; // e.g. packages/order-core
  name: string; // @acme/order-core
  kind: PackageKind;
  weight: number;
  billing: boolean;
  stripeVersion?: string;
  client?: ClientModule;
  deps: Set<string>;
  used: Set<string>; // paths inside the container
  kebab: boolean;
}

type FileKind =
  | 'service' | 'lookalike-service' | 'component' | 'webhook-component' | 'stripelike-card' | 'hook' | 'util' | 'types'
  | 'test' | 'js' | 'express-routes' | 'express-routes-js' | 'github-webhook' | 'next-route' | 'pages-api'
  | 'nest-controller' | 'nest-main' | 'lambda' | 'db' | 'stripe-client' | 'stripe';

interface PlannedFile {
  container: number;
  rel: string; // inside the container
  kind: FileKind;
  template?: StripeTemplate;
  target: number;
}

const KIND_MIX: Record<PackageKind, [FileKind, number][]> = {
  ui: [['component', 55], ['hook', 15], ['util', 10], ['types', 8], ['test', 12]],
  lib: [['service', 38], ['util', 17], ['types', 13], ['test', 15], ['js', 8], ['hook', 2], ['component', 5], ['lookalike-service', 2]],
  next: [['component', 35], ['next-route', 10], ['pages-api', 5], ['hook', 10], ['util', 10], ['types', 8], ['test', 10], ['service', 12]],
  express: [['express-routes', 20], ['service', 40], ['util', 12], ['types', 10], ['test', 15], ['lookalike-service', 3]],
  'express-js': [['express-routes-js', 30], ['js', 55], ['test', 15]],
  nest: [['nest-controller', 20], ['service', 45], ['util', 10], ['types', 10], ['test', 15]],
  lambda: [['lambda', 25], ['service', 35], ['util', 15], ['types', 10], ['test', 15]],
  hono: [['service', 50], ['util', 20], ['types', 15], ['test', 15]],
  fastify: [['service', 50], ['util', 20], ['types', 15], ['test', 15]],
  worker: [['service', 50], ['util', 20], ['types', 15], ['test', 15]],
};
const LOOKALIKE_ROTATION: FileKind[] = ['webhook-component', 'lookalike-service', 'stripelike-card', 'github-webhook', 'lookalike-service'];

function fileTarget(r: Rng): number {
  // Mean about 3 KB once a file's last block overshoots the target; a few large files.
  if (r.chance(0.02)) return r.int(12_000, 30_000);
  return r.int(550, 4_000);
}

function name(c: Container, base: string, suffix: string): string {
  return c.kebab ? `${base.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}${suffix}` : `${base}${suffix}`;
}

function claim(c: Container, rel: string): string {
  if (!c.used.has(rel)) {
    c.used.add(rel);
    return rel;
  }
  const ext = path.posix.extname(rel);
  const stem = rel.slice(0, -ext.length);
  for (let k = 2; ; k++) {
    const alt = `${stem}-${k}${ext}`;
    if (!c.used.has(alt)) {
      c.used.add(alt);
      return alt;
    }
  }
}

function pathFor(r: Rng, c: Container, kind: FileKind): string {
  const entity = r.pick(DOMAINS);
  const E = pascal(entity);
  const deep = r.chance(0.3) ? `src/modules/${entity}` : 'src';
  const sfx = r.pick(['Service', 'Repository', 'Manager', 'Store', 'Client', 'Worker', 'Job', 'Policy', 'Mapper', 'Gateway']);
  switch (kind) {
    case 'service':
    case 'lookalike-service':
      return c.kind === 'nest' ? `src/${entity}/${entity}.${sfx.toLowerCase()}.ts` : `${deep}/services/${name(c, `${camelCase(entity)}${sfx}`, '.ts')}`;
    case 'component':
      return `${deep}/components/${E}${r.pick(['List', 'Card', 'Panel', 'Table', 'Form', 'Summary', 'Dialog', 'Badge'])}.tsx`;
    case 'webhook-component':
      return `src/components/settings/Webhook.tsx`;
    case 'stripelike-card':
      return `src/components/StripeLikeCard.tsx`;
    case 'hook':
      return `${deep}/hooks/use${E}.ts`;
    case 'util':
      return `${deep}/utils/${name(c, `${camelCase(entity)}${r.pick(['Format', 'Helpers', 'Math', 'Dates', 'Guards', 'Cache'])}`, '.ts')}`;
    case 'types':
      return `${deep}/types/${entity}.ts`;
    case 'test':
      return `${deep}/services/__tests__/${name(c, `${camelCase(entity)}${sfx}`, '.test.ts')}`;
    case 'js':
      return `${r.pick(['scripts', 'src/legacy', 'src/lib', 'tools'])}/${name(c, `${camelCase(entity)}${r.pick(['Sync', 'Export', 'Import', 'Report', 'Seed'])}`, '.js')}`;
    case 'express-routes':
      return `src/routes/${entity}.routes.ts`;
    case 'express-routes-js':
      return `src/routes/${entity}.js`;
    case 'github-webhook':
      return `src/integrations/github/webhook.ts`;
    case 'next-route':
      return `src/app/api/${entity}s/route.ts`;
    case 'pages-api':
      return `src/pages/api/${entity}/${r.pick(['index', '[id]', 'search'])}.ts`;
    case 'nest-controller':
      return `src/${entity}/${entity}.controller.ts`;
    case 'lambda':
      return `src/handlers/${entity}.ts`;
    default:
      throw new Error(`no path for ${kind}`);
  }
}

const camelCase = (s: string) => s.replace(/-(\w)/g, (_m, ch: string) => ch.toUpperCase());

function render(g: Gen, c: Container, f: PlannedFile): string {
  const t = f.target;
  switch (f.kind) {
    case 'service':
      return g.service(t, false);
    case 'lookalike-service':
      return g.service(t, true);
    case 'component':
      return g.component(t);
    case 'webhook-component':
      return g.component(t, 'Webhook');
    case 'stripelike-card':
      return g.component(t, 'StripeLikeCard');
    case 'hook':
      return g.hook(t);
    case 'util':
      return g.util(t);
    case 'types':
      return g.types(t);
    case 'test':
      return g.test(t, path.posix.basename(f.rel).replace(/\.test\.ts$/, ''));
    case 'js':
      return g.jsModule(t);
    case 'express-routes':
      return g.expressRoutes(t, false);
    case 'express-routes-js':
      return g.expressRoutes(t, true);
    case 'github-webhook':
      return g.githubWebhook(t);
    case 'next-route':
      return g.nextRoute(t);
    case 'pages-api':
      return g.pagesApi(t);
    case 'nest-controller':
      return g.nestController(t);
    case 'lambda':
      return g.lambda(t);
    case 'db':
      return g.db();
    case 'nest-main':
      return `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { rawBody: true });
  app.setGlobalPrefix('api');
  await app.listen(process.env.PORT ?? 3000);
}

void bootstrap();
`;
    case 'stripe-client':
      return c.client!.text;
    case 'stripe': {
      const tpl = f.template!;
      const access = c.client ? c.client.access(f.rel) : { imports: `import Stripe from 'stripe';`, decl: '', ref: 'stripe' };
      const text = tpl.make({ g, file: f.rel, client: access, pkgName: c.name });
      // Pad TypeScript files with neutral helpers so Stripe files have the repository's usual size.
      if (!f.rel.endsWith('.ts') || text.length >= t) return text;
      return g.fill(text, t, () => g.utilBlock());
    }
  }
}

/** Plans and writes the tree; returns what it wrote. */
export function generate(options: GenerateOptions): Manifest {
  const total = Math.max(50, Math.floor(options.files ?? 20_000));
  const seed = (options.seed ?? 1) >>> 0;
  const out = path.resolve(options.out);
  const r = new Rng(mixSeed(seed, 0xbe7c));

  // ---- containers
  const containers: Container[] = [];
  const usedDirs = new Set<string>();
  const addContainer = (dir: string, kind: PackageKind, weight: number, billing = false) => {
    let d = dir;
    for (let k = 2; usedDirs.has(d); k++) d = `${dir}-${k}`;
    usedDirs.add(d);
    containers.push({ dir: d, name: `@acme/${path.posix.basename(d)}`, kind, weight, billing, deps: new Set(), used: new Set(), kebab: r.chance(0.5) });
  };
  const perFramework = Math.max(1, Math.round(total / 10_000));
  for (const kind of FRAMEWORK_KINDS) {
    for (let i = 0; i < perFramework; i++) addContainer(`apps/${APP_NAMES[kind][i % APP_NAMES[kind].length]}`, kind, 2 + r.float() * 4);
  }
  const billing = Math.max(1, Math.round(total / 4_000));
  for (let i = 0; i < billing; i++) addContainer(`packages/billing-${r.pick(SUFFIX)}`, 'lib', 0.5 + r.float(), true);
  const libs = Math.max(2, Math.round(total / 110));
  for (let i = 0; i < libs; i++) {
    const ui = r.chance(0.25);
    addContainer(`packages/${r.pick(DOMAINS)}-${ui ? r.pick(['ui', 'components', 'widgets']) : r.pick(SUFFIX)}`, ui ? 'ui' : 'lib', 0.2 + r.float() * r.float() * 3);
  }

  // ---- plan: fixed files, Stripe files, then the rest
  const plan: PlannedFile[] = [];
  const push = (ci: number, rel: string, kind: FileKind, template?: StripeTemplate) =>
    plan.push({ container: ci, rel: claim(containers[ci], rel), kind, template, target: fileTarget(r) });

  containers.forEach((c, ci) => {
    if (c.kind !== 'lib' && c.kind !== 'ui' && c.kind !== 'worker') push(ci, 'src/db.ts', 'db');
    if (c.kind === 'nest') push(ci, 'src/main.ts', 'nest-main');
  });

  const stripeBudget = Math.max(1, Math.round(total * 0.01));
  let stripeCount = 0;
  let ti = r.int(0, TEMPLATES.length - 1);
  const templateUse = new Map<string, number>();
  while (stripeCount < stripeBudget) {
    const tpl = TEMPLATES[ti++ % TEMPLATES.length];
    const candidates = containers.map((c, i) => [c, i] as const).filter(([c]) => c.kind === tpl.kind && (tpl.kind !== 'lib' || c.billing));
    const [c, ci] = r.pick(candidates);
    if (!c.stripeVersion) c.stripeVersion = r.pick(STRIPE_VERSIONS);
    if (needsClient(tpl) && !c.client) {
      c.client = clientModule(new Gen(new Rng(mixSeed(seed, 0x5000 + ci))), c.kind, c.name);
      push(ci, c.client.file, 'stripe-client');
      stripeCount++;
      if (stripeCount >= stripeBudget) break;
    }
    const key = `${ci}:${tpl.id}`;
    const n = templateUse.get(key) ?? 0;
    templateUse.set(key, n + 1);
    push(ci, tpl.file(n), 'stripe', tpl);
    stripeCount++;
  }

  const weights = containers.map((c, i) => [i, c.weight] as const);
  let nonStripe = 0;
  while (plan.length < total) {
    const ci = r.weighted(weights);
    const c = containers[ci];
    let kind: FileKind = r.weighted(KIND_MIX[c.kind]);
    if (++nonStripe % 40 === 0) kind = LOOKALIKE_ROTATION[(nonStripe / 40) % LOOKALIKE_ROTATION.length];
    if (kind === 'github-webhook' && c.kind === 'express-js') kind = 'js';
    push(ci, pathFor(r, c, kind), kind);
  }

  // ---- write
  const made = new Set<string>();
  const mkdir = (dir: string) => {
    if (made.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  const write = (rel: string, text: string) => {
    const abs = path.join(out, rel);
    mkdir(path.dirname(abs));
    fs.writeFileSync(abs, text);
    return Buffer.byteLength(text);
  };

  const manifest: Manifest = { generatorVersion: GENERATOR_VERSION, seed, files: plan.length, bytes: 0, packages: containers.length, stripeFiles: [], lookalikeFiles: [], skippedFiles: 0, kinds: {} };
  plan.forEach((f, i) => {
    const c = containers[f.container];
    const g = new Gen(new Rng(mixSeed(seed, i + 1)));
    const rel = `${c.dir}/${f.rel}`;
    manifest.bytes += write(rel, render(g, c, f));
    const k = f.kind === 'stripe' ? `stripe:${f.template!.id}` : f.kind;
    manifest.kinds[k] = (manifest.kinds[k] ?? 0) + 1;
    if (f.kind === 'stripe' || f.kind === 'stripe-client') manifest.stripeFiles.push({ path: rel, template: f.kind === 'stripe' ? f.template!.id : `client:${c.kind}` });
    if (['lookalike-service', 'webhook-component', 'stripelike-card', 'github-webhook'].includes(f.kind)) manifest.lookalikeFiles.push(rel);
  });

  // ---- manifests and configuration
  const extra = new Rng(mixSeed(seed, 0xe7a));
  const deps: Record<PackageKind, Record<string, string>> = {
    next: { next: '^14.2.5', react: '^18.3.1', 'react-dom': '^18.3.1', micro: '^10.0.1', '@stripe/stripe-js': '^4.1.0', '@stripe/react-stripe-js': '^2.7.3' },
    express: { express: '^4.19.2', cors: '^2.8.5' },
    'express-js': { express: '^4.18.2' },
    nest: { '@nestjs/common': '^10.3.10', '@nestjs/core': '^10.3.10', '@nestjs/platform-express': '^10.3.10' },
    lambda: { '@types/aws-lambda': '^8.10.140' },
    hono: { hono: '^4.5.1' },
    fastify: { fastify: '^4.28.1', 'fastify-raw-body': '^4.3.0' },
    worker: { wrangler: '^3.65.0' },
    lib: { zod: '^3.23.8' },
    ui: { react: '^18.3.1' },
  };
  containers.forEach((c, ci) => {
    const dependencies: Record<string, string> = { ...deps[c.kind] };
    if (c.billing) Object.assign(dependencies, { 'p-retry': '^6.2.0', uuid: '^10.0.0' });
    if (c.stripeVersion) dependencies.stripe = c.stripeVersion;
    else if (extra.chance(0.04)) dependencies.stripe = extra.pick(STRIPE_VERSIONS); // declared, unused
    for (const other of extra.sample(containers, extra.int(0, 3))) if (other !== c && other.kind !== 'next') dependencies[other.name] = 'workspace:*';
    const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
    const pkg = {
      name: c.name,
      version: `0.${extra.int(0, 40)}.${extra.int(0, 20)}`,
      private: true,
      ...(c.kind === 'express-js' ? {} : { type: 'module' }),
      main: c.kind === 'lib' || c.kind === 'ui' ? 'dist/index.js' : undefined,
      scripts: { build: c.kind === 'next' ? 'next build' : 'tsc -p tsconfig.json', test: 'vitest run', lint: 'eslint .' },
      dependencies: sorted,
      devDependencies: { typescript: '^5.5.4', vitest: '^2.0.5' },
    };
    write(`${c.dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
    const paths = c.kind === 'next' ? { baseUrl: '.', paths: { '@/*': ['./src/*'] } } : {};
    write(`${c.dir}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist', rootDir: 'src', ...paths }, include: ['src'] }, null, 2) + '\n');
    if (ci % 7 === 3) {
      // A nested .gitignore with a local scratch folder.
      write(`${c.dir}/.gitignore`, 'tmp/\n*.local.ts\n');
      write(`${c.dir}/tmp/scratch.ts`, UNVERIFIED_TS);
      write(`${c.dir}/src/debug.local.ts`, UNVERIFIED_TS);
      manifest.skippedFiles += 2;
    }
  });
  write('package.json', JSON.stringify({ name: 'acme-monorepo', private: true, workspaces: ['apps/*', 'packages/*'], scripts: { build: 'turbo run build', test: 'turbo run test' }, devDependencies: { turbo: '^2.0.9', typescript: '^5.5.4' } }, null, 2) + '\n');
  write('tsconfig.base.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, jsx: 'react-jsx', skipLibCheck: true } }, null, 2) + '\n');
  write('.gitignore', 'node_modules/\ndist/\n.next/\ncoverage/\nbuild/\ngenerated/\n*.log\n.env*\n');
  write('README.md', `# acme monorepo (synthetic)\n\nGenerated by stripe-audit's benchmark, seed ${seed}, ${plan.length} source files.\n`);

  // ---- folders that must be skipped
  const skipped = (rel: string, text: string) => {
    write(rel, text);
    if (/\.(ts|tsx|js)$/.test(rel)) manifest.skippedFiles++;
  };
  skipped('node_modules/stripe/package.json', JSON.stringify({ name: 'stripe', version: '14.25.0', main: 'cjs/stripe.cjs.node.js' }) + '\n');
  for (let i = 0; i < 40; i++) skipped(`node_modules/stripe/cjs/resources/Resource${i}.js`, NODE_MODULES_JS);
  skipped('node_modules/stripe/cjs/Webhooks.js', UNVERIFIED_JS);
  for (const dep of ['express', 'react', 'zod', 'hono']) {
    skipped(`node_modules/${dep}/package.json`, JSON.stringify({ name: dep, version: '1.0.0' }) + '\n');
    for (let i = 0; i < 15; i++) skipped(`node_modules/${dep}/lib/part${i}.js`, NODE_MODULES_JS);
  }
  containers.forEach((c, ci) => {
    if (c.stripeVersion && ci % 3 === 0) {
      skipped(`${c.dir}/node_modules/stripe/package.json`, JSON.stringify({ name: 'stripe', version: c.stripeVersion.replace(/^[\^~]/, '') }) + '\n');
    }
    if (c.stripeVersion || ci % 11 === 0) {
      skipped(`${c.dir}/dist/index.js`, UNVERIFIED_JS);
      skipped(`${c.dir}/dist/routes/webhook.js`, UNVERIFIED_JS);
    }
    if (c.kind === 'next') skipped(`${c.dir}/.next/server/app/api/webhooks/stripe/route.js`, UNVERIFIED_JS);
    if (c.kind === 'express' && ci % 2 === 0) skipped(`${c.dir}/build/server.js`, UNVERIFIED_JS);
  });
  skipped('coverage/lcov-report/sorter.js', NODE_MODULES_JS);
  skipped('generated/stripe-webhook.ts', UNVERIFIED_TS);
  skipped('generated/client.ts', `import Stripe from 'stripe';\nexport const stripe = new Stripe('sk_live_51${extra.alnum(40)}');\n`);

  return manifest;
}

/** An unverified Stripe webhook: a finding if a scanner reads a folder it must skip. */
const UNVERIFIED_JS = `'use strict';
const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const app = express();
app.post('/webhook', express.json(), async (req, res) => {
  const event = req.body;
  if (event.type === 'checkout.session.completed') {
    await stripe.refunds.create({ payment_intent: event.data.object.payment_intent });
  }
  res.json({ received: true });
});
module.exports = app;
`;
const UNVERIFIED_TS = `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const app = express();
app.post('/webhook', express.json(), async (req, res) => {
  const event = req.body as Stripe.Event;
  if (event.type === 'invoice.paid') await stripe.payouts.create({ amount: 100, currency: 'usd' });
  res.json({ received: true });
});
`;
const NODE_MODULES_JS = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
function noop() {}
exports.default = function resource(options) {
  var self = this;
  self.options = Object.assign({}, options);
  self.request = function (method, path, params) { return Promise.resolve({ method: method, path: path, params: params }); };
  return self;
};
`;

function parseArgs(argv: string[]): GenerateOptions {
  let files: number | undefined;
  let seed: number | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--files') files = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else out = a;
  }
  if (!out) throw new Error('usage: generate [--files N] [--seed S] <out-dir>');
  if (files !== undefined && !(files > 0)) throw new Error('--files must be a positive number');
  return { out, files, seed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (fs.existsSync(opts.out) && fs.readdirSync(opts.out).length) throw new Error(`${opts.out} is not empty`);
    const t0 = performance.now();
    const m = generate(opts);
    const { stripeFiles, lookalikeFiles, ...summary } = m;
    console.log(JSON.stringify({ ...summary, stripeFiles: stripeFiles.length, lookalikeFiles: lookalikeFiles.length, ms: Math.round(performance.now() - t0) }, null, 2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}
