// `stripe-audit init [dir] [--force]`: a starter config in the project folder and a GitHub Actions
// workflow at the git root (where GitHub looks for it) for the project's package manager: annotations in
// the log, SARIF to code scanning, and the job failing on the scan's exit code.
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../../gate/config-load.js';
import { ADD_DEV, RUN_INSTALLED, workflow } from './init-workflow.js';
import { detectPackageManager } from './package-manager.js';
import { checkWritable, writeNoFollow } from './safe-write.js';

const WORKFLOW_FILE = '.github/workflows/stripe-audit.yml';

/** Every key with a value that keeps the defaults (registry is optional and left out: npm config decides). */
const STARTER_CONFIG = {
  $comment:
    'stripe-audit configuration (JSON only). Keys: rules (rule id -> "off" | "warning" | "error"; `stripe-audit rules` lists ids), ignore (globs, in addition to .gitignore), includeTests, strict (also report other POST calls without idempotency keys), verifiers (your own functions that verify Stripe webhook signatures), moneyMethods (extra "resource.method" calls that move money), registry (optional npm registry URL for the SDK check; default: your npm config). Docs: docs/configuration.md of stripe-audit.',
  rules: {
    'webhook-event-not-deduplicated': 'warning',
  },
  ignore: [] as string[],
  includeTests: false,
  strict: false,
  verifiers: [] as string[],
  moneyMethods: [] as string[],
};

/** Folder names the workflow can carry as they are (in YAML, in a hashFiles() expression, in a shell). */
const PLAIN_PATH = /^[\w ./@+-]*$/;

/** The git work tree holding `dir` (a `.git` folder, or a `.git` file in a worktree or submodule); else `dir`. */
function gitRoot(dir: string): { root: string; found: boolean } {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return { root: d, found: true };
    if (path.dirname(d) === d) return { root: dir, found: false };
  }
}

function declaresStripeAudit(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return ['devDependencies', 'dependencies'].some((k) => typeof pkg[k] === 'object' && pkg[k] !== null && 'stripe-audit' in (pkg[k] as object));
  } catch {
    return false;
  }
}

const posix = (p: string) => p.split(path.sep).join('/');

export function initCommand(dir: string, force: boolean): { ok: boolean; text: string } {
  const fail = (message: string) => ({ ok: false, text: `stripe-audit init: ${message}\n` });
  let target: string;
  try {
    if (!fs.statSync(dir).isDirectory()) return fail(`${dir} is not a folder`);
    // The folder the user named (a link they chose is theirs to follow); nothing below it is followed.
    target = fs.realpathSync(dir);
  } catch {
    return fail(`${dir} does not exist; name an existing project folder`);
  }
  const git = gitRoot(target);
  const pm = detectPackageManager(target, git.root);
  const projectDir = posix(path.relative(git.root, target));
  const installDir = posix(path.relative(git.root, pm.dir));
  for (const p of [projectDir, installDir]) {
    if (!PLAIN_PATH.test(p)) return fail(`the folder name ${JSON.stringify(p)} cannot be written into a workflow as it is; write the workflow by hand`);
  }
  const files = [
    { base: target, rel: CONFIG_FILE, text: JSON.stringify(STARTER_CONFIG, null, 2) + '\n', where: '' },
    { base: git.root, rel: WORKFLOW_FILE, text: workflow({ pm, installDir, projectDir }), where: git.found ? ' (at the git root)' : ' (no git repository found: move .github to the repository root)' },
  ];
  let existing: string[];
  try {
    existing = files.filter((f) => checkWritable(f.base, f.rel) === 'file').map((f) => path.join(f.base, f.rel));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (existing.length && !force) {
    return fail(`not overwriting ${existing.join(' and ')}; use --force to replace ${existing.length === 1 ? 'it' : 'them'}`);
  }
  const lines: string[] = [];
  try {
    for (const f of files) {
      writeNoFollow(f.base, f.rel, f.text);
      const abs = path.join(f.base, f.rel);
      lines.push(`${existing.includes(abs) ? 'overwrote' : 'wrote'} ${abs}${f.where}`);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail(e.code === 'ELOOP' ? 'a file to write is a symbolic link; not writing through it' : `could not write: ${e.message}`);
  }
  const lock = pm.lockfile ? `${path.join(pm.dir, pm.lockfile)}` : 'no lockfile found; commit one so the workflow installs the same versions';
  lines.push(`package manager: ${pm.name} (${lock}); the workflow runs \`${RUN_INSTALLED[pm.name]}\``);
  lines.push('Next:');
  if (!declaresStripeAudit(target) && !declaresStripeAudit(pm.dir)) {
    lines.push(`  - add stripe-audit to devDependencies: ${ADD_DEV[pm.name]} stripe-audit (or its repository's git URL: the registry name may belong to another package)`);
  }
  lines.push('  - commit these files with package.json and the lockfile; findings appear in the job log and under Security > Code scanning.');
  return { ok: true, text: lines.join('\n') + '\n' };
}
