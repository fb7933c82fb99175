// RuleTester-style cases for the webhook rules (after typescript-eslint's RuleTester): each case is a small
// app given as files; it is written to a temporary folder, every file is parsed (no prefilter), the webhook
// facts are built the way the engine builds them, and one rule decides. `valid` cases must produce no
// finding of that rule; `invalid` cases exactly the listed ones (file and line, optionally message words).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Parser } from '../../dist/src/analysis/parse.js';
import { ModuleResolver } from '../../dist/src/scan/module-resolver.js';
import { StripeResolver } from '../../dist/src/stripe/resolve.js';
import { WebhookAnalyzer, findVerifications } from '../../dist/src/webhooks/analyze.js';
import { projectFacts } from '../../dist/src/frameworks/index.js';
import { handrolledChecksIn } from '../../dist/src/webhooks/handrolled.js';
import { scanSecrets } from '../../dist/src/stripe/secrets.js';
import { Catalogue, findApiCalls } from '../../dist/src/stripe/api-calls.js';
import { DEFAULT_CONFIG } from '../../dist/src/gate/config.js';

export interface RuleCase {
  name: string;
  files: Record<string, string>;
  /** The installed stripe version the rules see (default: unknown). */
  stripeVersion?: string;
}

export interface InvalidCase extends RuleCase {
  errors: Array<{ file: string; line: number; message?: RegExp }>;
}

interface RuleLike {
  meta: { id: string };
  check(ctx: unknown): void;
}

export interface Found {
  file: string;
  line: number;
  message: string;
}

/** Builds the model for `files` the way src/engine/analysis.ts does (webhook part): every file parsed, no prefilter. */
export function buildModel(c: RuleCase) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-rule-case-'));
  try {
    for (const [rel, text] of Object.entries(c.files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const parser = new Parser(root, new ModuleResolver());
    const files = Object.keys(c.files)
      .filter((rel) => /\.[cm]?[jt]sx?$/.test(rel))
      .map((rel) => parser.parseText(path.join(root, rel), c.files[rel]))
      .filter(Boolean);
    expect(parser.diagnostics, `${c.name}: the case's code must parse`).toEqual([]);
    const customVerifiers = new Set<string>();
    const stripe = new StripeResolver(parser);
    const facts = projectFacts(files, parser);
    const handlers = new WebhookAnalyzer({ parser, resolver: stripe, facts }, customVerifiers).analyzeAll(files);
    return {
      root,
      files,
      facts,
      apiCalls: files.flatMap((f) => findApiCalls(f, stripe, new Catalogue([]))),
      handlers,
      verifications: files.flatMap((f) => findVerifications(f, customVerifiers)),
      handrolledChecks: handrolledChecksIn(files, (c: never) => stripe.resolveFunction(c)),
      secrets: files.flatMap((f) => scanSecrets(f.relPath, f.text)),
      // The folders of the case's package.json files that declare stripe, all in one workspace when the case's
      // root package.json declares `workspaces`: how the fulfilment facts tell the apps of a monorepo apart
      // (the SDK facts themselves are not built here).
      packages: Object.entries(c.files)
        .filter(([rel, text]) => path.basename(rel) === 'package.json' && /"stripe"\s*:/.test(text))
        .map(([rel]) => ({ dir: path.join(root, path.dirname(rel)), ...(/"workspaces"\s*:/.test(c.files['package.json'] ?? '') ? { workspaceRoot: root } : {}) })),
      stripeVersionFor: () => (c.stripeVersion ? { version: c.stripeVersion, fromRange: false } : undefined),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Runs `rule` on the model of a case. */
export function runRule(rule: RuleLike, c: RuleCase): Found[] {
  const model = buildModel(c);
  const found: Found[] = [];
  rule.check({ model, config: structuredClone(DEFAULT_CONFIG), report: (r: { range: { file: string; startLine: number }; message: string }) => found.push({ file: r.range.file, line: r.range.startLine, message: r.message }) });
  return found;
}

export function ruleTester(rule: RuleLike, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      it.each(cases.valid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        expect(runRule(rule, c)).toEqual([]);
      });
    });
    describe('invalid', () => {
      it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const found = runRule(rule, c);
        expect(found.map((f) => `${f.file}:${f.line}`).sort()).toEqual(c.errors.map((e) => `${e.file}:${e.line}`).sort());
        for (const e of c.errors) {
          if (!e.message) continue;
          const f = found.find((x) => x.file === e.file && x.line === e.line)!;
          expect(f.message).toMatch(e.message);
        }
      });
    });
  });
}
