// `stripe-audit init` through the CLI (build first): the workflow it writes for each package manager,
// parsed as YAML and checked step by step; where it writes (the git root); and what it refuses (a
// missing folder, symbolic links, special files, overwriting without --force).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cliEnv, REPO_ROOT, runCli, tempDirs, writeFiles } from './helpers/run-cli.js';

const temps = tempDirs('sa-init-');
afterAll(temps.cleanup);
const ENV = cliEnv(temps.make(), { worker: false });
const WORKFLOW = '.github/workflows/stripe-audit.yml';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const ROUTES = [
  "import express from 'express';",
  "import Stripe from 'stripe';",
  'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);',
  'export const app = express();',
  "app.post('/refund', express.json(), async (req, res) => {",
  '  const refund = await stripe.refunds.create({ payment_intent: req.body.id });',
  '  res.json({ id: refund.id });',
  '});',
  '',
].join('\n');

/** A git repository with a package.json, the given lockfile and an Express route. */
function repo(files: Record<string, string>): string {
  const root = temps.make();
  expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
  return writeFiles(root, { 'package.json': JSON.stringify({ name: 'shop', private: true, dependencies: { stripe: '^18.0.0' } }), 'src/routes.ts': ROUTES, ...files });
}

function readWorkflow(root: string): { wf: Workflow; steps: Step[] } {
  const wf = parseYaml(fs.readFileSync(path.join(root, WORKFLOW), 'utf8')) as Workflow;
  return { wf, steps: Object.values(wf.jobs)[0].steps };
}

const CASES: {
  pm: string;
  lockfile: [string, string];
  extra?: Record<string, string>;
  setup: string[];
  cache?: string;
  install: string;
  scan: string;
}[] = [
  { pm: 'npm', lockfile: ['package-lock.json', '{ "lockfileVersion": 3 }\n'], setup: [], cache: 'npm', install: 'npm ci', scan: 'npx --no-install stripe-audit' },
  { pm: 'pnpm', lockfile: ['pnpm-lock.yaml', "lockfileVersion: '9.0'\n"], setup: ['pnpm/action-setup@v6'], cache: 'pnpm', install: 'pnpm install --frozen-lockfile', scan: 'pnpm exec stripe-audit' },
  { pm: 'yarn (classic)', lockfile: ['yarn.lock', '# yarn lockfile v1\n\n'], setup: [], cache: 'yarn', install: 'yarn install --frozen-lockfile', scan: 'yarn stripe-audit' },
  { pm: 'yarn (berry)', lockfile: ['yarn.lock', '__metadata:\n  version: 8\n  cacheKey: 10c0\n'], setup: ['actions/cache@v6'], install: 'yarn install --immutable', scan: 'yarn stripe-audit' },
  { pm: 'bun', lockfile: ['bun.lock', '{ "lockfileVersion": 1 }\n'], setup: ['oven-sh/setup-bun@v2', 'actions/cache@v6'], install: 'bun install --frozen-lockfile', scan: 'bunx --no-install stripe-audit' },
];

describe.concurrent('stripe-audit init', () => {
  for (const c of CASES) {
    it(`writes a workflow for ${c.pm}: locked install, the installed copy, annotations and SARIF, the exit code`, async () => {
      const root = repo({ [c.lockfile[0]]: c.lockfile[1], ...c.extra });
      const r = await runCli(root, ['init'], ENV);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`package manager: ${c.pm.split(' ')[0]}`);
      const { wf, steps } = readWorkflow(root);

      expect(wf.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' });
      expect(wf.on).toHaveProperty('pull_request');
      const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
      const checkout = at((s) => s.uses === 'actions/checkout@v6');
      const node = at((s) => s.uses === 'actions/setup-node@v6');
      const setups = c.setup.map((u) => at((s) => s.uses === u));
      const install = at((s) => s.run === c.install);
      const scan = at((s) => s.id === 'scan');
      const upload = at((s) => s.uses === 'github/codeql-action/upload-sarif@v4');
      const gate = at((s) => !!s.if?.includes('steps.scan.outcome'));
      expect([checkout, node, ...setups, install, scan, upload, gate].every((i) => i >= 0)).toBe(true);
      expect(checkout).toBe(0);
      for (const i of [node, ...setups]) expect(i).toBeLessThan(install);
      expect(install < scan && scan < upload && upload < gate).toBe(true);
      if (c.pm === 'pnpm') expect(setups[0]).toBeLessThan(node); // setup-node's pnpm cache needs pnpm
      expect(steps[node].with?.['node-version']).toBe('lts/*');
      expect(steps[node].with?.cache).toBe(c.cache);

      // The scan: the installed copy, findings in the log, SARIF beside them, the exit code kept.
      expect(steps[scan]['continue-on-error']).toBe(true);
      expect(steps[scan].run).toContain(`${c.scan} . --format github --sarif-output stripe-audit.sarif`);
      expect(steps[scan].run).toMatch(/exit \$code/);
      expect(steps[upload].if).toBe("always() && hashFiles('stripe-audit.sarif') != ''");
      expect(steps[upload].with?.sarif_file).toBe('stripe-audit.sarif');
      expect(steps[gate].if).toMatch(/^always\(\) && /);
      expect(steps[gate].run).toBe('exit ${{ steps.scan.outputs.exit_code || 1 }}');
      // Nothing runs a package fetched by name.
      for (const s of steps) expect(s.run ?? '').not.toMatch(/\bnpx (?!--no-install)|\bbunx (?!--no-install)|\bdlx\b/);
    });
  }

  it("is the workflow the README shows for npm", async () => {
    const root = repo({ 'package-lock.json': '{ "lockfileVersion": 3 }\n' });
    expect((await runCli(root, ['init'], ENV)).code).toBe(0);
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## In CI'));
    const shown = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBeDefined();
    expect(parseYaml(shown!)).toEqual(readWorkflow(root).wf);
  });

  it('pins pnpm from the lockfile format, or leaves it to the packageManager field', async () => {
    const unpinned = repo({ 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" });
    const pinned = repo({ 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'package.json': JSON.stringify({ name: 'shop', packageManager: 'pnpm@9.15.0' }) });
    const [a, b] = await Promise.all([runCli(unpinned, ['init'], ENV), runCli(pinned, ['init'], ENV)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const setup = (root: string) => readWorkflow(root).steps.find((s) => s.uses?.startsWith('pnpm/action-setup@'));
    expect(setup(unpinned)?.with?.version).toBe(8);
    expect(setup(pinned)?.with).toBeUndefined();
  });

  it('without a lockfile: npm install, no cache, and a note to commit one', async () => {
    const root = repo({});
    const r = await runCli(root, ['init'], ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no lockfile found');
    const { steps } = readWorkflow(root);
    expect(steps.some((s) => s.run === 'npm install')).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.cache).toBeUndefined();
  });

  it('a project in a subfolder: the workflow goes to the git root, and its steps run in the right folders', async () => {
    const root = repo({ 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'apps/web/package.json': JSON.stringify({ name: 'web', devDependencies: { 'stripe-audit': '0.1.0' } }), 'apps/web/src/routes.ts': ROUTES });
    const r = await runCli(path.join(root, 'apps/web'), ['init'], ENV);
    expect(r.code).toBe(0);
    const realRoot = fs.realpathSync(root);
    expect(r.stdout).toContain(`wrote ${path.join(realRoot, WORKFLOW)} (at the git root)`);
    expect(r.stdout).toContain(`wrote ${path.join(realRoot, 'apps/web/stripe-audit.config.json')}`);
    // Already a dev dependency: no advice to add it.
    expect(r.stdout).not.toContain('add stripe-audit');
    expect(fs.existsSync(path.join(root, 'apps/web/.github'))).toBe(false);
    const { steps } = readWorkflow(root);
    const install = steps.find((s) => s.run === 'pnpm install --frozen-lockfile');
    expect(install?.['working-directory']).toBeUndefined(); // the workspace root holds the lockfile
    const scan = steps.find((s) => s.id === 'scan')!;
    expect(scan['working-directory']).toBe('apps/web');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe('apps/web/stripe-audit.sarif');
    expect(upload.if).toContain("hashFiles('apps/web/stripe-audit.sarif')");
  });

  it('refuses a target folder that does not exist, and writes nothing', async () => {
    const root = repo({});
    const r = await runCli(root, ['init', 'no-such-folder'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-folder does not exist');
    expect(fs.existsSync(path.join(root, 'no-such-folder'))).toBe(false);
    expect(fs.existsSync(path.join(root, '.github'))).toBe(false);
  });

  it('never writes through a symbolic link (.github, the workflow, the config), even with --force', async () => {
    const outside = temps.make();
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'keep\n');
    const linkedGithub = repo({});
    fs.symlinkSync(outside, path.join(linkedGithub, '.github'));
    const linkedWorkflow = repo({});
    fs.mkdirSync(path.join(linkedWorkflow, '.github/workflows'), { recursive: true });
    fs.symlinkSync(victim, path.join(linkedWorkflow, WORKFLOW));
    const linkedConfig = repo({});
    fs.symlinkSync(victim, path.join(linkedConfig, 'stripe-audit.config.json'));
    const runs = await Promise.all([linkedGithub, linkedWorkflow, linkedConfig].map((root) => runCli(root, ['init', '--force'], ENV)));
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('symbolic link');
    }
    expect(fs.readdirSync(outside)).toEqual(['victim.txt']);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep\n');
    // Nothing was half-written either: the config is checked before anything is written.
    expect(fs.existsSync(path.join(linkedWorkflow, 'stripe-audit.config.json'))).toBe(false);
  });

  it('does not block on a FIFO where the config goes', async () => {
    const root = repo({});
    if (spawnSync('mkfifo', [path.join(root, 'stripe-audit.config.json')]).status !== 0) return;
    const r = await runCli(root, ['init', '--force'], ENV, 20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a regular file');
  });

  it('keeps existing files without --force, replaces them with it, and the starter config scans', async () => {
    const root = repo({ 'package-lock.json': '{ "lockfileVersion": 3 }\n' });
    expect((await runCli(root, ['init'], ENV)).code).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(root, 'stripe-audit.config.json'), 'utf8'));
    for (const key of ['rules', 'ignore', 'includeTests', 'strict', 'verifiers', 'moneyMethods']) expect(config).toHaveProperty(key);
    expect(config.$comment).not.toMatch(/npx stripe-audit/);
    const scanned = await runCli(root, ['.', '--offline'], ENV);
    expect(scanned.code).toBe(1);
    expect(scanned.stdout).toContain('idempotency-key-missing');

    fs.writeFileSync(path.join(root, 'stripe-audit.config.json'), '{ "strict": true }\n');
    const again = await runCli(root, ['init'], ENV);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(fs.readFileSync(path.join(root, 'stripe-audit.config.json'), 'utf8')).toBe('{ "strict": true }\n');
    const forced = await runCli(root, ['init', '--force'], ENV);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`overwrote ${path.join(fs.realpathSync(root), 'stripe-audit.config.json')}`);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'stripe-audit.config.json'), 'utf8'))).toEqual(config);
  });
});
