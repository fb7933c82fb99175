// Vitest global set-up.
// - No test runs against a stale build. The tests import dist/ and spawn bin/stripe-audit.js (dist/bundle),
//   so when any input of `npm run build` is newer than the build's last output (the code cache of dist/v8,
//   written last; the bundle's entry point when there is none), this builds once before any test file
//   starts (`npm test` is `vitest run`: after `npm ci`, which builds through `prepare`, this is one directory walk).
// - One registry fixture for the SDK test files (test/helpers/stripe-registry.ts), started here when the
//   run includes them, without holding the other files back (they start while it starts; the SDK files
//   wait until it is ready); a file run on its own starts its own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { freePort } from './helpers/registry-verdaccio.js';
import { startStripeRegistry } from './helpers/stripe-registry.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the build reads: sources and its configuration. */
const INPUTS = ['src', 'rules', 'bench', 'scripts', 'package.json', 'tsconfig.json', 'rolldown.config.mjs'];

function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** When the last build finished, or 0 when there is none. */
export function buildStamp(repo = REPO): number {
  const v8 = path.join(repo, 'dist/v8');
  const caches = fs.existsSync(v8) ? fs.readdirSync(v8).map((f) => fs.statSync(path.join(v8, f)).mtimeMs) : [];
  if (caches.length) return Math.max(...caches);
  const entry = path.join(repo, 'dist/bundle/cli.cjs');
  return fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
}

export function buildIsStale(repo = REPO): boolean {
  return Math.max(...INPUTS.map((i) => newestMtime(path.join(repo, i)))) > buildStamp(repo);
}

/** The test files that use the registry fixture. */
const REGISTRY_FILES = /sdk-(cli|registry)/;

/**
 * Whether the files this run was asked for include a registry file: no file filter on the command line
 * (the whole suite), or one that names such a file. An option's value read as a filter only means that
 * the files start their own registry.
 */
function runNeedsRegistry(argv = process.argv.slice(2)): boolean {
  const filters = argv.filter((a) => !a.startsWith('-') && !['run', 'watch', 'related'].includes(a));
  return filters.length === 0 || filters.some((f) => REGISTRY_FILES.test(f));
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (buildIsStale()) {
    process.stderr.write('dist/ is older than the sources: npm run build\n');
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
  }
  if (!runNeedsRegistry()) return;
  const port = await freePort();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-registry-state-'));
  const readyFile = path.join(stateDir, 'ready');
  // Written whole at once (rename), so that a file never reads half a state.
  const say = (state: string) => {
    fs.writeFileSync(`${readyFile}.tmp`, state);
    fs.renameSync(`${readyFile}.tmp`, readyFile);
  };
  const starting = startStripeRegistry(port).then(
    (registry) => {
      say('ok');
      return registry;
    },
    (err: unknown) => {
      say(`failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    },
  );
  project.provide('stripeRegistry', { url: `http://127.0.0.1:${port}/`, readyFile });
  return async () => {
    await (await starting)?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  };
}
