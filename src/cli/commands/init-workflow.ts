// The GitHub Actions workflow `stripe-audit init` writes, for the project's package manager: install the
// locked dependencies (stripe-audit among them, as a dev dependency), run the installed copy with
// annotations in the log and a SARIF file beside them, upload the SARIF to code scanning when it was
// written, then fail the job with the scan's exit code.
import type { DetectedPackageManager, PackageManagerName } from './package-manager.js';

/** Current major versions (checked 2026-12 from their release notes: all run on the Node 24 runtime). */
const ACTIONS = {
  checkout: 'actions/checkout@v6',
  setupNode: 'actions/setup-node@v6',
  cache: 'actions/cache@v6',
  pnpm: 'pnpm/action-setup@v6',
  bun: 'oven-sh/setup-bun@v2',
  uploadSarif: 'github/codeql-action/upload-sarif@v4',
} as const;

const SARIF_FILE = 'stripe-audit.sarif';

/** How each package manager runs the copy installed in the project; none of them fetches a package by name. */
export const RUN_INSTALLED: Record<PackageManagerName, string> = {
  npm: 'npx --no-install stripe-audit',
  pnpm: 'pnpm exec stripe-audit',
  yarn: 'yarn stripe-audit',
  bun: 'bunx --no-install stripe-audit',
};

/** How each package manager adds stripe-audit as a dev dependency. */
export const ADD_DEV: Record<PackageManagerName, string> = {
  npm: 'npm install --save-dev',
  pnpm: 'pnpm add --save-dev',
  yarn: 'yarn add --dev',
  bun: 'bun add --dev',
};

export interface WorkflowPlace {
  pm: DetectedPackageManager;
  /** The lockfile's folder relative to the git root ('' at the root), POSIX separators. */
  installDir: string;
  /** The scanned project's folder relative to the git root ('' at the root). */
  projectDir: string;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (s: string) => JSON.stringify(s);
const join = (dir: string, file: string) => (dir ? `${dir}/${file}` : file);
const workingDirectory = (dir: string) => (dir ? [`        working-directory: ${q(dir)}`] : []);

function setupNode(cache: string | undefined, cacheDependencyPath: string | undefined): string[] {
  return [
    `      - uses: ${ACTIONS.setupNode}`,
    '        with:',
    '          node-version: lts/*',
    ...(cache ? [`          cache: ${cache}`] : []),
    ...(cache && cacheDependencyPath ? [`          cache-dependency-path: ${q(cacheDependencyPath)}`] : []),
  ];
}

function cacheFolder(path: string, key: string, lockfile: string): string[] {
  return [
    `      - uses: ${ACTIONS.cache}`,
    '        with:',
    `          path: ${path}`,
    `          key: ${key}-\${{ runner.os }}-\${{ hashFiles(${q(lockfile).replace(/"/g, "'")}) }}`,
    `          restore-keys: ${key}-\${{ runner.os }}-`,
  ];
}

function install(run: string, dir: string): string[] {
  return ['      - name: Install dependencies', `        run: ${run}`, ...workingDirectory(dir)];
}

/** Set-up and install steps, per package manager. */
function installSteps({ pm, installDir }: WorkflowPlace): string[] {
  const lock = pm.lockfile ? join(installDir, pm.lockfile) : undefined;
  // setup-node's cache needs a lockfile; its default is the root's, so name it when it is elsewhere.
  const depPath = lock && installDir ? lock : undefined;
  switch (pm.name) {
    case 'npm':
      return [...setupNode(lock ? 'npm' : undefined, depPath), ...install(lock ? 'npm ci' : 'npm install', installDir)];
    case 'pnpm':
      return [
        `      - uses: ${ACTIONS.pnpm}`,
        ...(pm.pinned
          ? installDir
            ? ['        with:', `          package_json_file: ${q(join(installDir, 'package.json'))}`]
            : []
          : ['        with:', `          version: ${pm.pnpmVersion}`]),
        ...setupNode(lock ? 'pnpm' : undefined, depPath),
        ...install(lock ? 'pnpm install --frozen-lockfile' : 'pnpm install', installDir),
      ];
    case 'yarn':
      if (!pm.yarnBerry) {
        return [...setupNode(lock ? 'yarn' : undefined, depPath), ...install(lock ? 'yarn install --frozen-lockfile' : 'yarn install', installDir)];
      }
      // Yarn 2+ runs through Corepack, which Node.js no longer ships from version 25 on.
      return [
        ...setupNode(undefined, undefined),
        '      - name: Enable Corepack (Yarn 2+)',
        '        run: npm install --global corepack && corepack enable',
        '      - name: Find the Yarn cache folder',
        '        id: yarn-cache',
        '        run: echo "dir=$(yarn config get cacheFolder)" >> "$GITHUB_OUTPUT"',
        ...workingDirectory(installDir),
        ...(lock ? cacheFolder('${{ steps.yarn-cache.outputs.dir }}', 'yarn', lock) : []),
        ...install(lock ? 'yarn install --immutable' : 'yarn install', installDir),
      ];
    case 'bun':
      return [
        `      - uses: ${ACTIONS.bun}`,
        // stripe-audit runs on Node.js (its bin is a Node script).
        ...setupNode(undefined, undefined),
        ...(lock ? cacheFolder('~/.bun/install/cache', 'bun', lock) : []),
        ...install(lock ? 'bun install --frozen-lockfile' : 'bun install', installDir),
      ];
  }
}

export function workflow(place: WorkflowPlace): string {
  const { pm, projectDir } = place;
  const sarif = join(projectDir, SARIF_FILE);
  return [
    '# stripe-audit: static audit of the Stripe integration (webhooks, idempotency keys, SDK, keys).',
    '# Findings appear as annotations in the log and under Security > Code scanning; the job fails when the',
    '# scan fails (1: findings at or above --fail-on; 2: config error or incomplete scan; 3: registry unreachable).',
    `# stripe-audit must be a dev dependency of the project (${ADD_DEV[pm.name]} stripe-audit): the scan runs`,
    '# the locked copy and never fetches a package by name.',
    'name: stripe-audit',
    '',
    'on:',
    '  push:',
    '    branches: [main, master]',
    '  pull_request:',
    '  workflow_dispatch:',
    '',
    'permissions:',
    '  contents: read',
    '  security-events: write',
    '  actions: read',
    '',
    'jobs:',
    '  stripe-audit:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: ${ACTIONS.checkout}`,
    ...installSteps(place),
    '      - name: Run stripe-audit',
    '        id: scan',
    '        continue-on-error: true',
    ...workingDirectory(projectDir),
    '        run: |',
    '          set +e',
    `          ${RUN_INSTALLED[pm.name]} . --format github --sarif-output ${SARIF_FILE}`,
    '          code=$?',
    '          echo "exit_code=$code" >> "$GITHUB_OUTPUT"',
    '          exit $code',
    '      # Code scanning needs GitHub Advanced Security on private repositories; without it, remove this',
    '      # step (the annotations of the scan step still show every finding).',
    '      - name: Upload SARIF to code scanning',
    `        if: always() && hashFiles('${sarif}') != ''`,
    `        uses: ${ACTIONS.uploadSarif}`,
    '        with:',
    `          sarif_file: ${q(sarif)}`,
    '          category: stripe-audit',
    '      - name: Fail on the stripe-audit exit code',
    "        if: always() && steps.scan.outcome == 'failure'",
    '        run: exit ${{ steps.scan.outputs.exit_code || 1 }}',
    '',
  ].join('\n');
}
