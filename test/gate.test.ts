// The CI gate, end to end through the CLI (build first: these tests spawn bin/stripe-audit.js):
// inline suppressions, baselines, the config file, and the rules / explain commands (init: test/init.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { explainCommand } from '../dist/src/cli/commands/explain.js';
import { loadConfig } from '../dist/src/gate/config-load.js';
import { cliEnv, runCli, type Run } from './helpers/run-cli.js';

const temps: string[] = [];
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-gate-cache-'));
temps.push(cacheDir);
afterAll(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

const ENV = cliEnv(cacheDir, { worker: false });

/** The CLI as a subprocess; asynchronous, so that the tests of this file (describe.concurrent) overlap their runs. */
const run = (cwd: string, ...args: string[]): Promise<Run> => runCli(cwd, args, ENV);

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
  severity: string;
  suppressed?: { kind: string; justification: string };
}

async function scanJson(cwd: string, ...extra: string[]): Promise<Run & { findings: JsonFinding[]; active: JsonFinding[] }> {
  const r = await run(cwd, '.', '--offline', '--format', 'json', ...extra);
  const doc = JSON.parse(r.stdout) as { findings: JsonFinding[] };
  return { ...r, findings: doc.findings, active: doc.findings.filter((f) => !f.suppressed) };
}

const REFUND_LINE = '  const refund = await stripe.refunds.create({ payment_intent: req.body.paymentIntentId });';
const PAYOUT_LINE = "  const payout = await stripe.payouts.create({ amount: req.body.amount, currency: 'usd' });";

/** An Express app with two money-moving Stripe calls that pass no idempotency key. */
function routes(opts: { beforeRefund?: string[]; beforePayout?: string[]; header?: string[] } = {}): string {
  return [
    ...(opts.header ?? []),
    "import express from 'express';",
    "import Stripe from 'stripe';",
    '',
    'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);',
    'export const app = express();',
    'app.use(express.json());',
    '',
    "app.post('/orders/:id/refund', async (req, res) => {",
    ...(opts.beforeRefund ?? []),
    REFUND_LINE,
    '  res.json({ id: refund.id });',
    '});',
    '',
    "app.post('/orders/:id/payout', async (req, res) => {",
    ...(opts.beforePayout ?? []),
    PAYOUT_LINE,
    '  res.json({ id: payout.id });',
    '});',
    '',
  ].join('\n');
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-gate-'));
  temps.push(dir);
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'shop', private: true, dependencies: { stripe: '23.1.0', express: '4.19.2' } }, null, 2),
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe.concurrent('inline suppressions', () => {
  it('a next-line suppression with a reason removes exactly that one finding, and it stays visible in json', async () => {
    const plain = project({ 'src/routes.ts': routes() });
    const text = routes({ beforeRefund: ['  // stripe-audit-ignore-next-line idempotency-key-missing -- refunds are deduplicated by the orders table'] });
    const dir = project({ 'src/routes.ts': text });
    const [before, after] = await Promise.all([scanJson(plain), scanJson(dir)]);
    expect(before.code).toBe(1);
    const missing = before.active.filter((f) => f.ruleId === 'idempotency-key-missing');
    expect(missing.map((f) => f.startLine).sort()).toEqual([lineOf(routes(), 'refunds.create'), lineOf(routes(), 'payouts.create')].sort());

    expect(after.findings.length).toBe(before.findings.length);
    expect(after.active.length).toBe(before.active.length - 1);
    const suppressed = after.findings.filter((f) => f.suppressed);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      ruleId: 'idempotency-key-missing',
      startLine: lineOf(text, 'refunds.create'),
      suppressed: { kind: 'inSource', justification: 'refunds are deduplicated by the orders table' },
    });
    expect(after.stderr).not.toMatch(/suppression|reason is required/);
    // The payout finding still gates.
    expect(after.code).toBe(1);
  });

  it('a suppression without a reason still suppresses but is called out with file and line', async () => {
    const text = routes({ beforePayout: ['  /* stripe-audit-ignore-next-line idempotency-key-missing */'] });
    const dir = project({ 'src/routes.ts': text });
    const r = await scanJson(dir);
    const line = lineOf(text, 'stripe-audit-ignore-next-line');
    expect(r.stderr).toContain(`src/routes.ts:${line}: a reason is required`);
    expect(r.stderr).toContain('-- <reason>');
    const payout = r.findings.find((f) => f.startLine === lineOf(text, 'payouts.create'));
    expect(payout?.suppressed).toEqual({ kind: 'inSource', justification: '' });
  });

  it('reports unknown rule ids and suppressions that match nothing, and ignores look-alikes in strings', async () => {
    const text = routes({
      beforeRefund: [
        '  // stripe-audit-ignore-next-line idempotency-key-missin -- typo in the id',
        '  const note = "// stripe-audit-ignore-next-line idempotency-key-missing -- inside a string";',
      ],
      beforePayout: ['  // stripe-audit-ignore-next-line webhook-raw-body -- nothing to suppress here'],
    });
    const dir = project({ 'src/routes.ts': text });
    const r = await scanJson(dir);
    expect(r.stderr).toMatch(new RegExp(`src/routes\\.ts:${lineOf(text, 'missin --')}: unused suppression: unknown rule id 'idempotency-key-missin'`));
    expect(r.stderr).toMatch(new RegExp(`src/routes\\.ts:${lineOf(text, 'nothing to suppress')}: unused suppression: no webhook-raw-body finding`));
    // Neither the string nor the unknown id suppressed anything.
    expect(r.findings.filter((f) => f.suppressed)).toHaveLength(0);
    expect(r.stderr).not.toContain('inside a string');
  });

  it('a file-level suppression in the first comment block covers the file; one further down is flagged', async () => {
    const text = routes({ header: ['/**', ' * Admin-only routes.', ' * stripe-audit-ignore-file idempotency-key-missing -- admin tools, each action is confirmed twice', ' */'] });
    const dir = project({ 'src/routes.ts': text });
    const r = await scanJson(dir);
    const missing = r.findings.filter((f) => f.ruleId === 'idempotency-key-missing');
    expect(missing).toHaveLength(2);
    for (const f of missing) expect(f.suppressed?.justification).toBe('admin tools, each action is confirmed twice');

    const late = routes({ beforePayout: ['  // stripe-audit-ignore-file idempotency-key-missing -- too late'] });
    const r2 = await scanJson(project({ 'src/routes.ts': late }));
    expect(r2.stderr).toContain(`src/routes.ts:${lineOf(late, 'too late')}: stripe-audit-ignore-file must be in the file's first comment block`);
    expect(r2.findings.filter((f) => f.suppressed)).toHaveLength(0);
  });

  it('SARIF carries the suppression and its justification', async () => {
    const dir = project({ 'src/routes.ts': routes({ beforeRefund: ['  // stripe-audit-ignore-next-line idempotency-key-missing -- reviewed in SEC-42'] }) });
    const r = await run(dir, '.', '--offline', '--format', 'sarif');
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[] };
    const withSuppression = sarif.runs[0].results.filter((x) => x.suppressions);
    expect(withSuppression).toHaveLength(1);
    expect(withSuppression[0].ruleId).toBe('idempotency-key-missing');
    expect(withSuppression[0].suppressions).toEqual([{ kind: 'inSource', justification: 'reviewed in SEC-42' }]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(1);
  });
});

describe.concurrent('baselines', () => {
  it('survive a line inserted at the top, still fail on a new problem, and list fixed findings for pruning', async () => {
    const dir = project({ 'src/routes.ts': routes() });
    const w = await run(dir, '.', '--offline', '--write-baseline', 'stripe-audit.baseline.json');
    expect(w.code).toBe(0);
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'stripe-audit.baseline.json'), 'utf8'));
    expect(baseline.version).toBe(1);
    expect(baseline.tool).toMatch(/^stripe-audit /);
    expect(baseline.findings.filter((f: { ruleId: string }) => f.ruleId === 'idempotency-key-missing')).toHaveLength(2);
    for (const f of baseline.findings) expect(Object.keys(f).sort()).toEqual(['file', 'fingerprint', 'message', 'ruleId']);

    // Lines shift: nothing is new.
    const file = path.join(dir, 'src/routes.ts');
    fs.writeFileSync(file, `// Order routes.\n${fs.readFileSync(file, 'utf8')}`);
    const shifted = await scanJson(dir, '--baseline', 'stripe-audit.baseline.json');
    expect(shifted.code).toBe(0);
    expect(shifted.active).toHaveLength(0);
    expect(shifted.findings.every((f) => f.suppressed?.kind === 'baseline' && f.suppressed.justification === 'in baseline stripe-audit.baseline.json')).toBe(true);
    expect(shifted.stderr).not.toContain('no longer found');

    // A new problem fails the gate, and only it is active.
    fs.appendFileSync(file, ["app.post('/orders/:id/transfer', async (req, res) => {", '  const t = await stripe.transfers.create({ amount: 100, currency: "usd", destination: req.body.account });', '  res.json({ id: t.id });', '});', ''].join('\n'));
    const added = await scanJson(dir, '--baseline', 'stripe-audit.baseline.json');
    expect(added.code).toBe(1);
    expect(added.active).toHaveLength(1);
    expect(added.active[0]).toMatchObject({ ruleId: 'idempotency-key-missing', startLine: lineOf(fs.readFileSync(file, 'utf8'), 'transfers.create') });

    // Fixing a baselined finding produces a prune note.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(REFUND_LINE, "  const refund = await stripe.refunds.create({ payment_intent: req.body.paymentIntentId }, { idempotencyKey: `refund-${req.params.id}` });"));
    const fixed = await run(dir, '.', '--offline', '--baseline', 'stripe-audit.baseline.json');
    expect(fixed.stderr).toMatch(/1 baselined finding no longer found; rewrite with --write-baseline to prune/);
    expect(fixed.stderr).toMatch(/src\/routes\.ts: idempotency-key-missing/);
  });

  it('a missing or broken baseline file is a config error (exit 2)', async () => {
    const dir = project({ 'src/routes.ts': routes() });
    const missing = await run(dir, '.', '--offline', '--baseline', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "version": 1, "findings": [');
    const broken = await run(dir, '.', '--offline', '--baseline', 'broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
  });
});

describe.concurrent('configuration', () => {
  it('a rule turned off removes its findings; a level override changes severity and the gate', async () => {
    const [off, on, warn] = await Promise.all([
      scanJson(project({ 'src/routes.ts': routes(), 'stripe-audit.config.json': JSON.stringify({ rules: { 'idempotency-key-missing': 'off' } }) })),
      scanJson(project({ 'src/routes.ts': routes() })),
      scanJson(project({ 'src/routes.ts': routes(), 'stripe-audit.config.json': JSON.stringify({ rules: { 'idempotency-key-missing': 'warning' } }) })),
    ]);
    expect(off.findings.filter((f) => f.ruleId === 'idempotency-key-missing')).toHaveLength(0);
    expect(on.findings.filter((f) => f.ruleId === 'idempotency-key-missing').length).toBe(2);

    const missing = warn.findings.filter((f) => f.ruleId === 'idempotency-key-missing');
    expect(missing.length).toBe(2);
    expect(missing.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('reads a "stripe-audit" key in package.json, found from a nested scan root', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'shop', private: true, dependencies: { stripe: '23.1.0' }, 'stripe-audit': { rules: { 'idempotency-key-missing': 'off' } } }),
      'src/routes.ts': routes(),
    });
    const r = await run(path.join(dir, 'src'), '.', '--offline', '--format', 'json');
    const doc = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    expect(doc.findings.filter((f) => f.ruleId === 'idempotency-key-missing')).toHaveLength(0);
  });

  it.each([
    [{ rules: { 'webhook-raw-bdy': 'off' } }, 'rules.webhook-raw-bdy: unknown rule id'],
    [{ rules: { 'webhook-raw-body': 'high' } }, 'rules.webhook-raw-body: expected "off", "warning" or "error"'],
    [{ ignores: ['scripts/**'] }, 'ignores: unknown key (did you mean "ignore"?)'],
    [{ includeTests: 'yes' }, 'includeTests: expected true or false'],
    [{ moneyMethods: ['refunds.create', 'createRefund'] }, 'moneyMethods[1]: expected "resource.method"'],
    [{ verifiers: [42] }, 'verifiers[0]: expected a non-empty string'],
    [{ registry: 'not a url' }, 'registry: expected an http(s) URL'],
  ])('config %j → an error naming the file and the key path', (config, message) => {
    // The validation, in this process; the CLI's handling of its error (exit 2, stderr only): the next test.
    const dir = project({ 'src/routes.ts': routes(), 'stripe-audit.config.json': JSON.stringify(config) });
    expect(() => loadConfig({ searchFrom: dir })).toThrow(message);
    expect(() => loadConfig({ searchFrom: dir })).toThrow(path.join(dir, 'stripe-audit.config.json'));
  });

  it('a config error is exit 2, on stderr, naming the file and the key path; nothing on stdout', async () => {
    const dir = project({ 'src/routes.ts': routes(), 'stripe-audit.config.json': JSON.stringify({ rules: { 'webhook-raw-body': 'high' } }) });
    const r = await run(dir, '.', '--offline');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.webhook-raw-body: expected "off", "warning" or "error"');
    expect(r.stderr).toContain(path.join(dir, 'stripe-audit.config.json'));
    expect(r.stdout).toBe('');
  });

  it('names the package.json key path for a bad value there', async () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'x', 'stripe-audit': { strict: 1 } }), 'src/routes.ts': routes() });
    const r = await run(dir, '.', '--offline');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stripe-audit.strict: expected true or false');
  });
});

describe.concurrent('commands', () => {
  it('`rules` lists every rule and `explain` documents each of them; `.` still scans', async () => {
    const dir = project({ 'src/routes.ts': routes() });
    const ids = RULES.map((r: { meta: { id: string } }) => r.meta.id);
    expect(ids.length).toBeGreaterThanOrEqual(17);
    // Subprocesses: `rules`, `explain` of the first and the last rule, and a scan of the same folder.
    const [rules, first, last, scan] = await Promise.all([run(dir, 'rules'), run(dir, 'explain', ids[0]), run(dir, 'explain', ids.at(-1)!), run(dir, '.', '--offline')]);
    expect(rules.code).toBe(0);
    const listed = rules.stdout
      .split('\n')
      .map((l) => /^([a-z][a-z-]+[a-z])\s+(error|warning)\s+\S/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => m[1]);
    expect(listed).toEqual(ids);
    // The command prints what explainCommand renders (width 100 when stdout is not a terminal)...
    for (const [id, e] of [[ids[0], first], [ids.at(-1)!, last]] as const) {
      expect(e.code, `${id}: ${e.stderr}`).toBe(0);
      expect(e.stdout).toBe(explainCommand(id, 100).text);
    }
    // ...and that documents every rule: checked in this process, one CLI run per rule proves nothing more.
    for (const id of listed) {
      const e = explainCommand(id, 100);
      expect(e.ok, id).toBe(true);
      expect(e.text.split('\n')[0]).toMatch(new RegExp(`^${id}: \\S`));
      for (const section of ['What it finds', 'Why it matters', 'How to fix it', 'Bad', 'Good']) expect(e.text, `${id} ${section}`).toMatch(new RegExp(`^${section}\\n {2,}\\S`, 'm'));
    }
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain('idempotency-key-missing');
  });

  it('`explain` of an unknown id exits 2 with the list of ids', async () => {
    const r = await run(os.tmpdir(), 'explain', 'webhook-raw-bdy');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "webhook-raw-body"');
    expect(r.stderr).toContain('  idempotency-key-missing');
  });
});
