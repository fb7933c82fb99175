// RuleTester-style cases for one rule (after typescript-eslint's RuleTester): each case is a small app
// written to a temporary folder and audited by the engine; `valid` cases must give no finding of the
// rule, `invalid` ones exactly the listed findings (`file:line severity`, with an optional message pattern).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../../dist/src/engine/engine.js';
import { DEFAULT_CONFIG } from '../../dist/src/gate/config.js';

export interface Finding {
  ruleId: string;
  file: string;
  startLine: number;
  severity: string;
  message: string;
}

export interface ValidCase {
  name: string;
  files: Record<string, string>;
  /** The declared `stripe` range of the app's package.json (default ^23.1.0); null: no package.json. */
  stripe?: string | null;
}

export interface InvalidCase extends ValidCase {
  /** `file:line severity`, in file and line order. */
  errors: string[];
  /** Every finding's message must match. */
  message?: RegExp;
}

const roots: string[] = [];
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-rule-tester-cache-'));
roots.push(cacheDir);

/** Audits the files as an app of their own and returns every finding. */
export async function auditFiles(files: Record<string, string>, stripe: string | null = '^23.1.0'): Promise<Finding[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-rule-'));
  roots.push(root);
  const all = stripe === null ? files : { 'package.json': JSON.stringify({ name: 'case', private: true, dependencies: { stripe } }), ...files };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir, worker: false });
  expect(result.fatal).toEqual([]);
  return result.findings;
}

export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  afterAll(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  describe(`${ruleId}: valid`, () => {
    it.each(cases.valid.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const found = (await auditFiles(c.files, c.stripe)).filter((f) => f.ruleId === ruleId);
      expect(found.map((f) => `${f.file}:${f.startLine} ${f.severity}`)).toEqual([]);
    });
  });
  describe(`${ruleId}: invalid`, () => {
    it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const found = (await auditFiles(c.files, c.stripe)).filter((f) => f.ruleId === ruleId);
      expect(found.map((f) => `${f.file}:${f.startLine} ${f.severity}`)).toEqual(c.errors);
      if (c.message) for (const f of found) expect(f.message).toMatch(c.message);
    });
  });
}
