// Test helper: throw-away projects in the OS temp folder (outside this repository, so Node-style
// resolution of node_modules/stripe never reaches the repository's own node_modules), and a clean npm
// environment so the developer's or CI's npm config never leaks into a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StripeModel, StripePackage } from '../../src/model.js';
import type { Report } from '../../src/types.js';
import type { Rule } from '../../src/rule.js';
import { DEFAULT_CONFIG } from '../../src/gate/config.js';

const created: string[] = [];

/** Remove every folder tempDir made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A new folder in the OS temp folder, removed by removeTempDirs. */
export function tempDir(prefix = 'sa-sdk-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Write `files` (relative path → content; objects are JSON-encoded) under a new temp folder. */
export function makeProject(files: Record<string, string | object>): { root: string; manifests: string[] } {
  const root = tempDir('sa-proj-');
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return { root, manifests: findManifests(root) };
}

export function findManifests(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') walk(path.join(dir, e.name));
      } else if (e.name === 'package.json') out.push(path.join(dir, e.name));
    }
  };
  walk(root);
  return out.sort();
}

/** An environment with no npm_config_* and an empty user and global .npmrc in a temp HOME. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('sa-home-');
  fs.writeFileSync(path.join(home, '.npmrc'), '');
  fs.writeFileSync(path.join(home, 'global-npmrc'), '');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k) && !/proxy$/i.test(k)) env[k] = v;
  return { ...env, HOME: home, npm_config_userconfig: path.join(home, '.npmrc'), npm_config_globalconfig: path.join(home, 'global-npmrc'), STRIPE_AUDIT_CACHE_DIR: path.join(home, 'cache'), ...extra };
}

/** Run a rule over packages the way the engine would with no config, collecting its reports (severity filled in as the engine does). */
export function runRule(rule: Rule, packages: StripePackage[]): Report[] {
  const reports: Report[] = [];
  const model = { root: '/', files: [], apiCalls: [], handlers: [], verifications: [], secrets: [], packages, stripeVersionFor: () => undefined } as unknown as StripeModel;
  rule.check({ model, config: DEFAULT_CONFIG, report: (r) => reports.push({ ...r, severity: r.severity ?? rule.meta.defaultSeverity }) });
  return reports;
}
