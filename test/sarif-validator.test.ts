// The SARIF the CLI writes for every fixture app is valid: against the official SARIF 2.1.0 JSON schema
// (OASIS, test/schemas/, checked with ajv), and by Microsoft's validator with GitHub's rules
// (`sarif-multitool validate --rule-kind "Gh;Sarif"`: zero errors). Only this repository's own fixtures are
// scanned. The slow external validator lives in this file alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, cliEnv, runCli } from './helpers/run-cli.js';

const require = createRequire(import.meta.url);
const FIXTURES = path.join(REPO_ROOT, 'fixtures');
const SCHEMA = path.join(REPO_ROOT, 'test/schemas/sarif-schema-2.1.0.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-sarif-'));
const sarifFile = path.join(tmp, 'scan.sarif');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Log {
  runs: { results: { level?: string; message?: unknown; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
}
let log: Log;

beforeAll(async () => {
  const scan = await runCli(REPO_ROOT, [FIXTURES, '--offline', '--format', 'sarif', '--fail-on', 'never', '--include-tests', '--output', sarifFile], cliEnv(path.join(tmp, 'cache')));
  expect(scan.code, scan.stderr).toBe(0);
  log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
  expect(log.runs[0].results.length).toBeGreaterThan(10);
}, 120_000);

/** The official schema, compiled once. */
const validateSarif = (() => {
  // CommonJS modules seen through ESM: the class or function may sit on `default`.
  const Ajv = ((AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ?? AjvDraft04) as typeof AjvDraft04;
  const formats = ((addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats) as typeof addFormats;
  const ajv = new Ajv({ allErrors: true, strict: false });
  formats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
})();

/** The schema's complaints about a log, [] when it is valid. */
function schemaErrors(doc: unknown): string[] {
  return validateSarif(doc) ? [] : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('SARIF validity', () => {
  it('the official SARIF 2.1.0 schema accepts the CLI output and rejects a hand-broken log', () => {
    expect(schemaErrors(log)).toEqual([]);
    // Each break alone is caught, at the place it was made.
    const broken = (edit: (doc: Log) => void): string[] => {
      const doc = structuredClone(log);
      edit(doc);
      return schemaErrors(doc);
    };
    expect(broken((d) => (d.runs[0].results[0].level = 'bogus'))).toContain('/runs/0/results/0/level must be equal to one of the allowed values');
    expect(broken((d) => (d.runs[0].results[1].locations[0].physicalLocation.region.startLine = -5))).toContain('/runs/0/results/1/locations/0/physicalLocation/region/startLine must be >= 1');
    expect(broken((d) => delete d.runs[0].results[2].message)).toContain("/runs/0/results/2 must have required property 'message'");
  });

  it('passes sarif-multitool validate with the GitHub rule set', () => {
    const multitool: string = require('@microsoft/sarif-multitool');
    // npm may skip the package's postinstall (`chmod u+x`); make the shipped binary executable ourselves.
    if (!(fs.statSync(multitool).mode & 0o100)) fs.chmodSync(multitool, 0o755);
    const out = path.join(tmp, 'validation.sarif');
    const v = spawnSync(multitool, ['validate', sarifFile, '--rule-kind', 'Gh;Sarif', '--output', out], { encoding: 'utf8', timeout: 120_000 });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const problems = JSON.parse(fs.readFileSync(out, 'utf8')).runs[0].results ?? [];
    const errors = problems.filter((r: { level?: string }) => (r.level ?? 'warning') === 'error');
    expect(errors.map((e: { ruleId: string; message: unknown }) => `${e.ruleId} ${JSON.stringify(e.message)}`)).toEqual([]);
  }, 120_000);
});
