// The benchmark's synthetic monorepo: deterministic from its seed, about 1% Stripe files, look-alikes
// present, dependency/build/ignored folders present but outside the scanned set, every file valid syntax
// (as the parser the CLI ships reads it: `#typescript`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ts } from '#typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, type Manifest } from '../bench/generate.js';
import { TEMPLATES } from '../bench/stripe-code.js';
import { walkSources } from '../bench/walk.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir (skipped folders included), with a hash of its bytes, in a stable order. */
function fingerprint(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out;
}

const STRIPE_WORD = /\bstripe\b/i;

function gen(name: string, files: number, seed: number): { dir: string; manifest: Manifest } {
  const dir = path.join(tmp, name);
  return { dir, manifest: generate({ out: dir, files, seed }) };
}

/**
 * One tree large enough to hold every template (4,000 files at seed 3; 3,000 lack six), read by the tests below that look at a tree's content
 * (writing a tree per test was most of this file's time).
 */
let bigTree: { dir: string; manifest: Manifest } | undefined;
const big = () => (bigTree ??= gen('big', 4000, 3));

describe('bench/generate', () => {
  it('writes a byte-identical tree for the same seed, and a different one for another seed', () => {
    const a = gen('a', 300, 42);
    const b = gen('b', 300, 42);
    const c = gen('c', 300, 43);
    const fa = fingerprint(a.dir);
    expect(fa.length).toBeGreaterThan(300);
    expect(fingerprint(b.dir)).toEqual(fa);
    expect(b.manifest).toEqual(a.manifest);
    expect(fingerprint(c.dir)).not.toEqual(fa);
  });

  it('writes exactly --files scanned sources, about 3 KB each', () => {
    const { dir, manifest } = big();
    const walked = [...walkSources(dir)];
    expect(walked).toHaveLength(4000);
    expect(manifest.files).toBe(4000);
    const bytes = walked.reduce((s, f) => s + f.size, 0);
    expect(bytes).toBe(manifest.bytes);
    expect(bytes / 4000).toBeGreaterThan(2_400);
    expect(bytes / 4000).toBeLessThan(3_600);
    expect(new Set(walked.map((f) => path.extname(f.rel)))).toEqual(new Set(['.ts', '.tsx', '.js']));
  });

  it('puts Stripe code in about 1% of the files, and the word "stripe" nowhere else', () => {
    const { dir, manifest } = big();
    const stripeByContent = [...walkSources(dir)].filter((f) => STRIPE_WORD.test(fs.readFileSync(f.abs, 'utf8'))).map((f) => f.rel);
    const share = stripeByContent.length / manifest.files;
    expect(share).toBeGreaterThanOrEqual(0.008);
    expect(share).toBeLessThanOrEqual(0.013);
    expect(new Set(stripeByContent)).toEqual(new Set(manifest.stripeFiles.map((s) => s.path)));
    // Client modules of several styles, and handlers of several frameworks.
    const text = manifest.stripeFiles.map((s) => fs.readFileSync(path.join(dir, s.path), 'utf8')).join('\n');
    expect(text).toMatch(/new Stripe\(process\.env\.\w+/);
    expect(text).toContain('webhooks.constructEvent(');
    expect(text).toMatch(/stripe\.\w+\.create\([^)]*\)[;,]?\n/); // a call without options
    expect(text).toContain('idempotencyKey');
  });

  it('covers every Stripe template and client style once the repository is large enough', () => {
    const { dir, manifest } = big();
    const used = new Set(manifest.stripeFiles.map((s) => s.template));
    for (const t of TEMPLATES) expect(used, t.id).toContain(t.id);
    for (const client of ['client:express-js', 'client:nest', 'client:next', 'client:hono', 'client:worker']) expect(used).toContain(client);
    const all = manifest.stripeFiles.map((s) => fs.readFileSync(path.join(dir, s.path), 'utf8')).join('\n');
    expect(all).toContain("require('stripe')(process.env.");
    expect(all).toContain('export function getStripe()');
    expect(all).toContain('bodyParser: false');
    expect(all).toContain("@Post('stripe')");
    expect(all).toMatch(/idempotencyKey: randomUUID\(\)/);
    // Stripe packages declare several SDK versions.
    const versions = new Set<string>();
    for (const f of fs.readdirSync(path.join(dir, 'apps')).concat(fs.readdirSync(path.join(dir, 'packages')).map((p) => `../packages/${p}`))) {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'apps', f, 'package.json'), 'utf8'));
      if (pkg.dependencies?.stripe) versions.add(pkg.dependencies.stripe);
    }
    expect(versions.size).toBeGreaterThan(2);
  });

  it('writes look-alikes outside the Stripe files', () => {
    const { dir, manifest } = big();
    const stripe = new Set(manifest.stripeFiles.map((s) => s.path));
    const others = [...walkSources(dir)].filter((f) => !stripe.has(f.rel)).map((f) => fs.readFileSync(f.abs, 'utf8')).join('\n');
    for (const needle of ['db.charges.create(', 'queue.payouts.create(', 'paypal.payouts.create(', 'export function Webhook(', 'export function StripeLikeCard(', "'x-hub-signature-256'", 'payment']) {
      expect(others, needle).toContain(needle);
    }
    expect(manifest.lookalikeFiles.length).toBeGreaterThan(20);
  });

  it('writes skipped folders (node_modules, dist, .next, build, .gitignored) with Stripe code that a scanner must not read', () => {
    const { dir, manifest } = big();
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('generated/');
    expect(fs.existsSync(path.join(dir, 'node_modules/stripe/package.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'generated/stripe-webhook.ts'))).toBe(true);
    const root = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(root.workspaces).toEqual(['apps/*', 'packages/*']);
    const scanned = new Set([...walkSources(dir)].map((f) => f.rel));
    let skippedSources = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|tsx|js)$/.test(e.name) && !scanned.has(path.relative(dir, p))) skippedSources++;
      }
    };
    walk(dir);
    expect(skippedSources).toBe(manifest.skippedFiles);
    expect(skippedSources).toBeGreaterThan(50);
  });

  it('writes only syntactically valid TypeScript and JavaScript', () => {
    // Every Stripe file (every template and client style) and the first 1,500 of the others.
    const { dir, manifest } = big();
    const stripe = new Set(manifest.stripeFiles.map((f) => f.path));
    const sources = [...walkSources(dir)];
    const sample = [...sources.filter((f) => stripe.has(f.rel)), ...sources.filter((f) => !stripe.has(f.rel)).slice(0, 1500)];
    expect(sample.length).toBe(stripe.size + 1500);
    const bad: string[] = [];
    for (const f of sample) {
      const kind = f.rel.endsWith('.tsx') ? ts.ScriptKind.TSX : f.rel.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
      const sf = ts.createSourceFile(f.abs, fs.readFileSync(f.abs, 'utf8'), ts.ScriptTarget.Latest, false, kind);
      const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      if (diags.length) bad.push(`${f.rel}: ${ts.flattenDiagnosticMessageText(diags[0].messageText, ' ')}`);
    }
    expect(bad).toEqual([]);
  });
});
