// The registry half of the SDK check against a real registry: verdaccio 6.8.0 on a loopback port, no
// uplinks, with small `stripe` versions published by `npm publish` and one deprecated by `npm deprecate`.
//
// Advisories: verdaccio does not serve npm's bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk)
// without its audit middleware, which forwards to the public registry. So most tests talk to an "audit
// front" on another loopback port that answers that endpoint in the format the npm registry documents
// and forwards every other request to verdaccio unchanged (test/helpers/registry-servers.ts). One test
// talks to verdaccio directly to show what happens when a registry lacks the endpoint.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectStripePackages, type SdkOptions } from '../src/sdk/index.js';
import type { StripePackage } from '../src/model.js';
import outdated from '../rules/stripe-sdk-outdated.js';
import vulnerable from '../rules/stripe-sdk-vulnerable.js';
import unpinned from '../rules/stripe-sdk-unpinned.js';
import { DEPRECATION, stripeRegistry } from './helpers/stripe-registry.js';
import { startAuditFront, type BulkAdvisory, type TestServer } from './helpers/registry-servers.js';
import { cleanEnv, makeProject, runRule, tempDir, removeTempDirs } from './helpers/registry-project.js';

const ADVISORY: BulkAdvisory = {
  id: 1099001,
  url: 'https://github.com/advisories/GHSA-test-0000-0001',
  title: 'Webhook signature check accepts an empty secret',
  severity: 'high',
  vulnerable_versions: '<22.6.1',
  cwe: ['CWE-347'],
  cvss: { score: 7.5, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N' },
};

let registry: { url: string; stop: () => Promise<void> };
let front: TestServer;
const savedCacheEnv = process.env.STRIPE_AUDIT_CACHE_DIR;

beforeAll(async () => {
  process.env.STRIPE_AUDIT_CACHE_DIR = tempDir('sa-cache-'); // belt and braces: tests pass their own env too
  // 21.0.0 … 23.1.0 (latest), 24.0.0-beta.1 (beta), 22.5.0 and 22.6.0 deprecated: test/helpers/stripe-registry.ts.
  registry = await stripeRegistry(inject('stripeRegistry'));
  front = await startAuditFront(registry.url, [ADVISORY]);
}, 60_000);

afterAll(async () => {
  await front?.close();
  await registry?.stop();
  removeTempDirs();
  if (savedCacheEnv === undefined) delete process.env.STRIPE_AUDIT_CACHE_DIR;
  else process.env.STRIPE_AUDIT_CACHE_DIR = savedCacheEnv;
});

function opts(root: string, manifests: string[], extra: Partial<SdkOptions> = {}): SdkOptions {
  return { root, manifests, offline: false, registry: front.url, timeoutMs: 20_000, cacheDir: tempDir('sa-cache-'), env: cleanEnv(), ...extra };
}

const lockV3 = (version: string) => ({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { stripe: `^${version}` } },
    'node_modules/stripe': { version, resolved: `${'http://127.0.0.1:1/'}stripe/-/stripe-${version}.tgz`, integrity: 'sha512-x==', license: 'MIT' },
  },
});

async function scan(files: Record<string, string | object>, extra: Partial<SdkOptions> = {}) {
  const p = makeProject(files);
  const res = await collectStripePackages(opts(p.root, p.manifests, extra));
  return { ...res, root: p.root, manifests: p.manifests };
}

function one(packages: StripePackage[]): StripePackage {
  expect(packages).toHaveLength(1);
  return packages[0];
}

describe('against verdaccio (+ audit front)', () => {
  it('reads latest from dist-tags (not the highest version), all versions and deprecations', async () => {
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^23.1.0' } }, 'package-lock.json': lockV3('23.1.0') });
    expect(res.registryFailed).toBe(false);
    expect(res.diagnostics).toEqual([]);
    const pkg = one(res.packages);
    expect(pkg.registry?.latest).toBe('23.1.0');
    expect(pkg.registry?.versions).toEqual(['21.0.0', '22.5.0', '22.6.0', '22.6.1', '23.0.0', '23.1.0', '24.0.0-beta.1']);
    expect(pkg.registry?.deprecated).toBeUndefined();
    expect(pkg.registry?.advisories).toEqual([]);
    // on latest: nothing to report
    expect(runRule(outdated, [pkg])).toEqual([]);
    expect(runRule(vulnerable, [pkg])).toEqual([]);
    expect(runRule(unpinned, [pkg])).toEqual([]);
    // it asked for the abbreviated document
    const get = front.requests.filter((r) => r.method === 'GET' && r.url === '/stripe').at(-1);
    expect(get?.headers.accept).toContain('application/vnd.npm.install-v1+json');
  });

  it('two majors behind (npm lockfile): outdated warning with the npm command', async () => {
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lockV3('21.0.0') });
    const pkg = one(res.packages);
    const [r, ...rest] = runRule(outdated, [pkg]);
    expect(rest).toEqual([]);
    expect(r.severity).toBe('warning'); // a warning at any distance: a new major alone must not fail a build
    expect(r.range).toEqual(pkg.declaration);
    expect(r.message).toContain('stripe 21.0.0 is 2 major versions behind the latest 23.1.0');
    expect(r.message).toContain('`npm install stripe@latest`');
    expect(r.message).not.toContain('judged from the declared range');
    // 21.0.0 is also in the advisory range: vulnerable, with the lowest fixed version skipping deprecated ones
    const [v] = runRule(vulnerable, [pkg]);
    expect(v.message).toContain(ADVISORY.title);
    expect(v.message).toContain(ADVISORY.url);
    expect(v.message).toContain('lowest fixed version: 22.6.1');
  });

  it('one major behind (node_modules, yarn): outdated warning with the yarn command', async () => {
    const res = await scan({
      'package.json': { name: 'app', dependencies: { stripe: '^22.6.1' } },
      'yarn.lock': '# yarn lockfile v1\n\n\nstripe@^22.6.1:\n  version "22.6.1"\n',
      'node_modules/stripe/package.json': { name: 'stripe', version: '22.6.1' },
    });
    const pkg = one(res.packages);
    expect(pkg.installed?.source).toBe('node_modules/stripe/package.json');
    const reports = runRule(outdated, [pkg]);
    expect(reports).toHaveLength(1);
    expect(reports[0].severity).toBe('warning');
    expect(reports[0].message).toContain('1 major version behind the latest 23.1.0');
    expect(reports[0].message).toContain('`yarn add stripe@latest`');
    expect(runRule(vulnerable, [pkg])).toEqual([]);
  });

  it('deprecated version (pnpm lockfile): vulnerable names the deprecation, the advisory and the lowest fixed version', async () => {
    const lock = `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      stripe:\n        specifier: 22.5.0\n        version: 22.5.0\n\npackages:\n\n  stripe@22.5.0:\n    resolution: {integrity: sha512-x==}\n`;
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '22.5.0' } }, 'pnpm-lock.yaml': lock });
    const pkg = one(res.packages);
    expect(pkg.registry?.deprecated).toBe(DEPRECATION);
    const [r] = runRule(vulnerable, [pkg]);
    expect(r.message).toContain(`deprecated on the registry: "${DEPRECATION}"`);
    expect(r.message).toContain(ADVISORY.title);
    // 22.6.0 is deprecated too, so the lowest fixed version is 22.6.1
    expect(r.message).toContain('lowest fixed version: 22.6.1');
    expect(r.fix).toContain('pnpm add stripe@22.6.1');
    const [o] = runRule(outdated, [pkg]);
    expect(o.severity).toBe('warning');
    expect(o.message).toContain('`pnpm add stripe@latest`');
  });

  it('each lockfile format feeds the same registry check (bun, yarn berry, pnpm 6, npm v1)', async () => {
    const projects: Record<string, Record<string, string | object>> = {
      bun: { 'bun.lock': '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "app", "dependencies": { "stripe": "^21.0.0", }, }, },\n  "packages": {\n    "stripe": ["stripe@21.0.0", "", {}, "sha512-x=="],\n  }\n}\n' },
      yarn: { 'yarn.lock': '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"stripe@npm:^21.0.0":\n  version: 21.0.0\n  resolution: "stripe@npm:21.0.0"\n  checksum: 10c0/aa\n  languageName: node\n  linkType: hard\n' },
      pnpm: { 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n\ndependencies:\n  stripe:\n    specifier: ^21.0.0\n    version: 21.0.0\n" },
      npm: { 'package-lock.json': { name: 'app', lockfileVersion: 1, requires: true, dependencies: { stripe: { version: '21.0.0' } } } },
    };
    for (const [pm, files] of Object.entries(projects)) {
      const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, ...files });
      const pkg = one(res.packages);
      expect(pkg.installed, pm).toMatchObject({ version: '21.0.0', fromRange: false });
      const [r] = runRule(outdated, [pkg]);
      expect(r.severity, pm).toBe('warning');
      expect(r.message, pm).toContain(pm === 'npm' ? 'npm install stripe@latest' : `${pm} add stripe@latest`);
    }
  });

  it('only a declared range: judged from its lowest version, and the message says so', async () => {
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^22.6.1' } } });
    const pkg = one(res.packages);
    expect(pkg.installed).toMatchObject({ version: '22.6.1', fromRange: true });
    const [r] = runRule(outdated, [pkg]);
    expect(r.message).toContain('judged from the declared range "^22.6.1"');
  });

  it('monorepo: two workspaces on different versions, one bulk request with both versions', async () => {
    const before = front.requests.length;
    const lock = {
      name: 'mono',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'] },
        'node_modules/stripe': { version: '23.1.0' },
        'packages/legacy/node_modules/stripe': { version: '21.0.0' },
        'packages/legacy': { name: 'legacy', dependencies: { stripe: '^21.0.0' } },
        'packages/current': { name: 'current', dependencies: { stripe: '^23.0.0' } },
      },
    };
    const res = await scan({
      'package.json': { name: 'mono', private: true, workspaces: ['packages/*'] },
      'package-lock.json': lock,
      'packages/legacy/package.json': { name: 'legacy', dependencies: { stripe: '^21.0.0' } },
      'packages/current/package.json': { name: 'current', dependencies: { stripe: '^23.0.0' } },
    });
    expect(res.packages.map((p) => [p.manifest, p.installed?.version])).toEqual([
      ['packages/current/package.json', '23.1.0'],
      ['packages/legacy/package.json', '21.0.0'],
    ]);
    const reports = runRule(outdated, res.packages);
    expect(reports.map((r) => [r.range.file, r.severity])).toEqual([['packages/legacy/package.json', 'warning']]);
    const posts = front.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0].body)).toEqual({ stripe: ['21.0.0', '23.1.0'] });
    const gets = front.requests.slice(before).filter((r) => r.method === 'GET');
    expect(gets).toHaveLength(1);
  });

  it('.npmrc discovery: the project .npmrc names the registry; the token for it comes from the user .npmrc', async () => {
    const before = front.requests.length;
    const host = new URL(front.url).host;
    const env = cleanEnv({ STRIPE_AUDIT_TEST_TOKEN: 'tok-123' });
    // like a real user .npmrc: the token comes from the environment
    fs.writeFileSync(env.npm_config_userconfig!, `//${host}/:_authToken=\${STRIPE_AUDIT_TEST_TOKEN}\n`);
    const res = await scan(
      { 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lockV3('21.0.0'), '.npmrc': `registry=${front.url}\n` },
      { registry: undefined, env },
    );
    expect(res.registryFailed).toBe(false);
    expect(one(res.packages).registry?.latest).toBe('23.1.0');
    const seen = front.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) expect(r.headers.authorization).toBe('Bearer tok-123');
  });

  it('npm_config_registry beats the user .npmrc; --registry beats both', async () => {
    const p = makeProject({ 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lockV3('21.0.0') });
    const env = cleanEnv();
    fs.writeFileSync(env.npm_config_userconfig!, 'registry=http://127.0.0.1:9/\n');
    const viaEnv = await collectStripePackages(opts(p.root, p.manifests, { registry: undefined, env: { ...env, npm_config_registry: front.url } }));
    expect(viaEnv.registryFailed).toBe(false);
    const viaFlag = await collectStripePackages(opts(p.root, p.manifests, { registry: front.url, env: { ...env, npm_config_registry: 'http://127.0.0.1:9/' } }));
    expect(viaFlag.registryFailed).toBe(false);
    const viaUser = await collectStripePackages(opts(p.root, p.manifests, { registry: undefined, env, timeoutMs: 500 }));
    expect(viaUser.registryFailed).toBe(true);
    expect(viaUser.diagnostics.map((d) => d.message).join('\n')).toContain('registry http://127.0.0.1:9/');
  });

  it('cache: a second run within the TTL does not ask; --offline with a warm cache gives the same facts', async () => {
    const p = makeProject({ 'package.json': { name: 'app', dependencies: { stripe: '22.5.0' } }, 'package-lock.json': lockV3('22.5.0') });
    const cacheDir = tempDir('sa-cache-');
    const first = await collectStripePackages(opts(p.root, p.manifests, { cacheDir }));
    const afterFirst = front.requests.length;
    const second = await collectStripePackages(opts(p.root, p.manifests, { cacheDir }));
    expect(front.requests.length).toBe(afterFirst);
    expect(second.packages[0].registry).toEqual(first.packages[0].registry);

    const off = await collectStripePackages(opts(p.root, p.manifests, { cacheDir, offline: true, registry: front.url }));
    expect(front.requests.length).toBe(afterFirst);
    expect(off.registryFailed).toBe(false);
    expect(off.packages[0].registry).toEqual(first.packages[0].registry);
    expect(runRule(vulnerable, off.packages)).toHaveLength(1);

    // the cache is keyed by registry URL: the same cache for another registry is cold
    const other = await collectStripePackages(opts(p.root, p.manifests, { cacheDir, offline: true, registry: registry.url }));
    expect(other.packages[0].registry).toBeUndefined();
    expect(other.diagnostics.filter((d) => d.kind === 'offline')).toHaveLength(2);

    // an expired entry is fetched again online…
    const expired = await collectStripePackages(opts(p.root, p.manifests, { cacheDir, cacheTtlMs: 0 }));
    expect(front.requests.length).toBe(afterFirst + 2);
    expect(expired.registryFailed).toBe(false);
    // …and used, with a note, offline
    const stale = await collectStripePackages(opts(p.root, p.manifests, { cacheDir, cacheTtlMs: 0, offline: true }));
    expect(stale.packages[0].registry?.latest).toBe('23.1.0');
    expect(stale.diagnostics.some((d) => d.kind === 'offline' && d.level === 'note')).toBe(true);
  });

  it('an unwritable cache folder is a note, not a failure', async () => {
    const notADir = path.join(tempDir('sa-cache-'), 'file');
    fs.writeFileSync(notADir, 'x');
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^23.0.0' } }, 'package-lock.json': lockV3('23.1.0') }, { cacheDir: path.join(notADir, 'sub') });
    expect(res.registryFailed).toBe(false);
    expect(res.packages[0].registry?.latest).toBe('23.1.0');
    const notes = res.diagnostics.filter((d) => d.message.startsWith('cannot write the registry cache'));
    expect(notes).toHaveLength(1);
    expect(notes[0].level).toBe('note');
    if (process.platform === 'linux') {
      // Node's recursive mkdir never returns under /proc; the cache must not hang the scan there
      const proc = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^23.0.0' } } }, { cacheDir: '/proc/stripe-audit-cannot-write' });
      expect(proc.registryFailed).toBe(false);
      expect(proc.diagnostics.some((d) => d.message.startsWith('cannot write the registry cache'))).toBe(true);
    }
  });

  it('--offline with a cold cache: no request at all, says what it skipped', async () => {
    const before = front.requests.length;
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lockV3('21.0.0') }, { offline: true });
    expect(front.requests.length).toBe(before);
    expect(res.registryFailed).toBe(false);
    expect(one(res.packages).registry).toBeUndefined();
    expect(res.diagnostics.filter((d) => d.kind === 'offline').map((d) => d.message).join('\n')).toMatch(/skipped the outdated and deprecated checks[\s\S]*skipped the advisory check for stripe@21\.0\.0/);
  });

  it('a registry without the bulk advisory endpoint (plain verdaccio): a warning, not a failure; packument checks still run', async () => {
    const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '22.5.0' } }, 'package-lock.json': lockV3('22.5.0') }, { registry: registry.url });
    expect(res.registryFailed).toBe(false);
    const pkg = one(res.packages);
    expect(pkg.registry?.latest).toBe('23.1.0');
    expect(pkg.registry?.advisoriesChecked).toBe(false);
    const diags = res.diagnostics.filter((d) => d.kind === 'registry');
    expect(diags).toHaveLength(1);
    expect(diags[0].level).toBe('warning');
    expect(diags[0].message).toContain(`registry ${registry.url} does not offer the bulk advisory endpoint`);
    expect(diags[0].message).toContain('HTTP 404');
    expect(diags[0].message).toContain('the advisory check for stripe@22.5.0 could not run on that registry');
    expect(runRule(outdated, [pkg])).toHaveLength(1);
    // the deprecation still comes from the package document
    expect(runRule(vulnerable, [pkg])[0].message).toContain(`deprecated on the registry: "${DEPRECATION}"`);
  });

  it('405 and 501 on the advisory endpoint are "unsupported" too; a 500 is a failure', async () => {
    for (const status of [405, 501, 500]) {
      const bare = await startAuditFront(registry.url, [], { bulkStatus: status });
      try {
        const res = await scan({ 'package.json': { name: 'app', dependencies: { stripe: '^23.0.0' } }, 'package-lock.json': lockV3('23.1.0') }, { registry: bare.url, timeoutMs: 3000 });
        const diag = res.diagnostics.find((d) => d.kind === 'registry');
        expect(one(res.packages).registry?.latest, String(status)).toBe('23.1.0');
        expect(res.registryFailed, String(status)).toBe(status === 500);
        expect(diag?.level, String(status)).toBe(status === 500 ? 'error' : 'warning');
        expect(diag?.message, String(status)).toContain(`HTTP ${status}`);
      } finally {
        await bare.close();
      }
    }
  });

  it('with the stripe-sdk-* rules off the registry is not asked; with only stripe-sdk-vulnerable off, advisories are not', async () => {
    const files = { 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lockV3('21.0.0') };
    const before = front.requests.length;
    const off = await scan(files, { rules: { 'stripe-sdk-outdated': 'off', 'stripe-sdk-vulnerable': 'off', 'stripe-sdk-unpinned': 'off' } });
    expect(front.requests.length).toBe(before);
    expect(off.diagnostics).toEqual([]);
    expect(one(off.packages).installed?.version).toBe('21.0.0'); // offline facts are still there (other rules use them)
    const noAdvisories = await scan(files, { rules: { 'stripe-sdk-vulnerable': 'off' } });
    const asked = front.requests.slice(before);
    expect(asked.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /stripe']);
    expect(one(noAdvisories.packages).registry?.latest).toBe('23.1.0');
  });
});

