// Every rule's documented examples, as `stripe-audit explain` and docs/rules.md show them, go through the
// engine on their own: the `bad` example makes that rule report (and no other rule), the `good` example
// makes no rule report. A documentation example that the tool does not flag teaches the wrong thing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../dist/src/engine/engine.js';
import { DEFAULT_CONFIG } from '../dist/src/gate/config.js';
import { RegistryCache } from '../dist/src/sdk/registry.js';
import { RULES } from '../dist/rules/index.js';
import { exampleFile } from '../dist/src/cli/rules-doc.js';

interface Meta {
  id: string;
  docs: { bad: string; good: string; file?: string };
}
const rules: Meta[] = RULES.map((r: { meta: Meta }) => r.meta);

// The registry as the stripe-sdk-* examples describe it, served from the cache (the run is offline):
// the latest release is 23.1.0, and 23.0.0 is deprecated for a security fix in 23.0.1. A loopback address that
// nothing listens on, so no request could leave the machine even if one were made.
const REGISTRY = 'http://127.0.0.1:9/';
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-examples-cache-'));
const cache = new RegistryCache(cacheDir, REGISTRY, 60 * 60 * 1000);
const versions = ['21.0.0', '22.0.0', '23.0.0', '23.0.1', '23.1.0'];
cache.write('packument-stripe', { latest: '23.1.0', versions, deprecated: { '23.0.0': 'Security fix in 23.0.1: please upgrade' } });
for (const v of versions) cache.write(`advisories-stripe-${v}`, []);

const roots: string[] = [cacheDir];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** The npm packages an example imports (`stripe`, `next/server` → `next`, `@nestjs/common`), not `node:` or relative ones. */
function importedPackages(code: string): string[] {
  const names = [...code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  return names.filter((n) => !/^(?:\.|\/|node:|npm:|jsr:|https?:)/.test(n)).map((n) => n.split('/').slice(0, n.startsWith('@') ? 2 : 1).join('/'));
}

/** Audits one example as a project of its own: the example file, and a package.json that declares stripe and what the example imports. */
async function auditExample(meta: Meta, code: string): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-example-'));
  roots.push(root);
  const file = exampleFile(meta.docs);
  if (file !== 'package.json') {
    const dependencies = Object.fromEntries(importedPackages(code).map((p) => [p, '*']));
    dependencies.stripe = '^23.1.0';
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'example', private: true, dependencies }, null, 2));
  }
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), code);
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registry: REGISTRY, registryTimeoutMs: 1000, cacheDir, worker: false });
  expect(result.fatal).toEqual([]);
  return result.findings.map((f: { ruleId: string; file: string; startLine: number; message: string }) => `${f.ruleId} ${f.file}:${f.startLine} ${f.message}`);
}

describe('rule documentation examples', () => {
  it.each(rules.map((m) => [m.id, m] as const))('%s: the bad example is reported by that rule alone', async (id, meta) => {
    const found = await auditExample(meta, meta.docs.bad);
    expect(found.filter((f) => !f.startsWith(`${id} `)), 'findings of other rules').toEqual([]);
    expect(found.length, `no ${id} finding`).toBeGreaterThan(0);
  });

  it.each(rules.map((m) => [m.id, m] as const))('%s: the good example is reported by no rule', async (_id, meta) => {
    expect(await auditExample(meta, meta.docs.good)).toEqual([]);
  });
});
