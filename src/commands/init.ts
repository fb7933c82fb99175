// `stripe-audit init [dir] [--force]`: a starter config and a GitHub Actions workflow that uploads SARIF
// to code scanning and then fails the job on the scan's exit code.
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../config-load.js';

export const WORKFLOW_FILE = '.github/workflows/stripe-audit.yml';

/** Every key with a value that keeps the defaults (registry is optional and left out: npm config decides). */
export const STARTER_CONFIG = {
  $comment:
    'stripe-audit configuration (JSON only). Keys: rules (rule id -> "off" | "warning" | "error"; `npx stripe-audit rules` lists ids), ignore (globs, in addition to .gitignore), includeTests, strict (also report other POST calls without idempotency keys), verifiers (your own functions that verify Stripe webhook signatures), moneyMethods (extra "resource.method" calls that move money), registry (optional npm registry URL for the SDK check; default: your npm config). Docs: docs/configuration.md of stripe-audit.',
  rules: {
    'webhook-event-not-deduplicated': 'warning',
  },
  ignore: [] as string[],
  includeTests: false,
  strict: false,
  verifiers: [] as string[],
  moneyMethods: [] as string[],
};

export const WORKFLOW = `# stripe-audit: static audit of the Stripe integration (webhooks, idempotency keys, SDK, keys).
# Results appear under Security > Code scanning; the job fails when the scan fails
# (exit 1: findings at or above --fail-on; 2: config error or incomplete scan; 3: registry unreachable).
# Add stripe-audit to devDependencies (npm install -D stripe-audit) so npx runs the locked version.
name: stripe-audit

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read
  security-events: write

jobs:
  stripe-audit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm

      - run: npm ci

      - name: Run stripe-audit
        id: scan
        continue-on-error: true
        run: |
          set +e
          npx stripe-audit . --format sarif --output stripe-audit.sarif
          code=$?
          echo "exit_code=$code" >> "$GITHUB_OUTPUT"
          exit $code

      - name: Upload SARIF to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: stripe-audit.sarif
          category: stripe-audit

      - name: Fail on the stripe-audit exit code
        if: steps.scan.outcome == 'failure'
        run: |
          echo "stripe-audit exited with code \${{ steps.scan.outputs.exit_code }}"
          exit \${{ steps.scan.outputs.exit_code || 1 }}
`;

export function initCommand(dir: string, force: boolean): { ok: boolean; text: string } {
  const root = path.resolve(dir);
  const files: [string, string][] = [
    [CONFIG_FILE, JSON.stringify(STARTER_CONFIG, null, 2) + '\n'],
    [WORKFLOW_FILE, WORKFLOW],
  ];
  const existing = files.filter(([rel]) => fs.existsSync(path.join(root, rel))).map(([rel]) => rel);
  if (existing.length && !force) {
    return { ok: false, text: `stripe-audit: not overwriting ${existing.join(' and ')} in ${root}; use --force to replace ${existing.length === 1 ? 'it' : 'them'}\n` };
  }
  try {
    for (const [rel, text] of files) {
      const abs = path.join(root, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
  } catch (err) {
    return { ok: false, text: `stripe-audit: could not write into ${root}: ${(err as Error).message}\n` };
  }
  return {
    ok: true,
    text: files.map(([rel]) => `${existing.includes(rel) ? 'overwrote' : 'wrote'} ${rel}`).join('\n') + `\nNext: npm install -D stripe-audit, commit both files, and see the results under Security > Code scanning.\n`,
  };
}
