// The SDK check on a repository that does not deserve trust, against loopback servers that record what
// they receive: the project .npmrc may name the registry to read from but never sends a credential,
// picks a proxy or turns TLS checks off; a credential goes only to the host it is scoped to (also across
// redirects); a registry answer is capped in size; cache entries and installed versions of the wrong
// shape are notes; a package.json nested 200k deep is a clear note. Every hostile input is built here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStripePackages, type SdkOptions } from '../src/sdk/index.js';
import { resolveNpmConfig } from '../src/sdk/npmrc.js';
import { maskUrl } from '../src/sdk/mask-url.js';
import { MAX_RESPONSE_BYTES } from '../src/sdk/registry.js';
import {
  closedPort,
  HUGE_BYTES,
  hugeSent,
  packumentOf,
  startAuditFront,
  startFailingServer,
  startRecordingProxy,
  startRedirector,
  type Recorded,
  type TestServer,
} from './helpers/registry-servers.js';
import { cleanEnv, makeProject, removeTempDirs, tempDir } from './helpers/registry-project.js';

const VERSIONS = ['21.0.0', '22.6.1', '23.1.0'];
const SECRET = 'ci-secret-7f3a9c1e';
const USER_TOKEN = 'user-token-b81d44';

let registry: TestServer; // the user's registry
let attacker: TestServer; // a registry the repository names
let proxy: TestServer;
let huge: TestServer;
let hugeDeclared: TestServer;

beforeAll(async () => {
  [registry, attacker, proxy, huge, hugeDeclared] = await Promise.all([
    startAuditFront(undefined, [], { versions: VERSIONS }),
    startAuditFront(undefined, [], { versions: VERSIONS }),
    startRecordingProxy(),
    startFailingServer('huge'),
    startFailingServer('huge-declared'),
  ]);
});
afterAll(async () => {
  await Promise.all([registry, attacker, proxy, huge, hugeDeclared].map((s) => s?.close()));
  removeTempDirs();
});

const lock = (version: string) => ({ name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app' }, 'node_modules/stripe': { version } } });
const APP = { 'package.json': { name: 'app', dependencies: { stripe: '^21.0.0' } }, 'package-lock.json': lock('21.0.0') };

/** An environment whose user .npmrc holds `userNpmrc`, with CI_SECRET set. */
function envWith(userNpmrc: string): NodeJS.ProcessEnv {
  const env = cleanEnv({ CI_SECRET: SECRET });
  fs.writeFileSync(env.npm_config_userconfig!, userNpmrc);
  return env;
}

async function run(files: Record<string, string | object>, extra: Partial<SdkOptions> = {}) {
  const p = makeProject(files);
  return collectStripePackages({ root: p.root, manifests: p.manifests, offline: false, timeoutMs: 5000, cacheDir: tempDir('sa-cache-'), env: cleanEnv(), ...extra });
}

const everything = (reqs: Recorded[]) => reqs.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`).join('\n');

describe('the project .npmrc is untrusted', () => {
  it('its registry is read from, but its credentials (even ${VAR} ones) are never sent, nor the user token for another host', async () => {
    const before = attacker.requests.length;
    const res = await run(
      {
        ...APP,
        '.npmrc': [`registry=${attacker.url}`, `//127.0.0.1:${attacker.port}/:_authToken=\${CI_SECRET}`, `//127.0.0.1:${attacker.port}/:_auth=\${CI_SECRET}`, '_authToken=${CI_SECRET}', ''].join('\n'),
      },
      { registry: undefined, env: envWith(`//127.0.0.1:${registry.port}/:_authToken=${USER_TOKEN}\n`) },
    );
    const seen = attacker.requests.slice(before);
    expect(seen.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /stripe', 'POST /-/npm/v1/security/advisories/bulk']);
    for (const r of seen) expect(r.headers.authorization).toBeUndefined();
    expect(everything(seen)).not.toContain(SECRET);
    expect(everything(seen)).not.toContain(USER_TOKEN);
    expect(res.registryFailed).toBe(false);
    expect(res.packages[0].registry?.latest).toBe('23.1.0');
    const note = res.diagnostics.find((d) => d.message.startsWith('ignored in the project .npmrc'));
    expect(note?.level).toBe('note');
    expect(note?.message).toContain(`//127.0.0.1:${attacker.port}/:_authToken`);
    expect(note?.message).not.toContain(SECRET);
  });

  it('a registry URL with ${VAR} in the project .npmrc is not used (the secret would travel in the URL)', async () => {
    const [beforeA, beforeR] = [attacker.requests.length, registry.requests.length];
    const res = await run({ ...APP, '.npmrc': `registry=${attacker.url}\${CI_SECRET}/\n` }, { registry: undefined, env: envWith(`registry=${registry.url}\n`) });
    expect(attacker.requests.length).toBe(beforeA);
    expect(registry.requests.length).toBeGreaterThan(beforeR);
    expect(everything(registry.requests)).not.toContain(SECRET);
    expect(res.diagnostics.map((d) => d.message).join('\n')).toContain('registry (it uses an environment variable)');
  });

  it('its proxy settings are ignored: the user token goes straight to its registry, never through the repository proxy', async () => {
    const before = registry.requests.length;
    const res = await run(
      { ...APP, '.npmrc': [`registry=${registry.url}`, `proxy=${proxy.url}`, `https-proxy=${proxy.url}`, 'noproxy=', ''].join('\n') },
      { registry: undefined, env: envWith(`//127.0.0.1:${registry.port}/:_authToken=${USER_TOKEN}\n`) },
    );
    expect(proxy.connections()).toBe(0);
    expect(res.registryFailed).toBe(false);
    const seen = registry.requests.slice(before);
    expect(seen.length).toBe(2);
    for (const r of seen) expect(r.headers.authorization).toBe(`Bearer ${USER_TOKEN}`);
  });

  it('a proxy in the user .npmrc is used (the proxy check above can see a proxied request)', async () => {
    const before = proxy.connections();
    const res = await run(APP, { registry: registry.url, env: envWith(`proxy=${proxy.url}\n`), timeoutMs: 2000 });
    expect(proxy.connections()).toBeGreaterThan(before);
    expect(res.registryFailed).toBe(true); // the recording proxy answers 502
  });

  it('the global npmrc still applies (its token for the registry is sent there)', async () => {
    const env = envWith('');
    fs.writeFileSync(env.npm_config_globalconfig!, `//127.0.0.1:${registry.port}/:_authToken=\${CI_SECRET}\n`);
    const before = registry.requests.length;
    await run(APP, { registry: registry.url, env });
    const seen = registry.requests.slice(before);
    expect(seen.length).toBe(2);
    for (const r of seen) expect(r.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('TLS settings and certificates come from trusted config only', () => {
    const root = makeProject({ '.npmrc': 'strict-ssl=false\ncafile=/etc/hostname\nca=x\ncert=x\nkey=x\n' }).root;
    const fromProject = resolveNpmConfig({ root, env: envWith('') });
    expect(fromProject.fetchOptions.strictSSL).toBeUndefined();
    expect(fromProject.fetchOptions.ca).toBeUndefined();
    expect(fromProject.ignored.join()).toMatch(/strict-ssl.*cafile/);
    const fromUser = resolveNpmConfig({ root, env: envWith('strict-ssl=false\n') });
    expect(fromUser.fetchOptions.strictSSL).toBe(false);
  });

  it('a redirect to another port does not carry the token scoped to the first', async () => {
    const hop = await startRedirector(attacker.url);
    try {
      const before = attacker.requests.length;
      const res = await run(APP, { registry: hop.url, env: envWith(`//127.0.0.1:${hop.port}/:_authToken=${USER_TOKEN}\n`) });
      expect(hop.requests.length).toBe(2);
      for (const r of hop.requests) expect(r.headers.authorization).toBe(`Bearer ${USER_TOKEN}`);
      const seen = attacker.requests.slice(before);
      expect(seen.length).toBe(2); // followed…
      expect(everything(seen)).not.toContain(USER_TOKEN); // …without the credential
      expect(res.packages[0].registry?.latest).toBe('23.1.0');
    } finally {
      await hop.close();
    }
  });
});

describe('registry answers are capped', () => {
  it(`a body streamed past ${MAX_RESPONSE_BYTES / 1048576} MB without a length fails as unreachable, and reading stops`, async () => {
    hugeSent.bytes = 0;
    const res = await run(APP, { registry: huge.url, timeoutMs: 20_000 });
    expect(res.registryFailed).toBe(true);
    const messages = res.diagnostics.filter((d) => d.kind === 'registry' && d.level === 'error').map((d) => d.message);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toContain('the answer is larger than 32 MB');
    expect(hugeSent.bytes).toBeLessThan(2 * HUGE_BYTES); // both requests stopped before the end
  });

  it('a declared length over the cap fails before the body is read', async () => {
    const res = await run(APP, { registry: hugeDeclared.url, timeoutMs: 20_000 });
    expect(res.registryFailed).toBe(true);
    expect(res.diagnostics.map((d) => d.message).join('\n')).toContain('the answer is larger than 32 MB');
  });
});

describe('bad data read from the cache and from package files', () => {
  const cacheFile = (cacheDir: string, registryUrl: string, key: string) =>
    path.join(cacheDir, 'registry', crypto.createHash('sha256').update(registryUrl).digest('hex').slice(0, 16), `${key}.json`);
  const writeEntry = (cacheDir: string, key: string, entry: unknown) => {
    const file = cacheFile(cacheDir, registry.url, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(entry));
  };
  const entry = (value: unknown, fetchedAt = Date.now()) => ({ schema: 2, registry: registry.url, fetchedAt, value });

  it('cache entries of the wrong shape are notes, offline and online (then asked again)', async () => {
    const cases: Array<[string, unknown]> = [
      ['value of the wrong shape', entry({ latest: 23, versions: 'all' })],
      ['older schema', { registry: registry.url, fetchedAt: Date.now(), value: packumentOf(VERSIONS) }],
      ['not an object', [1, 2, 3]],
      ['versions that are not semver', entry({ latest: '23.1.0', versions: ['17.4.0 || 1.0.0'], deprecated: {} })],
    ];
    for (const [what, bad] of cases) {
      const cacheDir = tempDir('sa-cache-');
      writeEntry(cacheDir, 'packument-stripe', bad);
      writeEntry(cacheDir, 'advisories-stripe-21.0.0', entry([{ title: 7 }]));
      const offline = await run(APP, { registry: registry.url, cacheDir, offline: true });
      expect(offline.diagnostics.filter((d) => d.kind === 'internal'), what).toEqual([]);
      const notes = offline.diagnostics.filter((d) => d.message.startsWith('ignored the registry cache entry'));
      expect(notes.map((d) => d.level), what).toEqual(['note', 'note']);
      expect(offline.packages[0].registry, what).toBeUndefined();
      const before = registry.requests.length;
      const online = await run(APP, { registry: registry.url, cacheDir });
      expect(registry.requests.length - before, what).toBe(2);
      expect(online.packages[0].registry?.latest, what).toBe('23.1.0');
    }
  });

  it('an entry written in the future is not trusted (it would never expire)', async () => {
    const cacheDir = tempDir('sa-cache-');
    const future = Date.now() + 365 * 24 * 3600 * 1000;
    writeEntry(cacheDir, 'packument-stripe', entry({ latest: '21.0.0', versions: ['21.0.0'], deprecated: {} }, future));
    const before = registry.requests.length;
    const res = await run(APP, { registry: registry.url, cacheDir, rules: { 'stripe-sdk-vulnerable': 'off' } });
    expect(registry.requests.length - before).toBe(1);
    expect(res.packages[0].registry?.latest).toBe('23.1.0');
    expect(res.diagnostics.map((d) => d.message).join('\n')).toContain('fetchedAt lies in the future');
  });

  it('a non-semver version in node_modules/stripe/package.json is a note; the lockfile decides', async () => {
    const res = await run({ ...APP, 'node_modules/stripe/package.json': { name: 'stripe', version: '17.4.0 || 1.0.0' } }, { offline: true, registry: registry.url });
    expect(res.diagnostics.filter((d) => d.kind === 'internal')).toEqual([]);
    const note = res.diagnostics.find((d) => d.file === 'node_modules/stripe/package.json');
    expect(note?.level).toBe('note');
    expect(note?.message).toContain('is not a semver version');
    expect(res.packages[0].installed).toMatchObject({ version: '21.0.0', source: 'package-lock.json' });
  });

  it('a package.json nested 200k deep (broken or not) is a broken-package.json diagnostic, not a crash', async () => {
    const deepBroken = '{"a":'.repeat(200_000);
    const deepValid = `{"dependencies":{"stripe":"^21.0.0"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const text of [deepBroken, deepValid]) {
      const res = await run({ 'package.json': text, 'lib/package.json': APP['package.json'], 'lib/package-lock.json': lock('21.0.0') }, { offline: true, registry: registry.url });
      expect(res.diagnostics.filter((d) => d.kind === 'internal')).toEqual([]);
      const broken = res.diagnostics.find((d) => d.file === 'package.json');
      expect(broken?.message).toContain('nested deeper than');
      expect(res.packages.map((p) => p.manifest)).toEqual(['lib/package.json']); // the scan went on
    }
  });
});

describe('the package.json that governs a subfolder', () => {
  it('a scan root without one uses the nearest above it, reported relative to the scan root', async () => {
    const p = makeProject({ ...APP, 'lib/deep/pay.ts': 'export {};\n' });
    const res = await collectStripePackages({ root: path.join(p.root, 'lib', 'deep'), manifests: [], offline: true, timeoutMs: 1000, registry: registry.url, cacheDir: tempDir('sa-cache-'), env: cleanEnv() });
    expect(res.packages.map((x) => [x.manifest, x.declaration.file, x.installed?.version])).toEqual([['../../package.json', '../../package.json', '21.0.0']]);
  });

  it('never looks above the top of the git work tree', async () => {
    const p = makeProject({ ...APP, 'repo/lib/pay.ts': 'export {};\n' });
    execFileSync('git', ['init', '-q', path.join(p.root, 'repo')]);
    const res = await collectStripePackages({ root: path.join(p.root, 'repo', 'lib'), manifests: [], offline: true, timeoutMs: 1000, registry: registry.url, cacheDir: tempDir('sa-cache-'), env: cleanEnv() });
    expect(res.packages).toEqual([]);
  });
});

describe('masked registry URLs', () => {
  const passwords = ['p@ss@word', 'a:b:c', 'p%40ss', 'Zq', `L${'0123456789'.repeat(60)}`, 'pa/ss?x#y'];
  it('never show any part of the password, however odd', async () => {
    const port = await closedPort();
    for (const pw of passwords) {
      const url = `http://deploy:${pw}@127.0.0.1:${port}/npm/`;
      const shown = maskUrl(url);
      for (const part of pw.split(/[@:/?#%]/).filter((x) => x.length >= 2)) expect(shown, pw).not.toContain(part);
      expect(shown, pw).toContain('***');
    }
    // and in the failure messages of a real run
    const res = await run(APP, { registry: `http://deploy:${passwords[0]}@127.0.0.1:${port}/npm/`, timeoutMs: 1000 });
    expect(res.registryFailed).toBe(true);
    expect(res.diagnostics.map((d) => d.message).join('\n')).not.toMatch(/ss@word|word@/);
  });
});
