// What the CLI prints and writes, as a real subprocess (build first): report paths, counts and exit codes,
// output files and their failures, extra reports, suppression forms, and the help/version conventions.
// Where a test looks at one scan in several formats, one run prints text or github on stdout and writes the
// JSON and SARIF reports with --json-output and --sarif-output (the same reporters on the same result as
// --format json / sarif; test/cli.test.ts checks those on stdout).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_WORKER } from './helpers/run-cli.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/stripe-audit.js');
let tmp: string;
let cacheDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let reportCount = 0;
/** A run that also writes its JSON and SARIF reports to files: their text, '' when not written. */
async function runWithReports(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run & { json: string; sarif: string }> {
  const base = path.join(tmp, 'reports', String(++reportCount));
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const r = await run([...args, '--json-output', `${base}.json`, '--sarif-output', `${base}.sarif`], opts);
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  return { ...r, json: read(`${base}.json`), sarif: read(`${base}.sarif`) };
}

function run(args: string[], opts: { cwd?: string; env?: Record<string, string>; closeStdout?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', STRIPE_AUDIT_CACHE_DIR: cacheDir, npm_config_registry: 'http://127.0.0.1:9/', ...NO_WORKER, ...opts.env };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? tmp, env });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // No hang: a run that does not end in 100 s (a loaded machine included) is a failure, not a stuck test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function write(rel: string, text: string | Buffer): string {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

const git = (cwd: string, ...args: string[]) =>
  new Promise<void>((resolve, reject) => {
    const c = spawn('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'ignore' });
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')}: ${code}`))));
  });

const KEYLESS_REFUND = `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function refund(paymentIntent: string) {
  return stripe.refunds.create({ payment_intent: paymentIntent });
}
`;
const WARN_CUSTOMER = `import Stripe from 'stripe';\nconst stripe = new Stripe(process.env.K!);\nexport const c = () => stripe.customers.create({ email: 'a@b.c' });\n`;
const LIVE_KEY = 'sk_live_51OutTestOnlyKey' + 'Zq8Xw3Vb7Nm2Lk5Jh9Gf4Ds1Ap6Ty0Ur'.repeat(2);
const ESC = '\x1b';

interface SarifLog {
  runs: {
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
    results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; suppressions?: { justification: string }[] }[];
  }[];
}
interface JsonReport {
  summary: { errors: number; warnings: number; complete: boolean; exitCode: number; filesScanned: number; filesParsed: number };
  findings: { ruleId: string; file: string; startLine: number; fingerprint: string; snippet?: string; suppressed?: { justification: string } }[];
  diagnostics: { level: string; message: string }[];
}
const sarifUris = (log: SarifLog) => log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri).sort();
/** Resolves a SARIF result's URI against %SRCROOT% to a file path. */
const resolveUri = (log: SarifLog, uri: string) => fileURLToPath(new URL(uri, log.runs[0].originalUriBaseIds['%SRCROOT%'].uri));

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-output-')));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-output-cache-'));
  write('dirty/src/refund.ts', KEYLESS_REFUND);
  write('mixed/src/refund.ts', KEYLESS_REFUND);
  write('mixed/src/customer.ts', WARN_CUSTOMER);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe.concurrent('report paths', { timeout: 150_000 }, () => {
  it('github and sarif paths are relative to the git top level when a subfolder is scanned; text paths to the working directory', async () => {
    write('repo/app/src/refund.ts', KEYLESS_REFUND);
    write('repo/README.md', '# shop\n');
    const repo = path.join(tmp, 'repo');
    await git(repo, 'init', '-q');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'init');
    const app = path.join(repo, 'app');
    const [gh, text, fromTop] = await Promise.all([
      runWithReports(['.', '--offline', '--format', 'github'], { cwd: app }),
      run(['.', '--offline'], { cwd: app }),
      run(['app', '--offline', '--format', 'sarif'], { cwd: repo }),
    ]);
    expect(gh.stdout).toMatch(/^::error file=app\/src\/refund\.ts,line=4,/m);
    const log = JSON.parse(gh.sarif) as SarifLog;
    expect(sarifUris(log)).toEqual(['app/src/refund.ts']);
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(new URL(`file://${repo}/`).href);
    expect(fs.existsSync(resolveUri(log, 'app/src/refund.ts'))).toBe(true);
    expect(sarifUris(JSON.parse(fromTop.stdout))).toEqual(['app/src/refund.ts']);
    // Text: `path:line:col` from the working directory (app/).
    expect(text.stdout).toMatch(/^ {2}src\/refund\.ts:4:\d+ +error/m);
  });

  it('outside git and outside the working directory, paths stay relative to the scan root', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-output-cwd-'));
    try {
      const target = path.join(tmp, 'dirty');
      const gh = await runWithReports([target, '--offline', '--format', 'github'], { cwd: elsewhere });
      const log = JSON.parse(gh.sarif) as SarifLog;
      expect(sarifUris(log)).toEqual(['src/refund.ts']);
      expect(resolveUri(log, 'src/refund.ts')).toBe(path.join(target, 'src/refund.ts'));
      expect(gh.stdout).toMatch(/^::error file=src\/refund\.ts,/m);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('SARIF URIs of names with #, ?, :, % and spaces resolve back to the files', async () => {
    const names = ['a#frag.ts', 'q?x=1.ts', 'c:evil.ts', 'p%41.ts', 'two words.ts'];
    for (const n of names) write(`uris/${n}`, KEYLESS_REFUND);
    const r = await run(['uris', '--offline', '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as SarifLog;
    const files = sarifUris(log).map((u) => resolveUri(log, u));
    expect(files.sort()).toEqual(names.map((n) => path.join(tmp, 'uris', n)).sort());
  });
});

describe.concurrent('no false green, and a summary that says what happened', { timeout: 150_000 }, () => {
  it('0 source files scanned is exit 2 with a message (an empty folder, an ignore pattern that matches everything), and writes no baseline', async () => {
    fs.mkdirSync(path.join(tmp, 'empty'), { recursive: true });
    write('ignored-all/src/refund.ts', KEYLESS_REFUND);
    write('ignored-all/stripe-audit.config.json', JSON.stringify({ ignore: ['**'] }));
    const baseline = path.join(tmp, 'empty-baseline.json');
    const [empty, ignored, written] = await Promise.all([
      runWithReports(['empty', '--offline']),
      run(['ignored-all', '--offline']),
      run(['empty', '--offline', '--write-baseline', baseline]),
    ]);
    // An incomplete scan records no baseline (the findings it missed would count as new later).
    expect(written.code).toBe(2);
    expect(fs.existsSync(baseline)).toBe(false);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no TypeScript or JavaScript files to scan in empty/);
    expect(empty.stdout + empty.stderr).not.toMatch(/0 errors/);
    expect(ignored.code).toBe(2);
    expect(ignored.stderr).toMatch(/"ignore" patterns/);
    expect(JSON.parse(empty.json).summary).toMatchObject({ complete: false, exitCode: 2 });
  });

  it('a named path that is not a TS/JS file or a folder is a usage error', async () => {
    write('docs/README.md', '# hi\n');
    const [readme, dev] = await Promise.all([run(['docs/README.md', '--offline']), run(['/dev/null', '--offline'])]);
    expect(readme.code).toBe(2);
    expect(readme.stderr).toMatch(/docs\/README\.md is not a TypeScript or JavaScript source file/);
    expect(readme.stdout).toBe('');
    expect(dev.code).toBe(2);
    expect(dev.stderr).toMatch(/not a regular file or a folder/);
  });

  it('no "0 errors" after a fatal path error; complete and executionSuccessful are false on exit 2 and 3', async () => {
    write('registry/package.json', JSON.stringify({ name: 'r', dependencies: { stripe: '16.2.0' } }));
    write('registry/src/x.ts', `export const x = 1;\nimport Stripe from 'stripe';\nexport const s = new Stripe('k');\n`);
    const port = await closedPort();
    const online = ['registry', '--registry', `http://127.0.0.1:${port}/`, '--registry-timeout', '1000'];
    const [missing, reg] = await Promise.all([runWithReports(['does-not-exist', '--offline']), runWithReports(online)]);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).not.toMatch(/0 errors/);
    expect(missing.stdout).toMatch(/scan incomplete/);
    expect((JSON.parse(missing.sarif) as SarifLog).runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(JSON.parse(missing.json).summary).toMatchObject({ complete: false, exitCode: 2 });
    expect(reg.code).toBe(3);
    expect(reg.stdout).toMatch(/SDK check incomplete/);
    expect(JSON.parse(reg.json).summary).toMatchObject({ complete: false, exitCode: 3 });
    expect((JSON.parse(reg.sarif) as SarifLog).runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('--quiet counts the hidden warnings; imported modules are counted apart from the scanned files', async () => {
    write('imports/lib/client.ts', `import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.K!);\n`);
    write('imports/routes/refund.ts', `import { stripe } from '../lib/client';\nexport const r = (pi: string) => stripe.refunds.create({ payment_intent: pi });\n`);
    const [quiet, one] = await Promise.all([run(['mixed', '--offline', '--quiet']), run(['imports/routes/refund.ts', '--offline'])]);
    expect(quiet.stdout).toMatch(/^1 error in 1 file \(2 parsed of 2 scanned\), 1 warning not shown \(--quiet\)$/m);
    expect(quiet.stdout).not.toMatch(/customers\.create/);
    const m = /\((\d+) parsed of (\d+) scanned; 1 imported module parsed too\)/.exec(one.stdout);
    expect(m, one.stdout).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(Number(m![2]));
  });

  it('overlapping path arguments scan each file once', async () => {
    write('app/src/refund.ts', KEYLESS_REFUND);
    write('app/lib/customer.ts', WARN_CUSTOMER);
    const [once, overlapping] = await Promise.all([run(['app', '--offline', '--format', 'json']), run(['app', 'app/src', './app', 'app/src/refund.ts', '--offline', '--format', 'json'])]);
    const a = JSON.parse(once.stdout) as JsonReport;
    const b = JSON.parse(overlapping.stdout) as JsonReport;
    expect(b.findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}`)).toEqual(a.findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}`));
    expect(b.summary.filesScanned).toBe(2);
    expect(b.findings).toHaveLength(2);
  });
});

describe.concurrent('output files', { timeout: 150_000 }, () => {
  it('a folder, a missing parent that is a file, /dev/full, /proc and /sys paths are one clean line, exit 2, no hang', async () => {
    write('out/a-file', 'x');
    // /sys: a place nobody, root included, can create a file in.
    const cases = [path.join(tmp, 'out'), path.join(tmp, 'out/a-file/report.sarif'), '/dev/full', '/proc/self/x/y', '/sys/report.sarif'];
    const runs = await Promise.all([
      ...cases.map((o) => run(['dirty', '--offline', '--format', 'sarif', '-o', o])),
      run(['dirty', '--offline', '--write-baseline', '/proc/self/x/y']),
      run(['dirty', '--offline', '--sarif-output', path.join(tmp, 'out')]),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.filter((l) => /cannot write/.test(l)), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    }
    expect(runs[0].stderr).toMatch(/it is a folder/);
    expect(runs[2].stderr).toMatch(/no space left/);
  });

  it('does not write through a symlink to a file (a checkout can commit one)', async () => {
    const victim = write('victim/.bashrc', 'echo hi\n');
    fs.symlinkSync(victim, path.join(tmp, 'dirty/stripe-audit.sarif'));
    const r = await run(['.', '--offline', '--format', 'sarif', '-o', 'stripe-audit.sarif'], { cwd: path.join(tmp, 'dirty') });
    fs.unlinkSync(path.join(tmp, 'dirty/stripe-audit.sarif'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a symlink/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('echo hi\n');
  });

  it('a closed stdout (`| head`) ends quietly', async () => {
    const r = await run(['dirty', '--offline', '--format', 'json'], { closeStdout: true });
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(r.code).toBe(1);
  });

  it('--sarif-output and --json-output write full reports next to github annotations on stdout', async () => {
    const sarif = path.join(tmp, 'extra/out.sarif');
    const json = path.join(tmp, 'extra/out.json');
    const r = await run(['dirty', '--offline', '--format', 'github', '--sarif-output', sarif, '--json-output', json]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=dirty\/src\/refund\.ts,/m);
    expect(sarifUris(JSON.parse(fs.readFileSync(sarif, 'utf8')))).toEqual(['dirty/src/refund.ts']);
    expect((JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport).findings.map((f) => f.ruleId)).toEqual(['idempotency-key-missing']);
  });
});

describe.concurrent('suppressions in the output', { timeout: 150_000 }, () => {
  const text = [
    "import Stripe from 'stripe';",
    'const stripe = new Stripe(process.env.K!);',
    "export const a = (pi: string) => stripe.refunds.create({ payment_intent: pi }); // stripe-audit-ignore-line idempotency-key-missing -- deduplicated by the orders table",
    '// stripe-audit-ignore idempotency-key-missing -- not a form this tool knows',
    "export const b = (pi: string) => stripe.refunds.create({ payment_intent: pi });",
    '',
  ].join('\n');

  it('same-line form; unknown forms are warned about; suppressed findings hidden in text and github unless --show-suppressed, kept in SARIF', async () => {
    write('supp/src/refunds.ts', text);
    const [txt, gh, shown] = await Promise.all([
      run(['supp', '--offline']),
      runWithReports(['supp', '--offline', '--format', 'github']),
      run(['supp', '--offline', '--show-suppressed']),
    ]);
    expect(txt.code).toBe(1);
    expect(txt.stdout).toMatch(/refunds\.ts:5:\d+ +error/);
    expect(txt.stdout).not.toMatch(/refunds\.ts:3:/);
    expect(txt.stdout).toMatch(/1 suppressed/);
    expect(txt.stderr).toMatch(/src\/refunds\.ts:4: 'stripe-audit-ignore' is not a suppression this tool understands/);
    expect(gh.stdout).not.toMatch(/line=3,/);
    expect(gh.stdout).toMatch(/^::warning file=supp\/src\/refunds\.ts,line=4::/m);
    expect(shown.stdout).toMatch(/refunds\.ts:3:\d+ +suppressed/);
    expect(shown.stdout).toMatch(/suppressed: deduplicated by the orders table/);
    const log = JSON.parse(gh.sarif) as SarifLog;
    expect(log.runs[0].results.filter((x) => x.suppressions).map((x) => x.suppressions![0].justification)).toEqual(['deduplicated by the orders table']);
  });

  it('"warn" is accepted as "warning" in the config', async () => {
    write('warnlevel/src/refund.ts', KEYLESS_REFUND);
    write('warnlevel/stripe-audit.config.json', JSON.stringify({ rules: { 'idempotency-key-missing': 'warn' } }));
    const r = await run(['warnlevel', '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).summary).toMatchObject({ errors: 0, warnings: 1 });
  });

  it('a warning diagnostic shows in every format: text (stderr), json, sarif notifications, github ::warning', async () => {
    write('diag/src/refund.ts', KEYLESS_REFUND.replace('  return stripe', '  // stripe-audit-ignore-next-line idempotency-key-missing\n  return stripe'));
    const [txt, gh] = await Promise.all([run(['diag', '--offline']), runWithReports(['diag', '--offline', '--format', 'github'])]);
    const needle = /a reason is required/;
    expect(txt.stderr).toMatch(needle);
    expect((JSON.parse(gh.json) as JsonReport).diagnostics.some((d) => d.level === 'warning' && needle.test(d.message))).toBe(true);
    expect((JSON.parse(gh.sarif) as SarifLog).runs[0].invocations[0].toolExecutionNotifications.some((n) => n.level === 'warning' && needle.test(n.message.text))).toBe(true);
    expect(gh.stdout).toMatch(/^::warning file=diag\/src\/refund\.ts,line=4::stripe-audit: .*a reason is required/m);
  });
});

describe.concurrent('hostile names, code and text', { timeout: 150_000 }, () => {
  it('a file name cannot forge a workflow command, and control sequences never reach the terminal', async () => {
    const forged = 'a\n::error file=x.ts,line=1::FORGED.ts';
    write(`inject/src/${forged}`, KEYLESS_REFUND);
    write('inject/src/b\x1b]0;pwned\x07.js', Buffer.from([0x73, 0x00, 0x01])); // binary: a note on stderr names it
    write('inject/src/frame.ts', KEYLESS_REFUND.replace('return stripe', `const t = \`\x1b[2J\r::error::FORGED\`; return stripe`));
    write('inject/src/::warning title=x::FORGED.ts', KEYLESS_REFUND);
    const [text, github] = await Promise.all(['text', 'github'].map((f) => runWithReports(['inject', '--offline', '--no-color', '--format', f])));
    // What reaches the terminal (stdout and stderr of both runs) and the JSON and SARIF reports.
    for (const out of [text, github].flatMap((r) => [r.stdout + r.stderr, r.json, r.sarif])) {
      expect(out.length).toBeGreaterThan(0);
      expect(out).not.toMatch(/[\x07\x1b\r]/);
      for (const line of out.split('\n')) {
        if (/^\s*(::|##\[)/.test(line)) expect(line).toMatch(/^::(error|warning|notice)(?: [^:]*)?::/);
        expect(line).not.toMatch(/^::error file=x\.ts/);
        expect(line).not.toMatch(/^\s*::(error|warning)::FORGED|^::warning title=x/);
      }
    }
    expect(github.stdout).toMatch(/file=inject\/src\/a%0A%3A%3Aerror file=x\.ts%2Cline=1%3A%3AFORGED\.ts,line=4/);
    // Every real finding is still reported.
    expect((JSON.parse(text.json) as JsonReport).findings.map((f) => f.file).sort()).toEqual(['src/::warning title=x::FORGED.ts', `src/${forged}`, 'src/frame.ts'].sort());
  });

  it('lockfile versions and baseline entries cannot forge a command or reach the terminal raw, on stdout or stderr', async () => {
    const forged = '\n::error file=f.ts,line=1::FORGED\x1b]0;t\x07\r::warning::FORGED';
    write('lockinject/package.json', JSON.stringify({ name: 'x', dependencies: { stripe: '^23.0.0' } }));
    write('lockinject/package-lock.json', JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { dependencies: { stripe: '^23.0.0' } }, 'node_modules/stripe': { version: `23.0.0${forged}` } } }));
    write('lockinject/src/refund.ts', KEYLESS_REFUND);
    const baseline = write('lockinject-baseline.json', JSON.stringify({ version: 1, tool: 'x', findings: [{ ruleId: `r${forged}`, file: `f${forged}`, fingerprint: 'gone', message: `m${forged}` }] }));
    const runs = await Promise.all(['text', 'github'].map((f) => runWithReports(['lockinject', '--offline', '--baseline', baseline, '--format', f])));
    expect(runs[0].stderr).toMatch(/cannot read the stripe version/);
    expect(runs[0].stderr).toMatch(/baselined finding no longer found/);
    for (const out of runs.flatMap((r) => [r.stdout + r.stderr, r.json])) {
      expect(out.length).toBeGreaterThan(0);
      expect(out).not.toMatch(/[\x07\x1b\r]/);
      for (const line of out.split('\n')) expect(line).not.toMatch(/^\s*::(error|warning)(::FORGED| file=f\.ts)/);
    }
  });

  it('secrets are masked in suppression reasons, unknown-rule warnings, file paths and glued to a word, in every format', async () => {
    write(`secrets/src/${LIVE_KEY}.ts`, KEYLESS_REFUND);
    write(
      'secrets/src/reason.ts',
      KEYLESS_REFUND.replace('  return stripe', `  // stripe-audit-ignore-next-line idempotency-key-missing -- reviewed with ${LIVE_KEY}\n  return stripe`) +
        `// stripe-audit-ignore-next-line ${LIVE_KEY} -- x\nexport const glued = () => stripe.refunds.create({ payment_intent: 'X${LIVE_KEY}' });\n`,
    );
    write('secrets/package.json', JSON.stringify({ name: 's', dependencies: { stripe: `https://example.invalid/${LIVE_KEY}.tgz` } }));
    const runs = await Promise.all(['text', 'github'].map((f) => runWithReports(['secrets', '--offline', '--show-suppressed', '--format', f])));
    // text and github on stdout, JSON and SARIF in their files.
    for (const [report, stderr] of runs.flatMap((r) => [[r.stdout, r.stderr], [r.json, ''], [r.sarif, '']])) {
      expect(report.length).toBeGreaterThan(100);
      expect(report + stderr).not.toContain(LIVE_KEY.slice(8, 30));
    }
    expect(runs[0].stdout).toContain(`sk_live_…${LIVE_KEY.slice(-4)}`);
  });

  it('lone \\r and U+2028 line endings: code frames show the line, fingerprints differ', async () => {
    const lines = KEYLESS_REFUND.trimEnd().split('\n');
    lines.push('export const again = (pi: string) => stripe.refunds.create({ payment_intent: pi });');
    write('endings/cr.ts', lines.join('\r') + '\r');
    write('endings/ls.ts', lines.join('\u2028') + '\u2028');
    const text = await runWithReports(['endings', '--offline']);
    const doc = JSON.parse(text.json) as JsonReport;
    for (const file of ['cr.ts', 'ls.ts']) {
      const found = doc.findings.filter((f) => f.file === file);
      expect(found.map((f) => f.startLine)).toEqual([4, 6]);
      expect(found.map((f) => f.snippet)).toEqual([lines[3], lines[5]]);
      expect(found[0].fingerprint).not.toBe(found[1].fingerprint);
    }
    expect(text.stdout).toContain(`4 | ${lines[3]}`);
  });

  it('the caret sits under the finding on a tab-indented line', async () => {
    write('tabs/refund.ts', KEYLESS_REFUND.replace('  return stripe', '\t\treturn /* x */\tstripe'));
    const r = await run(['tabs', '--offline']);
    const out = r.stdout.split('\n');
    const frame = out.findIndex((l) => /^ {4}4 \| /.test(l));
    expect(frame).toBeGreaterThan(0);
    expect(out[frame + 1].indexOf('^')).toBe(out[frame].indexOf('stripe'));
  });
});

describe.concurrent('command line conventions', { timeout: 150_000 }, () => {
  it('`help` prints the help (not a path), -V and -v print the version; the formats come from one list', async () => {
    const [help, helpRules, V, v, bad] = await Promise.all([run(['help']), run(['help', 'rules']), run(['-V']), run(['-v']), run(['dirty', '--format', 'xml'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: stripe-audit/m);
    expect(help.stdout + help.stderr).not.toMatch(/cannot read help/);
    expect(helpRules.stdout).toMatch(/Usage: stripe-audit rules/);
    expect(V.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.stdout).toBe(V.stdout);
    expect(bad.code).toBe(2);
    for (const f of ['text', 'json', 'sarif', 'github']) expect(bad.stderr).toContain(f);
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
