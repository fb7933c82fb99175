// The SDK check through the real CLI (`node bin/stripe-audit.js`, built by `npm run build`): exit codes
// and stderr wording against verdaccio 6.8.0 (+ the loopback audit front that answers the bulk advisory
// endpoint, which verdaccio lacks; see test/helpers/registry-servers.ts) and against failing loopback
// registries. Exit codes: 1 findings, 2 usage errors, 3 registry unreachable (unless findings already give 1).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stripeRegistry } from './helpers/stripe-registry.js';
import { closedPort, startAuditFront, startFailingServer, type TestServer } from './helpers/registry-servers.js';
import { cleanEnv, makeProject, tempDir, removeTempDirs } from './helpers/registry-project.js';
import { NO_WORKER } from './helpers/run-cli.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(REPO, 'bin', 'stripe-audit.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: { findings: Array<{ ruleId: string; severity: string; message: string; file: string; startLine: number }>; summary: { registryFailed: boolean } };
}

function cli(args: string[], cacheDir = tempDir('sa-cache-'), opts: { format?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const format = opts.format ?? 'json';
    // A generous budget unless a test sets its own (a later option wins): on a loaded 2-core machine a
    // CLI run's main thread can be busy for seconds while the registry answer waits.
    execFile(process.execPath, [BIN, '--registry-timeout', '60000', ...args, '--format', format], { cwd: opts.cwd, env: cleanEnv({ STRIPE_AUDIT_CACHE_DIR: cacheDir, NO_COLOR: '1', ...NO_WORKER }), timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      let json: CliRun['json'];
      try {
        json = JSON.parse(stdout);
      } catch {
        json = { findings: [], summary: { registryFailed: false } };
      }
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr, json });
    });
  });
}

let registry: { url: string; stop: () => Promise<void> };
let front: TestServer;
let noBulk: TestServer; // reached, but the advisory endpoint answers 405
let hang: TestServer;
let counting: TestServer; // must never be asked

beforeAll(async () => {
  // 21.0.0 … 23.1.0 (latest): test/helpers/stripe-registry.ts.
  registry = await stripeRegistry(inject('stripeRegistry'));
  front = await startAuditFront(registry.url, []);
  noBulk = await startAuditFront(registry.url, [], { bulkStatus: 405 });
  hang = await startFailingServer('hang');
  counting = await startFailingServer('http500');
}, 60_000);

afterAll(async () => {
  await hang?.close();
  await counting?.close();
  await noBulk?.close();
  await front?.close();
  await registry?.stop();
  removeTempDirs();
});

// Tests that start several CLI runs (or read a large hostile file) get more time: on a loaded 2-core
// machine one run can take 30 s.
const SEVERAL_RUNS = 150_000;

const STRIPE_LINE = 4; // "stripe" key in the package.json below
const project = (spec: string, locked: string) =>
  makeProject({
    'package.json': `{\n  "name": "app",\n  "dependencies": {\n    "stripe": "${spec}"\n  }\n}\n`,
    'package-lock.json': { name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', dependencies: { stripe: spec } }, 'node_modules/stripe': { version: locked } } },
    'src/pay.ts': "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n",
  }).root;

describe.concurrent('stripe-audit CLI, SDK check', () => {
  it('a stripe two majors behind is a warning at the "stripe" key (exit 0)', async () => {
    const root = project('^21.0.0', '21.0.0');
    const r = await cli([root, '--registry', front.url]);
    expect(r.code, r.stderr).toBe(0);
    const f = r.json.findings.filter((x) => x.ruleId === 'stripe-sdk-outdated');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', file: 'package.json', startLine: STRIPE_LINE });
    expect(f[0].message).toContain('stripe 21.0.0 is 2 major versions behind the latest 23.1.0');
    expect(r.json.summary.registryFailed).toBe(false);
  });

  it('the config can raise stripe-sdk-outdated to an error (exit 1)', async () => {
    const root = project('^21.0.0', '21.0.0');
    fs.writeFileSync(path.join(root, 'stripe-audit.config.json'), JSON.stringify({ rules: { 'stripe-sdk-outdated': 'error' } }));
    const raised = await cli([root, '--registry', front.url]);
    expect(raised.code, raised.stderr).toBe(1);
    expect(raised.json.findings.find((x) => x.ruleId === 'stripe-sdk-outdated')?.severity).toBe('error');
  });

  it('exits 0 on the latest stripe', async () => {
    const root = project('^23.1.0', '23.1.0');
    const r = await cli([root, '--registry', front.url]);
    expect(r.json.findings.filter((x) => x.ruleId.startsWith('stripe-sdk-'))).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('exits 3 when the registry refuses connections, and says which registry and how', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const r = await cli([project('^23.1.0', '23.1.0'), '--registry', url]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`registry ${url}: could not get the stripe package document: connection refused`);
    expect(r.json.summary.registryFailed).toBe(true);
  });

  it('exits 3 on a registry that never answers; --registry-timeout is the budget of the whole check (no retry after it)', async () => {
    const before = hang.connections();
    const r = await cli([project('^23.1.0', '23.1.0'), '--registry', hang.url, '--registry-timeout', '300']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('timeout: no complete answer within 300 ms (--registry-timeout, the budget of the whole SDK check)');
    // at most one attempt each for the package document and the advisories (fewer when the budget ran out before a connection)
    expect(hang.connections() - before).toBeGreaterThanOrEqual(1);
    expect(hang.connections() - before).toBeLessThanOrEqual(2);
  });

  it('a registry without the bulk advisory endpoint: exit 0 with a warning in text, json, sarif and github', async () => {
    const root = project('^23.1.0', '23.1.0');
    const said = 'does not offer the bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk answered HTTP 405): the advisory check for stripe@23.1.0 could not run on that registry';
    const [json, sarif, github] = await Promise.all([cli([root, '--registry', noBulk.url]), cli([root, '--registry', noBulk.url], undefined, { format: 'sarif' }), cli([root, '--registry', noBulk.url], undefined, { format: 'github' })]);
    for (const r of [json, sarif, github]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`stripe-audit: warning: registry ${noBulk.url} ${said}`); // the text form, on stderr in every format
    }
    const diag = (JSON.parse(json.stdout).diagnostics as Array<{ level: string; message: string }>).find((d) => d.message.includes(said));
    expect(diag?.level).toBe('warning');
    expect(JSON.parse(json.stdout).summary.registryFailed).toBe(false);
    const notes = JSON.parse(sarif.stdout).runs[0].invocations[0].toolExecutionNotifications as Array<{ level: string; message: { text: string } }>;
    expect(notes.find((n) => n.message.text.includes(said))?.level).toBe('warning');
    expect(github.stdout.split('\n').filter((l) => l.startsWith('::warning::stripe-audit: ') && l.includes(said))).toHaveLength(1);
  }, SEVERAL_RUNS);

  it('with every stripe-sdk-* rule off, the registry is not asked at all', async () => {
    const root = project('latest', '21.0.0');
    fs.writeFileSync(path.join(root, 'stripe-audit.config.json'), JSON.stringify({ rules: { 'stripe-sdk-outdated': 'off', 'stripe-sdk-vulnerable': 'off', 'stripe-sdk-unpinned': 'off' } }));
    const r = await cli([root, '--registry', counting.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(counting.connections()).toBe(0);
    expect(r.json.findings.filter((x) => x.ruleId.startsWith('stripe-sdk-'))).toEqual([]);
  });

  it('scanning a subfolder (as a path, or from inside it) checks the package.json above it, reported as ../package.json', async () => {
    const root = project('^21.0.0', '21.0.0');
    fs.mkdirSync(path.join(root, 'lib'));
    fs.renameSync(path.join(root, 'src', 'pay.ts'), path.join(root, 'lib', 'pay.ts'));
    execFileSync('git', ['init', '-q', root]);
    const cacheDir = tempDir('sa-cache-');
    const [asPath, inside] = await Promise.all([cli([path.join(root, 'lib'), '--registry', front.url], cacheDir), cli(['--registry', front.url], cacheDir, { cwd: path.join(root, 'lib') })]);
    for (const r of [asPath, inside]) {
      const f = r.json.findings.filter((x) => x.ruleId === 'stripe-sdk-outdated');
      expect(f.map((x) => [x.file, x.startLine]), r.stderr).toEqual([['../package.json', STRIPE_LINE]]);
    }
  }, SEVERAL_RUNS);

  it('usage errors (exit 2): a timeout over 2^31-1 ms, a --registry that is not an http(s) URL; passwords stay masked', async () => {
    const root = project('^23.1.0', '23.1.0');
    const over = await cli([root, '--registry-timeout', String(2 ** 31)]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('--registry-timeout takes a positive number of milliseconds up to 2147483647');
    expect(over.stderr).not.toContain('TimeoutOverflowWarning');
    const bads = ['ftp://127.0.0.1/', 'http://deploy:se/cr3t@127.0.0.1/']; // the second does not parse as a URL
    const runs = await Promise.all(bads.map((bad) => cli([root, '--registry', bad])));
    for (const [i, bad] of bads.entries()) {
      const r = runs[i];
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('--registry takes an http(s) URL');
      expect(r.stderr, bad).not.toContain('cr3t');
    }
    // The same in the config file: its error message quotes the value with the password masked.
    const configured = project('^23.1.0', '23.1.0');
    fs.writeFileSync(path.join(configured, 'stripe-audit.config.json'), JSON.stringify({ registry: 'ftp://deploy:cr3t@127.0.0.1/' }));
    const fromConfig = await cli([configured]);
    expect(fromConfig.code).toBe(2);
    expect(fromConfig.stderr).toContain('registry: expected an http(s) URL, got "ftp://***@127.0.0.1/"');
    expect(fromConfig.stderr).not.toContain('cr3t');
  }, SEVERAL_RUNS);

  it('hostile package files: a non-semver installed version and a package.json nested 200k deep are notes, not crashes', async () => {
    const root = project('^21.0.0', '21.0.0');
    fs.mkdirSync(path.join(root, 'node_modules', 'stripe'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'stripe', 'package.json'), JSON.stringify({ name: 'stripe', version: '17.4.0 || 1.0.0' }));
    fs.mkdirSync(path.join(root, 'deep'));
    fs.writeFileSync(path.join(root, 'deep', 'package.json'), '{"a":'.repeat(200_000));
    const r = await cli([root, '--registry', front.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/TypeError|RangeError|internal error|\n\s+at /);
    expect(r.stderr).toContain('node_modules/stripe/package.json: "version" is not a semver version');
    expect(r.stderr).toContain('deep/package.json: nested deeper than');
    expect(r.json.findings.find((x) => x.ruleId === 'stripe-sdk-outdated')?.message).toContain('stripe 21.0.0 is 2 major'); // from the lockfile
  }, SEVERAL_RUNS);

  it('findings still exit 1 when the registry also failed', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const r = await cli([project('latest', '23.1.0'), '--registry', url, '--fail-on', 'warning']);
    expect(r.json.findings.map((x) => x.ruleId)).toContain('stripe-sdk-unpinned');
    expect(r.code, r.stderr).toBe(1);
  });

  it('--offline: cold cache exits 0 and says what it skipped; warm cache reports from the cache', async () => {
    const root = project('^21.0.0', '21.0.0');
    const cacheDir = tempDir('sa-cache-');
    const cold = await cli([root, '--registry', front.url, '--offline'], cacheDir);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toContain('--offline: skipped the outdated and deprecated checks');
    const before = front.requests.length;
    await cli([root, '--registry', front.url], cacheDir); // warms the cache
    expect(front.requests.length).toBeGreaterThan(before);
    const afterWarm = front.requests.length;
    const warm = await cli([root, '--registry', front.url, '--offline'], cacheDir);
    expect(front.requests.length).toBe(afterWarm);
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.json.findings.map((x) => x.ruleId)).toContain('stripe-sdk-outdated');
  }, SEVERAL_RUNS);
});
