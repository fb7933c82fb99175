#!/usr/bin/env node
// Publishes the built package as a git branch, for installs from a git URL:
//
//   npm run build && node scripts/release-git.mjs [target-repository] [branch] [tarball]   (default: . release)
//   (tarball: an `npm pack` of this checkout made already; packed here when not given)
//   git push origin release            # then, in a project:
//   npm install --save-dev git+https://<this repository>.git#release
//
// The branch holds exactly what `npm pack` puts in the registry tarball (bin/, dist/bundle, README,
// LICENSE), with a package.json without scripts or devDependencies. npm installs a git dependency by
// cloning it and, when its package.json has a build or prepare script, by first installing all of its
// devDependencies in the clone to build it; from this branch it has nothing to build and nothing to
// install (the bundle has no runtime dependency), so the install is one clone, offline if the clone is.
// Each run adds one commit on top of the branch (history kept, so a tag can pin any release).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.resolve(process.argv[2] ?? root);
const branch = process.argv[3] ?? 'release';
const givenTarball = process.argv[4] ? path.resolve(process.argv[4]) : undefined;

/** Fields of package.json that only building and testing this repository use. */
const DEVELOPMENT_ONLY = ['scripts', 'devDependencies', 'overrides'];

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts }).trim();

if (!fs.existsSync(path.join(root, 'dist/bundle/cli.cjs'))) {
  process.stderr.write('release-git: no dist/bundle; run `npm run build` first\n');
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-release-'));
try {
  // The registry tarball's contents, without running the build again (--ignore-scripts).
  const tarball = givenTarball ?? path.join(work, JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root }))[0].filename);
  run('tar', ['-xzf', tarball, '-C', work]);
  const tree = path.join(work, 'package');
  const manifestFile = path.join(tree, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const key of DEVELOPMENT_ONLY) delete manifest[key];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');

  // Commit that folder to the branch through a private index: the target's work tree is not touched.
  const gitDir = run('git', ['-C', target, 'rev-parse', '--absolute-git-dir']);
  const env = { ...process.env, GIT_INDEX_FILE: path.join(work, 'index') };
  const git = (...args) => run('git', ['--git-dir', gitDir, '--work-tree', tree, ...args], { env, cwd: tree });
  git('add', '--all', '--force', '.');
  const treeId = git('write-tree');
  let parent;
  try {
    parent = git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
  } catch {
    parent = undefined;
  }
  let source = 'an unversioned folder';
  try {
    source = run('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  } catch {
    /* not a git checkout */
  }
  const message = `stripe-audit ${manifest.version}, built from ${source}`;
  const commit = git('commit-tree', treeId, ...(parent ? ['-p', parent] : []), '-m', message);
  git('update-ref', `refs/heads/${branch}`, commit);
  process.stdout.write(`${branch} -> ${commit.slice(0, 12)}: ${message} (${fs.readdirSync(tree, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length} files)\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
