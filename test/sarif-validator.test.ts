// The SARIF of the whole shared corpus (or, without it, of every fixture) passes Microsoft's validator with
// GitHub's rules (`validate --rule-kind "Gh;Sarif"`): zero errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const BIN = path.resolve(__dirname, '../bin/stripe-audit.js');
const corpus = path.resolve(__dirname, '../../shared/corpus');
const target = fs.existsSync(corpus) ? corpus : path.resolve(__dirname, '../fixtures');

describe('SARIF validity', () => {
  it('passes sarif-multitool validate with the GitHub rule set', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-sarif-'));
    const sarif = path.join(tmp, 'scan.sarif');
    const scan = spawnSync(process.execPath, [BIN, target, '--offline', '--format', 'sarif', '--fail-on', 'never', '--include-tests', '--output', sarif], { encoding: 'utf8' });
    expect(scan.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results.length).toBeGreaterThan(10);
    const multitool: string = require('@microsoft/sarif-multitool');
    // npm may skip the package's postinstall (`chmod u+x`); make the shipped binary executable ourselves.
    if (!(fs.statSync(multitool).mode & 0o100)) fs.chmodSync(multitool, 0o755);
    const out = path.join(tmp, 'validation.sarif');
    const v = spawnSync(multitool, ['validate', sarif, '--rule-kind', 'Gh;Sarif', '--output', out], { encoding: 'utf8', timeout: 120_000 });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const problems = JSON.parse(fs.readFileSync(out, 'utf8')).runs[0].results ?? [];
    const errors = problems.filter((r: { level?: string }) => (r.level ?? 'warning') === 'error');
    expect(errors.map((e: { ruleId: string; message: unknown }) => `${e.ruleId} ${JSON.stringify(e.message)}`)).toEqual([]);
  });
});
