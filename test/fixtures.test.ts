// Runs the engine on every app in fixtures/ and compares its findings with the annotations in the code:
// any missing, extra, misplaced or wrong-level finding fails. Each app is also audited with --no-prefilter
// (every discovered file parsed): the prefilter must not change a finding, its column or its message
// (the synthetic monorepo of the benchmark: test/prefilter-equivalence.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../dist/src/engine/engine.js';
import type { Finding } from '../src/types.js';
import { DEFAULT_CONFIG } from '../dist/src/gate/config.js';
import { RULES } from '../dist/rules/index.js';
import { readExpectations } from './helpers/annotations.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const apps = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());
const ruleIds = new Set(RULES.map((r: { meta: { id: string } }) => r.meta.id));

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-fixtures-cache-'));

describe('fixtures: findings match the annotations', () => {
  it('has fixtures for every framework', () => {
    for (const fw of ['express', 'koa', 'fastify', 'hono', 'node-http', 'firebase', 'nextjs-app', 'nextjs-pages', 'nestjs', 'lambda', 'cloudflare-worker', 'remix', 'sveltekit', 'nuxt', 'wasp']) {
      expect(apps).toContain(`webhooks-${fw}`);
    }
  });

  it('counts repeats: a finding reported twice is an extra finding', () => {
    expect(multisetDifference(['a.ts:1 r error'], ['a.ts:1 r error', 'a.ts:1 r error'])).toEqual({ missing: [], extra: ['a.ts:1 r error'] });
    expect(multisetDifference(['a.ts:1 r error', 'a.ts:1 r error'], ['a.ts:1 r error'])).toEqual({ missing: ['a.ts:1 r error'], extra: [] });
    expect(multisetDifference(['a.ts:1 r error', 'b.ts:2 r warning'], ['b.ts:2 r warning', 'a.ts:1 r error'])).toEqual({ missing: [], extra: [] });
  });

  it.each(apps)('%s (and the same findings without the prefilter)', async (app) => {
    const root = path.join(FIXTURES, app);
    const expectations = readExpectations(root);
    for (const e of expectations) expect(ruleIds.has(e.ruleId), `${app}/${e.file}:${e.line} names unknown rule ${e.ruleId}`).toBe(true);
    // In this thread (worker: false): a worker per audit would cost more than the scan of an app.
    const run = (prefilter: boolean) => audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir, prefilter, worker: false });
    const [result, unfiltered] = [await run(true), await run(false)];
    expect(result.fatal).toEqual([]);
    const full = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.startLine}:${f.startColumn} ${f.ruleId} ${f.severity} ${f.message}`);
    expect(full(result.findings), `the prefilter changed the findings of ${app}`).toEqual(full(unfiltered.findings));
    const defaults = new Map(RULES.map((r: { meta: { id: string; defaultSeverity: string } }) => [r.meta.id, r.meta.defaultSeverity]));
    const want = expectations.filter((e) => e.kind === 'ruleid').map((e) => `${e.file}:${e.line} ${e.ruleId} ${e.level ?? defaults.get(e.ruleId)}`);
    const got = result.findings.map((f: Finding) => `${f.file}:${f.startLine} ${f.ruleId} ${f.severity}`);
    // Multisets: a finding reported twice is an extra finding, and two annotations of one rule on one line want two.
    const { missing, extra } = multisetDifference(want, got);
    expect({ missing, extra }, `findings of ${app} differ from its annotations`).toEqual({ missing: [], extra: [] });
    // `ok:` lines: no finding of that rule there.
    for (const ok of expectations.filter((e) => e.kind === 'ok')) {
      expect(got.some((g) => g.startsWith(`${ok.file}:${ok.line} ${ok.ruleId} `)), `${app}/${ok.file}:${ok.line} must have no ${ok.ruleId}`).toBe(false);
    }
  });
});

/** What `want` has that `got` lacks and the other way round, counting repeats. */
function multisetDifference(want: string[], got: string[]): { missing: string[]; extra: string[] } {
  const left = new Map<string, number>();
  for (const g of got) left.set(g, (left.get(g) ?? 0) + 1);
  const missing: string[] = [];
  for (const w of want) {
    const n = left.get(w) ?? 0;
    if (n === 0) missing.push(w);
    else left.set(w, n - 1);
  }
  const extra = [...left].flatMap(([g, n]) => Array<string>(n).fill(g));
  return { missing, extra };
}
