// Import resolution by the module resolver (src/scan/module-resolver.ts): tsconfig `paths` precedence as
// TypeScript applies it, and which configuration file governs a folder (the nearest one above it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-resolver-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` under a new folder; returns a function that resolves `specifier` from `from` (relative), answering relative paths. */
function project(name: string, files: Record<string, string>) {
  const root = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const resolver = new ModuleResolver();
  return (from: string, specifier: string) => {
    const hit = resolver.resolve(path.join(root, from), specifier);
    return hit && path.relative(root, hit).split(path.sep).join('/');
  };
}

describe('tsconfig paths precedence', () => {
  // Declared with the exact pattern last and the catch-all first: the order in the file must not matter.
  const resolve = project('paths', {
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '*': ['generic/*'], '@app/*': ['app/*'], '@app/st*': ['prefix/st*'], '@app/stripe': ['exact/stripe'] } } }),
    'main.ts': '',
    'exact/stripe.ts': '',
    'prefix/stripe.ts': '',
    'prefix/store.ts': '',
    'app/stripe.ts': '',
    'app/store.ts': '',
    'app/orders.ts': '',
    'generic/@app/orders.ts': '',
    'generic/lodash.ts': '',
  });

  it('an exact pattern wins over every wildcard that also matches', () => {
    expect(resolve('main.ts', '@app/stripe')).toBe('exact/stripe.ts');
  });
  it('among wildcards, the longest prefix before the * wins', () => {
    expect(resolve('main.ts', '@app/store')).toBe('prefix/store.ts');
    expect(resolve('main.ts', '@app/orders')).toBe('app/orders.ts');
    expect(resolve('main.ts', 'lodash')).toBe('generic/lodash.ts');
  });
});

describe('the configuration that governs a folder is the nearest one above it', () => {
  const resolve = project('nearest', {
    'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['root-lib/*'] } } }),
    'root-lib/pay.ts': '',
    'pkg/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['pkg-lib/*'] } } }),
    'pkg/pkg-lib/pay.ts': '',
    'pkg/src/deep/a.ts': '',
    'other/src/b.ts': '',
    'package.json': JSON.stringify({ name: 'root', imports: { '#db': './root-db.ts' } }),
    'root-db.ts': '',
    'pkg/package.json': JSON.stringify({ name: 'pkg' }),
    'other/c.ts': '',
  });

  it('tsconfig paths: a package with its own tsconfig uses it, other folders the root one', () => {
    expect(resolve('pkg/src/deep/a.ts', '@lib/pay')).toBe('pkg/pkg-lib/pay.ts');
    expect(resolve('other/src/b.ts', '@lib/pay')).toBe('root-lib/pay.ts');
    // Asked again (answered from the cache of each folder on the way): the same answers.
    expect(resolve('pkg/src/deep/a.ts', '@lib/pay')).toBe('pkg/pkg-lib/pay.ts');
    expect(resolve('other/src/b.ts', '@lib/pay')).toBe('root-lib/pay.ts');
  });
  it('package.json imports: the nearest package.json decides, even without an imports map', () => {
    expect(resolve('other/c.ts', '#db')).toBe('root-db.ts');
    expect(resolve('pkg/src/deep/a.ts', '#db')).toBeUndefined();
  });
});

describe('extends: the paths of the configuration a tsconfig extends', () => {
  const resolve = project('extends', {
    // A shared config package in the root node_modules, extended by name from two packages at different depths.
    'node_modules/@acme/tsconfig/base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['shared/*'] } } }),
    'node_modules/@acme/tsconfig/shared/pay.ts': '',
    'apps/web/tsconfig.json': '{\n  // comments and a trailing comma: read as TypeScript reads them\n  "extends": "@acme/tsconfig/base.json",\n}\n',
    'apps/web/src/a.ts': '',
    'packages/billing/api/tsconfig.json': JSON.stringify({ extends: '@acme/tsconfig/base.json' }),
    'packages/billing/api/src/b.ts': '',
    // A relative extends without the .json, and one to a file that does not exist (ignored, as tsc would fail).
    'libs/base.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['lib/*'] } } }),
    'libs/lib/stripe.ts': '',
    'libs/app/tsconfig.json': JSON.stringify({ extends: ['../missing', '../base'] }),
    'libs/app/src/c.ts': '',
  });

  it('a package named in extends is found in the nearest node_modules above, from every folder', () => {
    expect(resolve('apps/web/src/a.ts', '@shared/pay')).toBe('node_modules/@acme/tsconfig/shared/pay.ts');
    expect(resolve('packages/billing/api/src/b.ts', '@shared/pay')).toBe('node_modules/@acme/tsconfig/shared/pay.ts');
  });
  it('a relative extends may omit .json; a missing one is skipped', () => {
    expect(resolve('libs/app/src/c.ts', '@lib/stripe')).toBe('libs/lib/stripe.ts');
  });
});
