// The CLI as a real subprocess: exit codes, formats, --output, colours, bad input, secret masking.
// The runs are asynchronous and the tests of a section concurrent, so that subprocesses overlap; the scan of
// dirty/ in each format is run once (beforeAll) for every test that reads that run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_WORKER, runCli, type Run } from './helpers/run-cli.js';

const CORPUS_KEYS = path.resolve(__dirname, '../fixtures/keys-committed');
let tmp: string;
let cacheDir: string;

function run(args: string[], env: Record<string, string> = {}, cwd = tmp): Promise<Run> {
  return runCli(cwd, args, { ...process.env, NO_COLOR: '', FORCE_COLOR: '', STRIPE_AUDIT_CACHE_DIR: cacheDir, npm_config_registry: 'http://127.0.0.1:9/', ...env });
}

/**
 * The same on the CLI's main thread (no scan worker), for the tests whose subject is the gate, the reports and
 * bad input rather than the scan's threads: the same scan code without a second V8 isolate to start (see
 * cliEnv in helpers/run-cli.ts). Discovery and start-up keep the worker, as users run it.
 */
const runMain = (args: string[], env: Record<string, string> = {}, cwd = tmp): Promise<Run> => run(args, { ...NO_WORKER, ...env } as Record<string, string>, cwd);

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
/** `dirty --offline --format <f>` for each format, run once. */
const dirty = {} as Record<(typeof FORMATS)[number], Run>;

function write(rel: string, text: string | Buffer) {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

const KEYLESS_REFUND = `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function refund(paymentIntent: string) {
  return stripe.refunds.create({ payment_intent: paymentIntent });
}
`;
const KEYED_REFUND = KEYLESS_REFUND.replace('});', "}, { idempotencyKey: `refund-${paymentIntent}` });");
const LIVE_KEY = 'sk_live_51CliTestOnlyKey' + 'Zq8Xw3Vb7Nm2Lk5Jh9Gf4Ds1Ap6Ty0Ur'.repeat(2);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-cli-'));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-cli-cache-'));
  write('clean/src/refund.ts', KEYED_REFUND);
  write('dirty/src/refund.ts', KEYLESS_REFUND);
  write('dirty/src/config.ts', `export const key = '${LIVE_KEY}';\n`);
  write('warn/src/customer.ts', `import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.K!);\nexport const c = () => stripe.customers.create({ email: 'a@b.c' });\n`);
  write('broken/src/pay.ts', `import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.K!);\nexport function pay( {\n  return stripe.refunds.create({ payment_intent: 'pi' });\n`);
  write('binary/src/blob.js', Buffer.from([0x73, 0x74, 0x72, 0x69, 0x70, 0x65, 0x00, 0x01, 0x02]));
  write('binary/src/refund.ts', KEYED_REFUND);
  write('utf16/src/refund.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(KEYLESS_REFUND, 'utf16le')]));
  write('latin1/src/refund.ts', Buffer.from(KEYLESS_REFUND.replace('refund(', 'refund(/* café */') , 'latin1'));
  const runs = await Promise.all(FORMATS.map((f) => runMain(['dirty', '--offline', '--format', f])));
  FORMATS.forEach((f, i) => (dirty[f] = runs[i]));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe.concurrent('exit codes', () => {
  it('0 when nothing reaches --fail-on', async () => {
    const r = await runMain(['clean', '--offline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 0 warnings in 0 files \(1 parsed of 1 scanned\)/);
  });
  it('1 on an error finding, and the gate follows --fail-on', async () => {
    expect(dirty.text.code).toBe(1);
    const [never, warn, warnGate] = await Promise.all([runMain(['dirty', '--offline', '--fail-on', 'never']), runMain(['warn', '--offline']), runMain(['warn', '--offline', '--fail-on', 'warning'])]);
    expect(never.code).toBe(0);
    expect(warn.code).toBe(0);
    expect(warnGate.code).toBe(1);
  });
  it('2 for a missing path, with a clear message', async () => {
    const r = await runMain(['does-not-exist', '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read does-not-exist: no such file or directory/);
  });
  it('2 for a usage error', async () => {
    const r = await runMain(['clean', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format/);
  });
  it('2 when a file does not parse: the scan is incomplete, and says which file', async () => {
    const r = await runMain(['broken', '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\/src\/pay.ts|src\/pay.ts: it does not parse/);
  });
  it('3 when the registry cannot be reached (not with --offline)', async () => {
    const port = await closedPort();
    write('registry/package.json', JSON.stringify({ name: 'r', dependencies: { stripe: '16.2.0' } }));
    write('registry/src/x.ts', KEYED_REFUND);
    const [r, offline] = await Promise.all([runMain(['registry', '--registry', `http://127.0.0.1:${port}/`, '--registry-timeout', '2000']), runMain(['registry', '--offline'])]);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.code).toBe(3);
    expect(offline.code).toBe(0);
  });
});

describe.concurrent('formats and output', () => {
  it('json has a versioned schema with findings and a summary', () => {
    const r = dirty.json;
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.summary.errors).toBe(2);
    expect(doc.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['idempotency-key-missing', 'stripe-secret-key-hardcoded']);
    const f = doc.findings.find((x: { ruleId: string }) => x.ruleId === 'idempotency-key-missing');
    expect(f).toMatchObject({ file: 'src/refund.ts', startLine: 4, severity: 'error' });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(r.stderr).toMatch(/2 errors, 0 warnings/);
  });
  it('sarif is SARIF 2.1.0 with rules, uris relative to the working directory (no git) and fingerprints', () => {
    const doc = JSON.parse(dirty.sarif.stdout);
    expect(doc.version).toBe('2.1.0');
    const runObj = doc.runs[0];
    expect(runObj.tool.driver.rules.length).toBeGreaterThanOrEqual(14);
    for (const rule of runObj.tool.driver.rules) {
      expect(rule.properties.tags).toContain('security');
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    const res = runObj.results.find((x: { ruleId: string }) => x.ruleId === 'idempotency-key-missing');
    // Outside git, the working directory (which holds the scanned folder) is the base.
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'dirty/src/refund.ts', uriBaseId: '%SRCROOT%' });
    expect(runObj.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(fs.realpathSync(tmp) + '/').href);
    expect(res.locations[0].physicalLocation.region.startLine).toBe(4);
    expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
  });
  it('github prints workflow commands with the rule as title', () => {
    expect(dirty.github.stdout).toMatch(/^::error file=dirty\/src\/refund.ts,line=4,col=\d+,endLine=\d+,endColumn=\d+,title=idempotency-key-missing::/m);
  });
  it('--output writes the report to a file and the summary to stderr', async () => {
    const out = path.join(tmp, 'out', 'report.sarif');
    const r = await runMain(['dirty', '--offline', '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
    expect(r.stderr).toMatch(/2 errors, 0 warnings in 2 files/);
  });
  it('text: colours only when asked; NO_COLOR and --no-color turn them off', async () => {
    const [forced, both, flag, noColor] = await Promise.all([
      runMain(['dirty', '--offline'], { FORCE_COLOR: '1' }),
      runMain(['dirty', '--offline'], { FORCE_COLOR: '1', NO_COLOR: '1' }),
      runMain(['dirty', '--offline', '--no-color'], { FORCE_COLOR: '1' }),
      runMain(['dirty', '--offline'], { NO_COLOR: '1' }),
    ]);
    expect(forced.stdout).toMatch(/\x1b\[/);
    expect(both.stdout).toMatch(/\x1b\[/); // FORCE_COLOR wins, as in chalk
    expect(flag.stdout).not.toMatch(/\x1b\[/);
    expect(noColor.stdout).not.toMatch(/\x1b\[/);
  });
  it('-q shows errors only', async () => {
    const r = await runMain(['warn', '--offline', '--quiet']);
    expect(r.stdout).not.toMatch(/customers\.create/);
  });
});

describe.concurrent('discovery', () => {
  it('inside a git work tree: tracked and untracked files count, ignored and deleted ones do not', async () => {
    const repo = path.join(tmp, 'gitrepo');
    write('gitrepo/.gitignore', 'generated/\n*.local.ts\n');
    write('gitrepo/src/tracked.ts', KEYLESS_REFUND);
    write('gitrepo/src/gone.ts', KEYLESS_REFUND);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    fs.rmSync(path.join(repo, 'src/gone.ts'));
    write('gitrepo/src/untracked.ts', KEYLESS_REFUND);
    write('gitrepo/generated/ignored.ts', KEYLESS_REFUND);
    write('gitrepo/src/dev.local.ts', KEYLESS_REFUND);
    // On the main thread (a small tree), and in the worker, which starts git on the tracked files of the
    // folders the command line names before the CLI has parsed it (git-listing.ts prelistTracked), also
    // when the folder is named from below it and after an option's value.
    const [r, inWorker, fromSub] = await Promise.all([
      run(['gitrepo', '--offline', '--format', 'json']),
      run(['gitrepo', '--offline', '--format', 'json'], { STRIPE_AUDIT_WORKER: '1', STRIPE_AUDIT_TRACE: '1' }),
      run(['--format', 'json', '..', '--offline'], { STRIPE_AUDIT_WORKER: '1' }, path.join(repo, 'src')),
    ]);
    const files = (x: Run) => JSON.parse(x.stdout).findings.map((f: { file: string }) => f.file).sort();
    expect(files(r)).toEqual(['src/tracked.ts', 'src/untracked.ts']);
    expect(r.code).toBe(1);
    expect(files(inWorker)).toEqual(files(r));
    expect(inWorker.stderr).toMatch(/^trace +\d+ ms +worker +scan done$/m);
    expect(files(fromSub)).toEqual(['src/tracked.ts', 'src/untracked.ts']);
  });
  it('a work tree with nothing committed yet: git lists every file as untracked', async () => {
    const repo = path.join(tmp, 'freshrepo');
    write('freshrepo/.gitignore', 'generated/\n');
    write('freshrepo/src/refund.ts', KEYLESS_REFUND);
    write('freshrepo/generated/refund.ts', KEYLESS_REFUND);
    expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
    const files = JSON.parse((await run(['freshrepo', '--offline', '--format', 'json'])).stdout).findings.map((f: { file: string }) => f.file);
    expect(files).toEqual(['src/refund.ts']);
  });
  it('git lists tracked and untracked files apart; a weakly signalled file is promoted across the two', async () => {
    // routes/webhook.ts only says "webhook": it is audited because it imports the Stripe client. The
    // client is tracked and the route untracked in one repository, and the other way round in another.
    const route = `import express from 'express';\nimport { payments } from '../lib/client';\nconst app = express();\napp.post('/webhook', express.json(), async (req, res) => {\n  const event = req.body;\n  await payments.invoices.retrieve(event.data.object.id);\n  res.sendStatus(200);\n});\n`;
    const client = `import Stripe from 'stripe';\nexport const payments = new Stripe(process.env.STRIPE_SECRET_KEY!);\n`;
    const findingsOf = async (name: string, tracked: string) => {
      const repo = path.join(tmp, name);
      write(`${name}/lib/client.ts`, client);
      write(`${name}/routes/webhook.ts`, route);
      expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
      spawnSync('git', ['add', tracked], { cwd: repo });
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'one file'], { cwd: repo });
      const r = await run([name, '--offline', '--format', 'json']);
      return JSON.parse(r.stdout).findings.map((f: { ruleId: string; file: string }) => `${f.ruleId} ${f.file}`);
    };
    expect(await findingsOf('split-a', 'lib/client.ts')).toEqual(['webhook-signature-unverified routes/webhook.ts']);
    expect(await findingsOf('split-b', 'routes/webhook.ts')).toEqual(['webhook-signature-unverified routes/webhook.ts']);
  });
  it('a symlink loop is noted and not followed; the file is reported once', async () => {
    write('loop/src/refund.ts', KEYLESS_REFUND);
    fs.symlinkSync('..', path.join(tmp, 'loop/src/parent'));
    fs.symlinkSync(path.join(tmp, 'loop'), path.join(tmp, 'loop/self'));
    const r = await run(['loop', '--offline', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['src/refund.ts']);
    expect(r.stderr).toMatch(/symlink to a folder already scanned/);
  });
  it('outside git, nested .gitignore files are honoured by the walker', async () => {
    write('walked/.gitignore', 'build-cache/\n');
    write('walked/pkg/.gitignore', 'secret-*.ts\n');
    write('walked/pkg/src/ok.ts', KEYLESS_REFUND);
    write('walked/pkg/src/secret-local.ts', KEYLESS_REFUND);
    write('walked/build-cache/x.ts', KEYLESS_REFUND);
    write('walked/node_modules/lib/index.ts', KEYLESS_REFUND);
    const files = JSON.parse((await run(['walked', '--offline', '--format', 'json'])).stdout).findings.map((f: { file: string }) => f.file);
    expect(files).toEqual(['pkg/src/ok.ts']);
  });
});

describe.concurrent('start-up', () => {
  const findingsOf = (stdout: string) => JSON.parse(stdout).findings.map((f: { ruleId: string; file: string; startLine: number }) => `${f.ruleId} ${f.file}:${f.startLine}`);

  it('the same report whichever thread filters which files (worker and main thread sharing the pool, or one thread)', async () => {
    // Enough files for many batches of the shared pool, with findings and skipped files spread through it.
    for (let i = 0; i < 1500; i++) {
      const dir = `pool/packages/p${i % 30}/src`;
      if (i % 97 === 0) write(`${dir}/refund${i}.ts`, KEYLESS_REFUND.replace('refund(', `refund${i}(`));
      else if (i % 211 === 0) write(`${dir}/blob${i}.js`, Buffer.from([0x73, 0x00, 0x01]));
      else write(`${dir}/util${i}.ts`, `export const double${i} = (n: number) => n * 2;\n`);
    }
    // 1,500 files get no worker of their own (src/scan/worker-choice.ts): STRIPE_AUDIT_WORKER=1 makes one.
    const [shared, oneThread] = await Promise.all([run(['pool', '--offline', '--format', 'json'], { STRIPE_AUDIT_WORKER: '1' }), run(['pool', '--offline', '--format', 'json'], { STRIPE_AUDIT_NO_WORKER: '1' })]);
    expect(findingsOf(shared.stdout)).toHaveLength(16);
    expect(findingsOf(shared.stdout)).toEqual(findingsOf(oneThread.stdout));
    expect(shared.stderr).toMatch(/skipped packages\/p\d+\/src\/blob\d+\.js: binary content/);
    expect(shared.stderr).toBe(oneThread.stderr);
  });
  it('the worker scans what the CLI parsed: a config given as -c<file> (joined) or -c <file> applies its ignore', async () => {
    write('guess/src/refund.ts', KEYLESS_REFUND);
    write('guess/legacy/refund.ts', KEYLESS_REFUND);
    write('guess-config/ci.json', JSON.stringify({ ignore: ['legacy/**'] }));
    const [joined, separate] = await Promise.all([
      run(['guess', `-c${path.join(tmp, 'guess-config/ci.json')}`, '--offline', '--format', 'json'], { STRIPE_AUDIT_WORKER: '1' }),
      run(['guess', '-c', path.join(tmp, 'guess-config/ci.json'), '--offline', '--format', 'json'], { STRIPE_AUDIT_WORKER: '1' }),
    ]);
    expect(findingsOf(joined.stdout)).toEqual(['idempotency-key-missing src/refund.ts:4']);
    expect(findingsOf(separate.stdout)).toEqual(findingsOf(joined.stdout));
  });

  it("V8's code caches (the parser, the bundle's chunks): the build's are used; corrupt ones in the user cache are replaced and then used", async () => {
    const built = fs.readdirSync(path.resolve(__dirname, '../dist/v8'));
    const compiler = built.filter((f) => /^typescript-[0-9a-f]{16}\.bin$/.test(f));
    const chunks = built.filter((f) => /^chunk-[0-9a-f]{16}\.bin$/.test(f));
    expect(compiler).toHaveLength(1);
    expect(chunks.length).toBeGreaterThan(10);
    expect(built.length).toBe(compiler.length + chunks.length);
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-v8-'));
    try {
      const env = { STRIPE_AUDIT_CACHE_DIR: own };
      const first = await run(['dirty', '--offline', '--format', 'json'], env);
      expect(first.code).toBe(1);
      // The build's caches were accepted: nothing to write.
      expect(fs.existsSync(path.join(own, 'v8'))).toBe(false);

      // The user's caches are tried first: corrupt ones are rejected by V8 and rewritten (those the run loads).
      fs.mkdirSync(path.join(own, 'v8'));
      for (const f of built) fs.writeFileSync(path.join(own, 'v8', f), 'not a code cache');
      const second = await run(['dirty', '--offline', '--format', 'json'], env);
      expect(second.code).toBe(1);
      expect(findingsOf(second.stdout)).toEqual(findingsOf(first.stdout));
      const rewritten = () => built.filter((f) => fs.readFileSync(path.join(own, 'v8', f), 'latin1') !== 'not a code cache');
      expect(rewritten()).toContain(compiler[0]);
      expect(rewritten().length).toBeGreaterThan(10);
      expect(fs.statSync(path.join(own, 'v8', compiler[0])).size).toBeGreaterThan(100_000);
      const mtimes = new Map(built.map((f) => [f, fs.statSync(path.join(own, 'v8', f)).mtimeMs]));

      // Accepted by V8 this time, so not written again.
      const third = await run(['dirty', '--offline', '--format', 'json'], env);
      expect(findingsOf(third.stdout)).toEqual(findingsOf(first.stdout));
      expect(built.filter((f) => fs.statSync(path.join(own, 'v8', f)).mtimeMs !== mtimes.get(f))).toEqual([]);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('STRIPE_AUDIT_NO_CODE_CACHE=1 writes no cache; an unwritable cache folder costs nothing but speed', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-v8-'));
    try {
      const off = await run(['dirty', '--offline', '--format', 'json'], { STRIPE_AUDIT_CACHE_DIR: own, STRIPE_AUDIT_NO_CODE_CACHE: '1' });
      expect(off.code).toBe(1);
      expect(fs.existsSync(path.join(own, 'v8'))).toBe(false);
      const blocked = path.join(own, 'a-file');
      fs.writeFileSync(blocked, '');
      const r = await run(['dirty', '--offline', '--format', 'json'], { STRIPE_AUDIT_CACHE_DIR: blocked });
      expect(r.code).toBe(1);
      expect(findingsOf(r.stdout)).toEqual(findingsOf(off.stdout));
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
  it('STRIPE_AUDIT_TRACE=1 prints a timeline of both threads on stderr; a small tree is scanned without the worker', async () => {
    const [traced, small] = await Promise.all([
      run(['dirty', '--offline', '--format', 'json'], { STRIPE_AUDIT_TRACE: '1', STRIPE_AUDIT_WORKER: '1' }),
      run(['dirty', '--offline', '--format', 'json'], { STRIPE_AUDIT_TRACE: '1' }),
    ]);
    expect(traced.stderr).toMatch(/^trace +\d+ ms +worker +scan done$/m);
    expect(traced.stderr).toMatch(/^trace +\d+ ms +main +options parsed$/m);
    expect(traced.stderr).toMatch(/^trace +\d+ ms +main +analysis loaded$/m);
    // A few files: the main thread scans them alone (no worker to start), and finds the same.
    expect(small.stderr).not.toMatch(/^trace +\d+ ms +worker/m);
    expect(small.stderr).toMatch(/^trace +\d+ ms +main +scan received$/m);
    expect(JSON.parse(small.stdout).findings).toEqual(JSON.parse(traced.stdout).findings);
    expect(dirty.json.stderr).not.toMatch(/^trace/m);
  });
});

describe.concurrent('bad input and secrets', () => {
  it('skips a binary file with a note and goes on', async () => {
    const r = await runMain(['binary', '--offline']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped src\/blob\.js: binary content/);
  });
  it('reads UTF-16 files with a byte-order mark, and a stray Latin-1 byte leniently (as tsc and node do)', async () => {
    const [utf16, latin1] = (await Promise.all([runMain(['utf16', '--offline', '--format', 'json']), runMain(['latin1', '--offline', '--format', 'json'])])).map((r) => JSON.parse(r.stdout));
    expect(utf16.findings.map((f: { ruleId: string; startLine: number }) => `${f.ruleId}:${f.startLine}`)).toEqual(['idempotency-key-missing:4']);
    expect(latin1.findings.map((f: { ruleId: string; startLine: number }) => `${f.ruleId}:${f.startLine}`)).toEqual(['idempotency-key-missing:4']);
  });
  it('never prints a secret whole, in any format', () => {
    for (const format of FORMATS) {
      const r = dirty[format];
      expect(r.stdout + r.stderr).not.toContain(LIVE_KEY);
      expect(r.stdout).toContain(`sk_live_…${LIVE_KEY.slice(-4)}`);
    }
  });
  it('reports the keys of a fixture app at their levels', async () => {
    const doc = JSON.parse((await runMain([CORPUS_KEYS, '--offline', '--format', 'json'])).stdout);
    const levels = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'stripe-secret-key-hardcoded').map((f: { severity: string }) => f.severity);
    expect(levels).toContain('error');
    expect(levels).toContain('warning');
  });
  it('--version and --help', async () => {
    const [version, help] = await Promise.all([run(['--version']), run(['--help'])]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:/);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
