// The prefilter must never change what the audit finds: every fixture app and a synthetic monorepo from
// the benchmark's generator are audited with the filter and with --no-prefilter (every discovered file
// parsed), and any difference in findings fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../dist/src/engine.js';
import { DEFAULT_CONFIG } from '../dist/src/config.js';
import { generate } from '../dist/bench/generate.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const apps = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-prefilter-eq-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Finding {
  file: string;
  startLine: number;
  startColumn: number;
  ruleId: string;
  severity: string;
  message: string;
}

// The fixture apps are scanned in this thread (`worker: false`: a worker per audit would cost more than the
// scan); the synthetic monorepo, big enough for the worker and this thread to share the filtering, with the worker.
async function run(root: string, prefilter: boolean, worker = false) {
  const result = await audit({ paths: [root], config: structuredClone(DEFAULT_CONFIG), offline: true, registryTimeoutMs: 1000, cacheDir: path.join(tmp, 'cache'), prefilter, worker });
  return {
    findings: result.findings.map((f: Finding) => `${f.file}:${f.startLine}:${f.startColumn} ${f.ruleId} ${f.severity} ${f.message}`),
    parsed: result.filesParsed as number,
    scanned: result.filesScanned as number,
  };
}

describe('the prefilter changes no finding', () => {
  it.each(apps)('fixtures/%s', async (app) => {
    const root = path.join(FIXTURES, app);
    const [filtered, all] = [await run(root, true), await run(root, false)];
    expect(filtered.findings).toEqual(all.findings);
  });

  it('a synthetic monorepo from bench/generate.ts (800 files, seeded)', async () => {
    const root = path.join(tmp, 'synthetic');
    const manifest = generate({ out: root, files: 800, seed: 20261201 });
    expect(manifest.stripeFiles.length).toBeGreaterThan(0);
    const [filtered, all] = [await run(root, true, true), await run(root, false, true)];
    // Not a vacuous comparison: there are findings, and --no-prefilter parses every file.
    expect(filtered.findings.length).toBeGreaterThan(0);
    expect(all.parsed).toBeGreaterThan(0.8 * all.scanned);
    expect(filtered.parsed).toBeLessThan(all.parsed);
    expect(filtered.findings).toEqual(all.findings);
  }, 120_000);
});
