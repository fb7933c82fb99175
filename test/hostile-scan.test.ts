// A hostile or broken repository, built at run time in a temporary folder, scanned by the CLI as a real
// subprocess: git runs nothing the repository names, deep code does not crash the run, special files do
// not hang it, symlinks do not lead out of the tree, real source is not skipped on weak evidence, an
// unreadable folder makes the scan incomplete, and keys right after an escape sequence are found.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_WORKER, runCli, type Run } from './helpers/run-cli.js';
import { listedEarly, listingsFor, prelist, stopUnconfirmed } from '../dist/src/scan/git-listing.js';

const POSIX = process.platform !== 'win32';
let tmp: string;
let cacheDir: string;

/** The CLI as a subprocess, asynchronous so that the tests of a section (describe.concurrent) overlap their runs. */
function run(args: string[], env: Record<string, string> = {}, cwd = tmp): Promise<Run> {
  // A hang is what several of these tests guard against: the run is killed and fails after 90 s.
  return runCli(cwd, args, { ...process.env, NO_COLOR: '', FORCE_COLOR: '', STRIPE_AUDIT_CACHE_DIR: cacheDir, npm_config_registry: 'http://127.0.0.1:9/', ...env }, 90_000);
}

/**
 * The same on the CLI's main thread, for the tests whose hostile input the main thread handles whichever thread
 * scans (deep code reaches the parser, FIFOs named on the command line, keys in the report): no second V8
 * isolate to start. The tests of discovery (git, special files in the tree, links, unreadable folders) keep the worker.
 */
const runMain = (args: string[], env: Record<string, string> = {}, cwd = tmp): Promise<Run> => run(args, { ...NO_WORKER, ...env } as Record<string, string>, cwd);

function write(rel: string, text: string | Buffer) {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function mkfifo(rel: string) {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  expect(spawnSync('mkfifo', [abs]).status).toBe(0);
  return abs;
}

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const findingsOf = (stdout: string): string[] => JSON.parse(stdout).findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`).sort();

const HEADER = `import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n`;
const REFUND = `export async function refund(paymentIntent: string) {\n  return stripe.refunds.create({ payment_intent: paymentIntent });\n}\n`;
const KEYLESS_REFUND = HEADER + REFUND;
const MISSING = 'idempotency-key-missing';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-hostile-'));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-hostile-cache-'));
});

afterAll(() => {
  // rm copes with paths longer than PATH_MAX (the unreadable-folder test makes one).
  spawnSync('rm', ['-rf', tmp, cacheDir]);
});

describe.concurrent('git runs nothing the scanned repository names', () => {
  it.skipIf(!POSIX)('a committed folder that looks like a bare repository with core.fsmonitor set', async () => {
    const marker = path.join(tmp, 'PWNED-bare');
    const clone = path.join(tmp, 'bare-clone');
    // The repository: api/ holds a git folder's files, with a work tree of itself and an fsmonitor command.
    const origin = path.join(tmp, 'bare-origin');
    write('bare-origin/api/HEAD', 'ref: refs/heads/main\n');
    write('bare-origin/api/config', `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ${path.join(clone, 'api')}\n\tfsmonitor = "touch ${marker}; false #"\n`);
    write('bare-origin/api/objects/.keep', '');
    write('bare-origin/api/refs/.keep', '');
    write('bare-origin/api/refund.ts', KEYLESS_REFUND);
    git(origin, 'init', '-q');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-qm', 'init');
    git(tmp, 'clone', '-q', origin, clone);
    // The trap works with this git: its own ls-files in that folder runs the command.
    spawnSync('git', ['ls-files'], { cwd: path.join(clone, 'api'), stdio: 'ignore' });
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);

    const r = await run([path.join(clone, 'api'), '--offline', '--format', 'json']);
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} refund.ts`]);
  });

  it.skipIf(!POSIX)('a .git/config in a downloaded checkout; git still lists the files, with the ignore rules', async () => {
    const marker = path.join(tmp, 'PWNED-checkout');
    const repo = path.join(tmp, 'checkout');
    write('checkout/.gitignore', 'generated/\n');
    write('checkout/src/refund.ts', KEYLESS_REFUND);
    write('checkout/src/untracked.ts', KEYLESS_REFUND);
    write('checkout/generated/refund.ts', KEYLESS_REFUND);
    git(repo, 'init', '-q');
    git(repo, 'add', '.gitignore', 'src/refund.ts');
    git(repo, 'commit', '-qm', 'init');
    fs.appendFileSync(path.join(repo, '.git/config'), `[core]\n\tfsmonitor = "touch ${marker}; false #"\n`);
    write('checkout/.git/info/exclude', 'src/excluded.ts\n');
    write('checkout/src/excluded.ts', KEYLESS_REFUND);
    spawnSync('git', ['ls-files'], { cwd: repo, stdio: 'ignore' });
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);

    const r = await run([repo, '--offline', '--format', 'json']);
    expect(fs.existsSync(marker)).toBe(false);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/refund.ts`, `${MISSING} src/untracked.ts`]);
    // From a subfolder too (git is given the work tree; the paths are the subfolder's).
    const sub = await run([path.join(repo, 'src'), '--offline', '--format', 'json']);
    expect(fs.existsSync(marker)).toBe(false);
    expect(findingsOf(sub.stdout)).toEqual([`${MISSING} refund.ts`, `${MISSING} untracked.ts`]);
  });
});

describe.concurrent('deep but ordinary code', () => {
  const deepFiles = {
    'image.ts': `${HEADER}export const logo = 'data:image/png;base64,' +\n${Array(3500).fill("  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='").join(' +\n')};\n${REFUND}`,
    'chain.ts': `${HEADER}export const chain = Promise.resolve(1)${'\n  .then((x) => x)'.repeat(2000)};\n${REFUND}`,
    'branches.ts': `${HEADER}export function pick(x: number) {\n  if (x === 0) return 0;\n${Array.from({ length: 3000 }, (_, i) => `  else if (x === ${i + 1}) return ${i + 1};\n`).join('')}  return -1;\n}\n${REFUND}`,
    'plain.ts': KEYLESS_REFUND,
  };

  it('3,500 strings joined with +, 2,000 chained .then and 3,000 else if are analysed', async () => {
    for (const [name, text] of Object.entries(deepFiles)) write(`deep/src/${name}`, text);
    const r = await runMain(['deep', '--offline', '--format', 'json']);
    expect(r.stderr).not.toMatch(/RangeError|call stack/);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout)).toEqual(Object.keys(deepFiles).map((n) => `${MISSING} src/${n}`).sort());
  });

  it('a file too deep for the parser (1,000 nested brackets) is a diagnostic naming it; the others are reported', async () => {
    for (const [name, text] of Object.entries(deepFiles)) write(`deeper/src/${name}`, text);
    write('deeper/src/brackets.ts', `${HEADER}export const nested = ${'['.repeat(1000)}1${']'.repeat(1000)};\n${REFUND}`);
    const r = await runMain(['deeper', '--offline', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skipped src\/brackets\.ts: nested too deeply to parse/);
    expect(findingsOf(r.stdout)).toEqual(Object.keys(deepFiles).map((n) => `${MISSING} src/${n}`).sort());
  });
});

describe.skipIf(!POSIX).concurrent('special files: no hang, no unbounded read', () => {
  it('FIFOs and devices as source, .gitignore, tsconfig extends, package.json, lockfile and .npmrc, and an oversized lockfile', async () => {
    write('special/src/refund.ts', KEYLESS_REFUND);
    mkfifo('special/src/pipe.ts');
    mkfifo('special/.gitignore');
    mkfifo('special/.npmrc');
    write('special/package.json', JSON.stringify({ name: 'special', dependencies: { stripe: '^17.0.0' } }));
    mkfifo('special/package-lock.json');
    mkfifo('special/pkg/package.json');
    write('special/pkg/src/refund.ts', KEYLESS_REFUND);
    write('special/tsconfig.json', JSON.stringify({ extends: './base.json', compilerOptions: {} }));
    mkfifo('special/base.json');
    write('special/pkg/tsconfig.json', JSON.stringify({ extends: './zero.json' }));
    fs.symlinkSync('/dev/zero', path.join(tmp, 'special/pkg/zero.json'));
    // A lockfile over the cap (sparse: no disk used) is not read.
    write('special/big/package.json', JSON.stringify({ name: 'big', dependencies: { stripe: '^17.0.0' } }));
    fs.closeSync(fs.openSync(path.join(tmp, 'special/big/package-lock.json'), 'w'));
    fs.truncateSync(path.join(tmp, 'special/big/package-lock.json'), 300 * 1024 * 1024);
    // Online (against a closed port): the project .npmrc is read too.
    const r = await run(['special', '--format', 'json']);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/skipped src\/pipe\.ts: not a regular file \(a FIFO\)/);
    expect(r.stderr).toMatch(/ignored \.gitignore: not a regular file \(a FIFO\)/);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} pkg/src/refund.ts`, `${MISSING} src/refund.ts`]);
  });

  it('git-tracked files replaced by FIFOs', async () => {
    const repo = path.join(tmp, 'special-git');
    write('special-git/src/refund.ts', KEYLESS_REFUND);
    write('special-git/src/later.ts', KEYLESS_REFUND);
    write('special-git/package.json', '{}');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    fs.rmSync(path.join(repo, 'src/later.ts'));
    fs.rmSync(path.join(repo, 'package.json'));
    mkfifo('special-git/src/later.ts');
    mkfifo('special-git/package.json');
    const r = await run([repo, '--offline', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skipped src\/later\.ts: not a regular file \(a FIFO\)/);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/refund.ts`]);
  });

  /** A work tree with one committed source file, then a FIFO as src/.gitignore (git's walk for untracked files waits on it). */
  const repoWithFifoIgnore = (name: string): string => {
    const repo = path.join(tmp, name);
    write(`${name}/src/refund.ts`, KEYLESS_REFUND);
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    mkfifo(`${name}/src/.gitignore`);
    return repo;
  };

  it('a FIFO .gitignore in a work tree: git is stopped, and the scan says it is incomplete', async () => {
    const repo = repoWithFifoIgnore('fifo-ignore');
    const r = await run([repo, '--offline', '--format', 'json'], { STRIPE_AUDIT_GIT_TIMEOUT_MS: '2000' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git could not list the untracked files/);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/refund.ts`]);
  });

  it('a listing started for a guess of the paths that the command line does not confirm is stopped: a FIFO .gitignore keeps no git waiting', async () => {
    const repo = repoWithFifoIgnore('fifo-unconfirmed');
    prelist([repo]);
    const untracked = new Promise((resolve) => listingsFor([repo], (part) => 'untracked' in part && resolve(part.untracked)));
    // git's walk waits on the FIFO (for STRIPE_AUDIT_GIT_TIMEOUT_MS, a minute): stopped, it answers nothing.
    stopUnconfirmed([path.join(tmp, 'another-folder')]);
    expect(await untracked).toBeNull();
    expect(listedEarly([repo])).toEqual([]);
  });

  it('a command line that fails before its scan does not wait for git, nor leave it waiting on a FIFO .gitignore', async () => {
    const repo = repoWithFifoIgnore('fifo-usage');
    // git's walk would wait on the FIFO for ten minutes: the run ends at once, with the usage error.
    const r = await run([repo, '--offline', '--registry-timeout', 'soon'], { STRIPE_AUDIT_GIT_TIMEOUT_MS: '600000' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--registry-timeout takes a positive number/);
    // No git of it still running (its walk names the repository's info/exclude).
    expect(spawnSync('pgrep', ['-f', `${repo}/.git/info/exclude`]).status).toBe(1);
  });

  it('a FIFO as the config, the baseline, or a path on the command line is an error, not a hang', async () => {
    write('special-cli/src/refund.ts', KEYLESS_REFUND);
    mkfifo('special-cli/pipe.ts');
    mkfifo('special-cli/baseline.json');
    const named = await runMain(['special-cli/pipe.ts', 'special-cli/src/refund.ts', '--offline']);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/pipe\.ts.*not a regular file/);
    const baseline = await runMain(['special-cli', '--offline', '--baseline', 'special-cli/baseline.json']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/baseline\.json.*not a regular file \(a FIFO\)/);
    mkfifo('special-cli/stripe-audit.config.json');
    const config = await runMain(['special-cli', '--offline']);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/stripe-audit\.config\.json.*not a regular file \(a FIFO\)/);
  });
});

describe.concurrent('the git index is data', () => {
  it('a crafted index that lists ../x.ts: nothing outside the work tree is read', async () => {
    // An index is not committed: a checkout that comes with its .git folder can hold any. git prints it.
    write('crafted-index/x.ts', KEYLESS_REFUND);
    write('crafted-index/repo/ab/x.ts', KEYLESS_REFUND);
    const repo = path.join(tmp, 'crafted-index/repo');
    git(repo, 'init', '-q');
    git(repo, 'add', 'ab/x.ts');
    const indexFile = path.join(repo, '.git', 'index');
    const index = fs.readFileSync(indexFile);
    const at = index.indexOf('ab/x.ts');
    index.write('../x.ts', at);
    createHash('sha1').update(index.subarray(0, index.length - 20)).digest().copy(index, index.length - 20);
    fs.writeFileSync(indexFile, index);
    expect(git(repo, 'ls-files', '--cached')).toBe('../x.ts\n');
    const r = await run([repo, '--offline', '--format', 'json']);
    // ab/x.ts is untracked now, and still scanned; ../x.ts is not.
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} ab/x.ts`]);
    expect(r.stderr).toMatch(/skipped \.\.\/x\.ts: the git index lists a path that leaves/);
  });
});

describe.skipIf(!POSIX).concurrent('symlinks do not lead out of the tree', () => {
  it('the walker: links to a folder and a file outside, and to /, are noted and not followed', async () => {
    write('outside/billing/refund.ts', KEYLESS_REFUND);
    write('outside/secret.ts', KEYLESS_REFUND);
    write('linked/src/refund.ts', KEYLESS_REFUND);
    write('linked/src/real.ts', KEYLESS_REFUND);
    fs.symlinkSync(path.join(tmp, 'outside/billing'), path.join(tmp, 'linked/src/billing'));
    fs.symlinkSync('../../outside/secret.ts', path.join(tmp, 'linked/src/leak.ts'));
    fs.symlinkSync('/', path.join(tmp, 'linked/root'));
    // A link that stays inside the tree is read.
    fs.symlinkSync('real.ts', path.join(tmp, 'linked/src/alias.ts'));
    const r = await run(['linked', '--offline', '--format', 'json']);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/alias.ts`, `${MISSING} src/real.ts`, `${MISSING} src/refund.ts`]);
    expect(r.stderr).toMatch(/skipped src\/billing: a symlink to a folder outside the scanned folder/);
    expect(r.stderr).toMatch(/skipped src\/leak\.ts: a symlink to a file outside the scanned folder/);
    expect(r.stderr).toMatch(/skipped root: a symlink to a folder outside the scanned folder/);
  });

  it('git: committed symlinks out of the tree, and a tracked folder replaced by a link out of it', async () => {
    write('outside-git/billing/refund.ts', KEYLESS_REFUND);
    write('outside-git/lib/refund.ts', KEYLESS_REFUND);
    const repo = path.join(tmp, 'linked-git');
    write('linked-git/src/refund.ts', KEYLESS_REFUND);
    write('linked-git/lib/refund.ts', KEYLESS_REFUND);
    write('linked-git/src/real.ts', KEYLESS_REFUND);
    fs.symlinkSync('../../outside-git/billing/refund.ts', path.join(repo, 'src/leak.ts'));
    fs.symlinkSync('real.ts', path.join(repo, 'src/alias.ts'));
    // A manifest from outside would report its unpinned stripe.
    write('outside-git/package.json', JSON.stringify({ name: 'outside', dependencies: { stripe: '*' } }));
    fs.mkdirSync(path.join(repo, 'pkg'));
    fs.symlinkSync('../../outside-git/package.json', path.join(repo, 'pkg/package.json'));
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    expect(git(repo, 'ls-files', '-s', 'src/leak.ts')).toMatch(/^120000 /);
    // The work tree no longer matches the index: lib/ is now a link out of the tree.
    fs.rmSync(path.join(repo, 'lib'), { recursive: true });
    fs.symlinkSync(path.join(tmp, 'outside-git/lib'), path.join(repo, 'lib'));
    const r = await run([repo, '--offline', '--format', 'json']);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/alias.ts`, `${MISSING} src/real.ts`, `${MISSING} src/refund.ts`]);
    expect(r.stderr).toMatch(/skipped src\/leak\.ts: a symlink to a file outside the scanned folder/);
    expect(r.stderr).toMatch(/skipped lib: a symlink to a folder outside the scanned folder/);
    expect(r.stderr).toMatch(/skipped pkg\/package\.json: a symlink to a file outside the scanned folder/);
  });
});

describe.concurrent('real source is not skipped on weak evidence', () => {
  const minified = Array.from({ length: 40 }, (_, i) => `!function(e,t){"use strict";var n${i}=function(r){return r&&r.__esModule?r:{default:r}};for(var o=0;o<t.length;o++){e[o]=n${i}(t[o])}if(e.length>${i}){return e.slice(0,${i})}}(window,[${Array(60).fill('1').join(',')}]);`.repeat(4)).join('\n');

  it('a 25 kB data-URI line, a trailing sourceMappingURL without a map, a Latin-1 byte; a real bundle and compiled output are skipped with a note', async () => {
    write('heuristics/src/logo.ts', `${HEADER}export const logo = 'data:image/png;base64,${'QUJD'.repeat(6400)}';\n${REFUND}`);
    write('heuristics/src/latin1.ts', Buffer.from(`${HEADER}// caf\u00e9\n${REFUND}`, 'latin1'));
    write('heuristics/src/mapped.js', `const Stripe = require('stripe');\nconst stripe = new Stripe(process.env.K);\nexports.refund = (pi) => stripe.refunds.create({ payment_intent: pi });\n//# sourceMappingURL=mapped.js.map\n`);
    // Compiled output whose source map names a source in the tree: the source is audited instead.
    write('heuristics/lib/refund.js', `const Stripe = require('stripe');\nconst stripe = new Stripe(process.env.K);\nexports.refund = (pi) => stripe.refunds.create({ payment_intent: pi });\n//# sourceMappingURL=refund.js.map\n`);
    write('heuristics/lib/refund.js.map', JSON.stringify({ version: 3, file: 'refund.js', sourceRoot: '', sources: ['../src/refund.ts'], names: [], mappings: 'AAAA' }));
    write('heuristics/src/refund.ts', KEYLESS_REFUND);
    write('heuristics/src/vendor.js', `// stripe ${'x'.repeat(10)}\nvar stripe = require('stripe')(process.env.K);\n${minified}\nstripe.refunds.create({ payment_intent: 'pi' });\n`);
    const r = await run(['heuristics', '--offline', '--format', 'json']);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/latin1.ts`, `${MISSING} src/logo.ts`, `${MISSING} src/mapped.js`, `${MISSING} src/refund.ts`]);
    expect(r.stderr).toMatch(/skipped lib\/refund\.js: compiled output of src\/refund\.ts/);
    expect(r.stderr).toMatch(/skipped src\/vendor\.js: minified bundle/);
  });
});

describe.concurrent('an unreadable folder makes the scan incomplete', () => {
  // Tests run as root here, and chmod does not stop root: a path longer than PATH_MAX cannot be opened
  // by anyone, on Linux and macOS alike.
  const makeLongPath = (folder: string) => {
    const part = 'n'.repeat(200);
    // Made one relative step at a time (no absolute path that long can be passed to mkdir).
    const script = `process.chdir(process.argv[1]); for (let i = 0; i < 24; i++) { require('fs').mkdirSync('${part}'); process.chdir('${part}'); } require('fs').writeFileSync('refund.ts', process.argv[2]);`;
    expect(spawnSync(process.execPath, ['-e', script, path.join(tmp, folder), KEYLESS_REFUND]).status).toBe(0);
  };

  it.skipIf(!POSIX)('a folder whose path is too long to open: exit 2, naming it', async () => {
    write('long/src/refund.ts', KEYLESS_REFUND);
    makeLongPath('long');
    const r = await run(['long', '--offline', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read folder (?:n+\/)+n+ \(ENAMETOOLONG\)/);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/refund.ts`]);
  });

  it.skipIf(!POSIX)('the same in a git work tree: git cannot open it, and the scan says it is incomplete', async () => {
    write('long-git/src/refund.ts', KEYLESS_REFUND);
    git(path.join(tmp, 'long-git'), 'init', '-q');
    git(path.join(tmp, 'long-git'), 'add', '-A');
    git(path.join(tmp, 'long-git'), 'commit', '-qm', 'init');
    makeLongPath('long-git');
    const r = await run(['long-git', '--offline', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git could not list the untracked files of \. \(it failed, met a folder it could not open/);
    expect(findingsOf(r.stdout)).toEqual([`${MISSING} src/refund.ts`]);
  });
});

describe.concurrent('keys right after an escape sequence', () => {
  it('\\n, \\t, \\x22 and %20 before a live key', async () => {
    const key = (n: number) => `sk_live_51Hostile${n}` + 'Zq8Xw3Vb7Nm2Lk5Jh9Gf4Ds1Ap6Ty0Ur'.repeat(2);
    const escapes = ['\\n', '\\t', '\\x22', '%20'];
    write('escapes/src/keys.ts', escapes.map((e, i) => `export const k${i} = "${e}${key(i)}";\n`).join(''));
    const r = await runMain(['escapes', '--offline', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    const keys = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'stripe-secret-key-hardcoded');
    expect(keys.map((f: { startLine: number }) => f.startLine)).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < escapes.length; i++) expect(r.stdout + r.stderr).not.toContain(key(i));
  });
});
