// The prefilter must never change what the audit finds: a synthetic monorepo from the benchmark's generator
// is audited with the filter and with --no-prefilter (every discovered file parsed), and any difference in
// findings fails. Every fixture app is compared the same way in test/fixtures.test.ts, next to its
// annotations (one audit of each app serves both).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../dist/src/engine/engine.js';
import type { Finding } from '../src/types.js';
import { DEFAULT_CONFIG } from '../dist/src/gate/config.js';
import { generate } from '../dist/bench/generate.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-prefilter-eq-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));


// With the scan worker, as the CLI runs (the tree is big enough for the worker and this thread to share the filtering).
async function run(root: string, prefilter: boolean) {
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir: path.join(tmp, 'cache'), prefilter });
  return {
    findings: result.findings.map((f: Finding) => `${f.file}:${f.startLine}:${f.startColumn} ${f.ruleId} ${f.severity} ${f.message}`),
    parsed: result.filesParsed as number,
    scanned: result.filesScanned as number,
  };
}

describe('the prefilter changes no finding', () => {
  it('a synthetic monorepo from bench/generate.ts (800 files, seeded)', async () => {
    const root = path.join(tmp, 'synthetic');
    const manifest = generate({ out: root, files: 800, seed: 20261201 });
    expect(manifest.stripeFiles.length).toBeGreaterThan(0);
    const [filtered, all] = [await run(root, true), await run(root, false)];
    // Not a vacuous comparison: there are findings, and --no-prefilter parses every file.
    expect(filtered.findings.length).toBeGreaterThan(0);
    expect(all.parsed).toBeGreaterThan(0.8 * all.scanned);
    expect(filtered.parsed).toBeLessThan(all.parsed);
    expect(filtered.findings).toEqual(all.findings);
  }, 120_000);
});
