// Promotion's backward search (src/scan/promotion.ts): most bare specifiers are filed by name and by
// workspace package and resolved only when a file on the way has that name or lies in that package. The
// oracle is the same search with every specifier resolved up front: both must find the same files, for
// every way a bare specifier can mean a scanned file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, removeTempDirs } from './helpers/registry-project.js';
import { ImportIndex } from '../dist/src/scan/promotion.js';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';
import { joinedImportSpecifiers } from '../dist/src/scan/filter-signals.js';
import { readWorkspace } from '../dist/src/scan/scan.js';

afterAll(removeTempDirs);

const STRIPE = `import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n`;

/** Every way a bare specifier reaches Stripe code, and files that do not. */
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', imports: { '#pay': './src/lib/payments/client.ts' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@pay': ['src/lib/payments/client.ts'], '@x/*': ['src/x/*.impl.ts'] } } }),
  'src/lib/payments/client.ts': STRIPE,
  // baseUrl: the last segment names the file.
  'src/a-base-url.ts': `import { stripe } from 'src/lib/payments/client';\n`,
  // An exact paths pattern: the name says nothing of the file.
  'src/b-exact-alias.ts': `import { stripe } from '@pay';\n`,
  // A wildcard whose target adds to the name (`thing` → thing.impl.ts).
  'src/x/thing.impl.ts': `export * from '../lib/payments/client';\n`,
  'src/c-wildcard.ts': `import { stripe } from '@x/thing';\n`,
  // package.json imports.
  'src/d-hash.ts': `import { stripe } from '#pay';\n`,
  // A workspace package: its root (main → dist → src) and a subpath of its exports map.
  'packages/billing/package.json': JSON.stringify({ name: '@acme/billing', main: 'dist/index.js', exports: { '.': './dist/index.js', './server': './src/server/entry.ts' } }),
  'packages/billing/src/index.ts': `export * from './charge';\n`,
  'packages/billing/src/charge.ts': STRIPE,
  'packages/billing/src/server/entry.ts': `export * from '../charge';\n`,
  'apps/web/e-package-root.ts': `import { stripe } from '@acme/billing';\n`,
  'apps/web/f-package-subpath.ts': `import { stripe } from '@acme/billing/server';\n`,
  // SvelteKit's $lib, the folder itself.
  'kit/svelte.config.js': `export default {};\n`,
  'kit/src/lib/index.ts': STRIPE,
  'kit/src/routes/+page.server.ts': `import { stripe } from '$lib';\n`,
  // Files that reach nothing: same names elsewhere, packages from npm.
  'apps/web/g-react.ts': `import React from 'react';\nimport { client } from 'some-sdk/client';\n`,
  'apps/web/h-other-index.ts': `import { x } from '@acme/other';\nimport { y } from './lib/index';\n`,
  'apps/web/lib/index.ts': `export const y = 1;\n`,
};
const TARGETS = ['src/lib/payments/client.ts', 'packages/billing/src/charge.ts', 'kit/src/lib/index.ts'];
const REACHING = [
  'apps/web/e-package-root.ts',
  'apps/web/f-package-subpath.ts',
  'kit/src/routes/+page.server.ts',
  'packages/billing/src/index.ts',
  'packages/billing/src/server/entry.ts',
  'src/a-base-url.ts',
  'src/b-exact-alias.ts',
  'src/c-wildcard.ts',
  'src/d-hash.ts',
  'src/x/thing.impl.ts',
];

/** The files of `scanned` (relative to root) that reach the targets, with or without filing bare specifiers by name. */
function reaching(root: string, scanned: string, lazy: boolean): string[] {
  const folder = path.join(root, scanned);
  const files = Object.keys(FILES).map((rel) => path.join(root, rel)).filter((abs) => abs.startsWith(folder + path.sep));
  const resolver = new ModuleResolver(new Set(files), [folder]);
  for (const w of readWorkspace(files.filter((f) => f.endsWith('package.json')))) resolver.addWorkspacePackage(w.dir, w.json);
  const index = new ImportIndex();
  const targets = TARGETS.map((t) => path.join(root, t)).filter((t) => files.includes(t));
  for (const f of files) if (!targets.includes(f) && /\.[jt]s$/.test(f)) index.add(f, joinedImportSpecifiers(fs.readFileSync(f, 'utf8')));
  const found = index.reaching(targets, (from: string, spec: string) => resolver.resolve(from, spec), lazy ? () => resolver.bareSpecifiers() : undefined);
  return [...found].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
}

describe('bare specifiers filed by name and package', () => {
  it('find what resolving every specifier finds: baseUrl, exact and wildcard paths, #imports, workspace roots and subpaths, $lib', () => {
    const { root } = makeProject(FILES);
    expect(reaching(root, '', true)).toEqual(REACHING);
    expect(reaching(root, '', false)).toEqual(REACHING);
  });

  it('a scan of one folder follows the paths of a tsconfig above it', () => {
    const { root } = makeProject(FILES);
    const inSrc = REACHING.filter((f) => f.startsWith('src/'));
    expect(reaching(root, 'src', true)).toEqual(inSrc);
    expect(reaching(root, 'src', false)).toEqual(inSrc);
  });
});
