// The compiler behind `#typescript`. The build copies the file ts-morph loads as `ts` next to the bundle
// (dist/bundle/typescript.cjs) and the runtime loads it with V8's code cache; without a usable copy it uses
// ts-morph's public `ts` export. The copy comes from inside @ts-morph/common, which is not ts-morph's
// public API: these tests fail when a ts-morph update moves or changes that file.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCommand } from './helpers/run-cli.js';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const { ts } = require('ts-morph') as typeof import('ts-morph');
/** Where ts-morph's dependency keeps the compiler today, resolved from ts-morph's own folder as ts-morph does. */
const PRIVATE_COMPILER = createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common/dist/typescript.js');
const BUNDLE = path.join(REPO_ROOT, 'dist/bundle');

/** Loads `#typescript` from `bundle` in a fresh process: its version, and whether its `ts` is ts-morph's own module. */
async function runtimeIn(bundle: string): Promise<{ version: string; tsMorphsOwn: boolean; kinds: number }> {
  const script = `
    const { ts } = await import(${JSON.stringify(path.join(bundle, 'typescript-runtime.js'))});
    const { createRequire } = await import('node:module');
    const tsMorph = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))})('ts-morph').ts;
    const file = ts.createSourceFile('x.ts', 'const a: number = 1;', ts.ScriptTarget.Latest, true);
    console.log(JSON.stringify({ version: ts.version, tsMorphsOwn: ts.createSourceFile === tsMorph.createSourceFile, kinds: file.statements.length }));`;
  const r = await runCommand(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, STRIPE_AUDIT_NO_CODE_CACHE: '1' } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('the TypeScript compiler', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-ts-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of the bundle in a folder whose node_modules is the checkout's (so ts-morph resolves), with `compiler` as typescript.cjs. */
  const bundleWith = (name: string, compiler: string | undefined) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const copy = path.join(dir, 'bundle');
    fs.cpSync(BUNDLE, copy, { recursive: true, filter: (f) => path.basename(f) !== 'typescript.cjs' });
    if (compiler !== undefined) fs.writeFileSync(path.join(copy, 'typescript.cjs'), compiler);
    return copy;
  };

  it('the file the build copies is the module ts-morph exports as `ts`, same bytes and version', () => {
    const loaded = require(PRIVATE_COMPILER) as typeof ts;
    // ts-morph's `ts` re-exports that module's functions: the same function objects, not another compiler.
    expect(loaded.createSourceFile).toBe(ts.createSourceFile);
    expect(loaded.SyntaxKind).toBe(ts.SyntaxKind);
    expect(loaded.version).toBe(ts.version);
    expect(fs.readFileSync(path.join(BUNDLE, 'typescript.cjs')).equals(fs.readFileSync(PRIVATE_COMPILER))).toBe(true);
    // The runtime decodes it as Latin-1 without looking (rolldown.config.mjs refuses another): only ASCII reads the same.
    expect(isAscii(fs.readFileSync(PRIVATE_COMPILER))).toBe(true);
  });

  it('at run time, `#typescript` loads the copy (not ts-morph), and it parses', async () => {
    expect(await runtimeIn(BUNDLE)).toEqual({ version: ts.version, tsMorphsOwn: false, kinds: 1 });
  });

  it("without the copy, or with one that cannot load, `#typescript` is ts-morph's public `ts`", async () => {
    const [missing, broken] = await Promise.all([runtimeIn(bundleWith('missing', undefined)), runtimeIn(bundleWith('broken', 'throw new Error("not a compiler");\n'))]);
    expect(missing).toEqual({ version: ts.version, tsMorphsOwn: true, kinds: 1 });
    expect(broken).toEqual({ version: ts.version, tsMorphsOwn: true, kinds: 1 });
  });
});
