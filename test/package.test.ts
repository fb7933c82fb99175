// The package as users get it (build first): `npm pack` of this checkout holds what runs and nothing
// else, declares no runtime dependency, and installs into an empty project with no network at all, from
// the tarball and from a git URL of the release branch (scripts/release-git.mjs); the installed copy
// scans a small project. npm never reaches a registry here: its registry is a closed loopback port, its
// cache is empty, and it runs --offline.
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCommand, tempDirs, writeFiles, type Run } from './helpers/run-cli.js';
import { codeCacheName } from '../dist/src/util/code-cache.js';

const temps = tempDirs('sa-pkg-');
afterAll(temps.cleanup);

/** npm with no registry it could reach, an empty cache, no user config of the developer's or CI's. */
function offlineNpmEnv(): NodeJS.ProcessEnv {
  const home = temps.make();
  fs.writeFileSync(path.join(home, '.npmrc'), '');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k) && !/proxy$/i.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    npm_config_userconfig: path.join(home, '.npmrc'),
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    STRIPE_AUDIT_CACHE_DIR: path.join(home, 'stripe-audit-cache'),
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
}

const ok = (r: Run, what: string) => expect(r.code, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);

/**
 * An empty project (nothing to install offline) holding, in app/, a project to scan: one money-moving call
 * without an idempotency key, a pnpm lockfile (the YAML parser) and a tsconfig.json with comments (the
 * JSONC parser), so that a scan loads the lazily bundled dependencies too.
 */
const USER_PROJECT = {
  'package.json': JSON.stringify({ name: 'shop', private: true }),
  'app/package.json': JSON.stringify({ name: 'app', private: true, dependencies: { stripe: '^21.0.0' } }),
  'app/pnpm-lock.yaml': ["lockfileVersion: '9.0'", '', 'importers:', '  .:', '    dependencies:', '      stripe:', '        specifier: ^21.0.0', '        version: 21.0.0', ''].join('\n'),
  'app/tsconfig.json': '{\n  // comments are allowed here\n  "compilerOptions": { "strict": true },\n}\n',
  'app/src/pay.ts': [
    "import Stripe from 'stripe';",
    'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);',
    'export async function refund(paymentIntent: string) {',
    '  return stripe.refunds.create({ payment_intent: paymentIntent });',
    '}',
    '',
  ].join('\n'),
};

let packed: { filename: string; files: { path: string }[] };
let tarball: string;
let files: string[];

beforeAll(async () => {
  const dest = temps.make();
  // --ignore-scripts: the suite runs after `npm run build`; packing must not build again.
  const r = await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: REPO_ROOT, env: offlineNpmEnv() });
  ok(r, 'npm pack');
  [packed] = JSON.parse(r.stdout);
  tarball = path.join(dest, packed.filename);
  files = packed.files.map((f) => f.path).sort();
}, 120_000);

/**
 * Installs `spec` into a new empty project, offline, then scans USER_PROJECT with the installed copy; with
 * `online`, once more against a closed registry port, which loads the lazily bundled registry client.
 */
async function installAndScan(spec: string, { online = true } = {}): Promise<{ project: string; env: NodeJS.ProcessEnv }> {
  const project = writeFiles(temps.make(), USER_PROJECT);
  const env = offlineNpmEnv();
  ok(await runCommand('npm', ['install', '--save-dev', '--offline', spec], { cwd: project, env, timeoutMs: 240_000 }), `npm install ${spec}`);
  // Nothing but stripe-audit was installed.
  expect(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['stripe-audit']);
  const bin = path.join(project, 'node_modules/.bin/stripe-audit');
  const scan = await runCommand(bin, ['app', '--offline', '--format', 'json'], { cwd: project, env });
  expect(scan.code, scan.stderr).toBe(1);
  const report = JSON.parse(scan.stdout) as { findings: { ruleId: string; file: string; startLine: number }[] };
  expect(report.findings.filter((f) => f.ruleId === 'idempotency-key-missing' && f.file.endsWith('pay.ts')).map((f) => f.startLine)).toEqual([4]);
  expect(scan.stderr).not.toContain('internal error');
  if (online) {
    // The registry client (bundled, loaded on first use) runs: a closed port is "unreachable", exit 3.
    const r = await runCommand(bin, ['app', '--registry', 'http://127.0.0.1:9/', '--fail-on', 'never', '--registry-timeout', '2000'], { cwd: project, env });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code, r.stderr).toBe(3);
  }
  return { project, env };
}

describe.concurrent('the published package', () => {
  it('holds what runs and nothing else: bin, the bundle, the compiler, licences, the docs the README links to', () => {
    const allowed = /^(assets\/empty-git-dir\/(?:HEAD|refs\/README\.md)|bin\/(?:stripe-audit\.js|package\.json)|dist\/bundle\/.+\.(js|cjs|txt)|docs\/(rules|configuration)\.md|README\.md|LICENSE|package\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const f of ['bin/stripe-audit.js', 'bin/package.json', 'dist/bundle/loader.cjs', 'dist/bundle/cli.cjs', 'dist/bundle/scan-pool.cjs', 'dist/bundle/scan-worker.cjs', 'dist/bundle/typescript-runtime.cjs', 'dist/bundle/typescript-compiler.js', 'dist/bundle/THIRD-PARTY-NOTICES.txt', 'LICENSE']) {
      expect(files).toContain(f);
    }
    // Not the benchmark, not tsc's unbundled copy, not the build machine's V8 code cache.
    expect(files.filter((f) => /^dist\/(bench|src|rules|v8)\//.test(f))).toEqual([]);
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist/v8'))).toBe(true); // the checkout keeps its own
  });

  it('declares no runtime dependency: the bundle imports only Node built-ins and its own files', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) expect(manifest[key]).toBeUndefined();
    expect(manifest.license).toBe('MIT');
    // The require() calls rolldown writes in the CommonJS chunks, and those of the minified compiler (a
    // CommonJS module in its wrapper function; the minifier quotes with backticks).
    // Tried in a try/catch and done without: minipass-fetch's encoding, debug's supports-color, and the
    // compiler's source-map-support (tsc's stack traces when debugged).
    const optional = new Set(['encoding', 'supports-color', 'source-map-support']);
    const bare: string[] = [];
    for (const f of files.filter((p) => /^dist\/bundle\/.+\.c?js$/.test(p))) {
      const text = fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
      // rolldown writes require("…") (comments and strings in the code mention others in single quotes).
      const specifiers = f.endsWith('/typescript-compiler.js')
        ? text.matchAll(/\brequire\((`)([^`$]+)`\)/g)
        : f.endsWith('.cjs')
          ? text.matchAll(/\brequire\((")([^"]+)"\)/g)
          : text.matchAll(/^(?:import|export)\b[^;'"]*?()["']([^"']+)["'];?$/gm);
      for (const [, , spec] of specifiers) if (!/^[./#]/.test(spec) && !isBuiltin(spec) && !optional.has(spec)) bare.push(`${f}: ${spec}`);
    }
    expect(bare).toEqual([]);
  });

  it('bundles every dependency the CLI loads lazily (src/util/lazy.ts)', () => {
    const names = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/\blazy<[^>]*>\(\s*'([^']+)'\s*\)/g)) names.add(m[1]);
      }
    };
    walk(path.join(REPO_ROOT, 'src'));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) expect(files).toContain(`dist/bundle/vendor/${name}.cjs`);
  });

  it("the README's links lead to files in the package", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.map((t) => t.replace(/#.*$/, '')).filter((t) => !files.includes(path.posix.normalize(t)))).toEqual([]);
  });

  it('installs from the tarball into an empty project with no network, and the installed copy scans', async () => {
    const { project, env } = await installAndScan(tarball);
    // An installed copy has no build-time code cache: its scans write their own to the user cache folder,
    // the parser's and the bundle chunks' (src/util/bundle-loader.ts).
    const v8 = path.join(env.STRIPE_AUDIT_CACHE_DIR!, 'v8');
    const caches = fs.readdirSync(v8);
    expect(caches.filter((f) => /^typescript-.+\.bin$/.test(f))).toHaveLength(1);
    expect(caches.filter((f) => /^chunk-.+\.bin$/.test(f)).length).toBeGreaterThan(10);
    // The registry client (loaded on first use, by the online run) goes through the same loader.
    expect(caches).toContain(codeCacheName('chunk', path.join(project, 'node_modules/stripe-audit/dist/bundle/vendor/registry-client.cjs')));
    const stamps = () => fs.readdirSync(v8).map((f) => `${f} ${fs.statSync(path.join(v8, f)).mtimeMs}`).sort();
    const before = stamps();
    const version = await runCommand(path.join(project, 'node_modules/.bin/stripe-audit'), ['--version'], { cwd: project, env });
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
    // A command that scans nothing writes no cache (it would hold almost nothing, and scans would keep it).
    expect(stamps()).toEqual(before);
  }, 300_000);

  it('installs from a git URL of the release branch with nothing to build and nothing else to fetch', async () => {
    // A repository like the real one: a default branch, and the release branch made by the script.
    const repo = temps.make();
    const env = offlineNpmEnv();
    for (const args of [['init', '-q'], ['commit', '-q', '--allow-empty', '-m', 'source']]) ok(await runCommand('git', args, { cwd: repo, env }), `git ${args[0]}`);
    const release = await runCommand(process.execPath, [path.join(REPO_ROOT, 'scripts/release-git.mjs'), repo, 'release', tarball], { cwd: REPO_ROOT, env, timeoutMs: 120_000 });
    ok(release, 'release-git');
    // The same files as the tarball (checked below): its online run proves the registry client once for both.
    const { project } = await installAndScan(`git+file://${repo}#release`, { online: false });
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/stripe-audit/package.json'), 'utf8'));
    // No script npm would run to "prepare" a git dependency (which installs all devDependencies first).
    expect(installed.scripts).toBeUndefined();
    expect(installed.devDependencies).toBeUndefined();
    expect(fs.readdirSync(path.join(project, 'node_modules/stripe-audit')).sort()).toEqual(['LICENSE', 'README.md', 'assets', 'bin', 'dist', 'docs', 'package.json']);
    // The bundle is the tarball's, file for file (so the tarball's online run covers this copy too).
    const bundle = fs.readdirSync(path.join(project, 'node_modules/stripe-audit/dist/bundle'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(bundle.map((e) => path.relative(project, path.join(e.parentPath, e.name)).replace(/^node_modules\/stripe-audit\//, '')).sort()).toEqual(files.filter((f) => f.startsWith('dist/bundle/')).sort());
  }, 300_000);
});
