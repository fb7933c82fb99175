// The SDK check through the real CLI (`node bin/stripe-audit.js`, built by `npm run build`): exit codes
// and stderr wording against verdaccio 6.8.0 (+ the loopback audit front that answers the bulk advisory
// endpoint, which verdaccio lacks; see test/helpers/registry-servers.ts) and against failing loopback
// registries. Exit codes: 1 findings, 3 registry unreachable (unless findings already give 1).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerdaccio, type Verdaccio } from './helpers/registry-verdaccio.js';
import { closedPort, startAuditFront, startFailingServer, type TestServer } from './helpers/registry-servers.js';
import { cleanEnv, makeProject, tempDir, removeTempDirs } from './helpers/registry-project.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(REPO, 'bin', 'stripe-audit.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: { findings: Array<{ ruleId: string; severity: string; message: string; file: string; startLine: number }>; summary: { registryFailed: boolean } };
}

function cli(args: string[], cacheDir = tempDir('sa-cache-')): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--format', 'json'], { env: cleanEnv({ STRIPE_AUDIT_CACHE_DIR: cacheDir, NO_COLOR: '1' }), timeout: 30_000 }, (err, stdout, stderr) => {
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

let registry: Verdaccio;
let front: TestServer;
let hang: TestServer;

beforeAll(async () => {
  registry = await startVerdaccio();
  for (const v of ['21.0.0', '22.6.1', '23.0.0', '23.1.0']) await registry.publish(v);
  front = await startAuditFront(registry.url, []);
  hang = await startFailingServer('hang');
}, 60_000);

afterAll(async () => {
  await hang?.close();
  await front?.close();
  await registry?.stop();
  removeTempDirs();
});

const STRIPE_LINE = 4; // "stripe" key in the package.json below
const project = (spec: string, locked: string) =>
  makeProject({
    'package.json': `{\n  "name": "app",\n  "dependencies": {\n    "stripe": "${spec}"\n  }\n}\n`,
    'package-lock.json': { name: 'app', lockfileVersion: 3, requires: true, packages: { '': { name: 'app', dependencies: { stripe: spec } }, 'node_modules/stripe': { version: locked } } },
    'src/pay.ts': "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n",
  }).root;

describe.concurrent('stripe-audit CLI, SDK check', () => {
  it('exits 1 on a stripe two majors behind, reported at the "stripe" key', async () => {
    const root = project('^21.0.0', '21.0.0');
    const r = await cli([root, '--registry', front.url]);
    expect(r.code, r.stderr).toBe(1);
    const f = r.json.findings.filter((x) => x.ruleId === 'stripe-sdk-outdated');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', file: 'package.json', startLine: STRIPE_LINE });
    expect(f[0].message).toContain('stripe 21.0.0 is 2 major versions behind the latest 23.1.0');
    expect(r.json.summary.registryFailed).toBe(false);
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

  it('exits 3 on a registry that never answers, within --registry-timeout', async () => {
    const started = Date.now();
    const r = await cli([project('^23.1.0', '23.1.0'), '--registry', hang.url, '--registry-timeout', '300']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('timeout: no complete answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

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
    expect(warm.code, warm.stderr).toBe(1);
    expect(warm.json.findings.map((x) => x.ruleId)).toContain('stripe-sdk-outdated');
  });
});
