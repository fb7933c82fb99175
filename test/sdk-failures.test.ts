// Registry failures: each one must end as a diagnostic that names the registry (credentials masked) and
// how it failed, set registryFailed, keep every offline fact, and never throw. All servers are on
// loopback: a closed port, a server that never answers, one that answers 500, one that answers garbage
// and one that answers JSON of the wrong shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStripePackages, type SdkOptions } from '../src/sdk/index.js';
import { describeFailure, parseAdvisories, parsePackument } from '../src/sdk/registry.js';
import outdated from '../rules/stripe-sdk-outdated.js';
import vulnerable from '../rules/stripe-sdk-vulnerable.js';
import unpinned from '../rules/stripe-sdk-unpinned.js';
import { closedPort, startFailingServer, type TestServer } from './helpers/registry-servers.js';
import { cleanEnv, makeProject, runRule, tempDir, removeTempDirs } from './helpers/registry-project.js';

let hang: TestServer;
let http500: TestServer;
let garbage: TestServer;
let wrongShape: TestServer;

beforeAll(async () => {
  [hang, http500, garbage, wrongShape] = await Promise.all([
    startFailingServer('hang'),
    startFailingServer('http500'),
    startFailingServer('garbage'),
    startFailingServer('wrong-shape'),
  ]);
});
afterAll(async () => {
  await Promise.all([hang, http500, garbage, wrongShape].map((s) => s?.close()));
  removeTempDirs();
});

function project() {
  // "latest" is unpinned: that finding must survive any registry failure.
  return makeProject({
    'package.json': { name: 'app', dependencies: { stripe: 'latest' }, devDependencies: {} },
    'package-lock.json': { name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/stripe': { version: '21.0.0' } } },
  });
}

async function run(registry: string, timeoutMs = 2000, extra: Partial<SdkOptions> = {}) {
  const p = project();
  const started = Date.now();
  const res = await collectStripePackages({ root: p.root, manifests: p.manifests, offline: false, registry, timeoutMs, cacheDir: tempDir('sa-cache-'), env: cleanEnv(), ...extra });
  const registryDiags = res.diagnostics.filter((d) => d.kind === 'registry');
  return { ...res, ms: Date.now() - started, messages: registryDiags.map((d) => d.message), registryDiags };
}

function commonChecks(res: Awaited<ReturnType<typeof run>>, registryShown: string) {
  expect(res.registryFailed).toBe(true);
  expect(res.messages).toHaveLength(2); // package document and advisories
  for (const m of res.messages) expect(m).toContain(`registry ${registryShown}`);
  for (const d of res.registryDiags) expect(d.level).toBe('error');
  const pkg = res.packages[0];
  expect(pkg.installed?.version).toBe('21.0.0'); // offline facts kept
  expect(pkg.registry).toBeUndefined();
  expect(runRule(outdated, res.packages)).toEqual([]);
  expect(runRule(vulnerable, res.packages)).toEqual([]);
  expect(runRule(unpinned, res.packages)).toHaveLength(1);
}

describe('registry failures', () => {
  it('closed port: connection refused, after retries', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/`;
    const res = await run(url);
    commonChecks(res, url);
    for (const m of res.messages) expect(m).toMatch(/connection refused after 3 attempts/);
  });

  it('a server that never answers: timeout (3 attempts each, bounded time)', async () => {
    const before = hang.connections();
    const res = await run(hang.url, 300);
    commonChecks(res, hang.url);
    for (const m of res.messages) expect(m).toContain('timeout: no complete answer within 300 ms after 3 attempts');
    expect(hang.connections() - before).toBe(6); // 2 requests × (1 + 2 retries)
  });

  it('HTTP 500: retried, then reported with the status', async () => {
    const before = http500.requests.length;
    const res = await run(http500.url);
    commonChecks(res, http500.url);
    for (const m of res.messages) expect(m).toContain('HTTP 500 after 3 attempts');
    expect(http500.requests.length - before).toBe(6);
  });

  it('garbage body: invalid JSON, not retried, not a crash', async () => {
    const before = garbage.requests.length;
    const res = await run(garbage.url);
    commonChecks(res, garbage.url);
    for (const m of res.messages) expect(m).toContain('invalid JSON in the response');
    expect(garbage.requests.length - before).toBe(2);
  });

  it('JSON of the wrong shape is a failure too', async () => {
    const res = await run(wrongShape.url);
    expect(res.registryFailed).toBe(true);
    expect(res.messages.join('\n')).toContain('unexpected JSON: the package document has no valid dist-tags.latest');
    expect(res.messages.join('\n')).toContain('unexpected JSON: advisories for "stripe" are not a list');
  });

  it('credentials in the registry URL are masked in messages', async () => {
    const port = await closedPort();
    const res = await run(`http://deploy:s3cr3t-pass@127.0.0.1:${port}/npm/`);
    expect(res.registryFailed).toBe(true);
    const text = res.messages.join('\n');
    expect(text).not.toContain('s3cr3t-pass');
    expect(text).toContain(`registry http://***@127.0.0.1:${port}/npm/`);
  });

  it('a failed answer is not cached: the next run asks again', async () => {
    const cacheDir = tempDir('sa-cache-');
    const before = garbage.requests.length;
    await run(garbage.url, 2000, { cacheDir });
    await run(garbage.url, 2000, { cacheDir });
    expect(garbage.requests.length - before).toBe(4);
  });

});

describe('failure wording and answer parsing (no network)', () => {
  it('names DNS failures, TLS errors, auth and HTTP statuses', () => {
    expect(describeFailure(Object.assign(new Error('getaddrinfo ENOTFOUND npm.example.invalid'), { code: 'ENOTFOUND' }), 1000).text).toBe('DNS lookup failed (ENOTFOUND)');
    expect(describeFailure(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), 1000).text).toBe('TLS error (CERT_HAS_EXPIRED)');
    expect(describeFailure({ statusCode: 401, message: 'Unauthorized' }, 1000).text).toContain('HTTP 401 (not authorised');
    expect(describeFailure({ statusCode: 503 }, 1000)).toEqual({ text: 'HTTP 503', transient: true });
    expect(describeFailure({ statusCode: 404 }, 1000).transient).toBe(false);
  });

  it('parses an abbreviated packument, ignoring un-deprecations and invalid versions', () => {
    const p = parsePackument({
      name: 'stripe',
      'dist-tags': { latest: '23.1.0', beta: '24.0.0-beta.1' },
      versions: { '23.1.0': {}, '22.0.0': { deprecated: '' }, '21.0.0': { deprecated: 'old' }, 'not-a-version': {} },
      modified: '2026-10-29T00:00:00.000Z',
    });
    expect(p).toEqual({ latest: '23.1.0', versions: ['21.0.0', '22.0.0', '23.1.0'], deprecated: { '21.0.0': 'old' } });
    expect(() => parsePackument({ 'dist-tags': { latest: 'nope' }, versions: {} })).toThrow(/dist-tags\.latest/);
    expect(() => parsePackument([1, 2])).toThrow(/not an object/);
  });

  it('parses the bulk advisories answer (empty object = no advisories)', () => {
    expect(parseAdvisories({})).toEqual([]);
    const list = parseAdvisories({ stripe: [{ id: 7, url: 'https://x.test/a', title: 'T', severity: 'low', vulnerable_versions: '<2.0.0' }, { id: 8, vulnerable_versions: 'not a range ((' }] });
    expect(list).toEqual([{ id: 7, url: 'https://x.test/a', title: 'T', severity: 'low', vulnerableVersions: '<2.0.0' }]);
  });
});
