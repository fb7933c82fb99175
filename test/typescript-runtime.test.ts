// The compiler behind `#typescript`. The build writes the parser part of the file ts-morph loads as `ts`, minified, next to the
// bundle (dist/bundle/typescript-compiler.js) and the runtime loads it with V8's code cache; without a usable
// file it uses ts-morph's public `ts` export. The file comes from inside @ts-morph/common, which is not
// ts-morph's public API: these tests fail when a ts-morph update moves or changes that file, or when the
// parser-only, minified compiler parses anything differently or lacks an export the audit reads.
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
    const { ts } = await import(${JSON.stringify(path.join(bundle, 'typescript-runtime.cjs'))});
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

  /** A copy of the bundle in a folder whose node_modules is the checkout's (so ts-morph resolves), with `compiler` as the compiler file. */
  const bundleWith = (name: string, compiler: string | undefined) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const copy = path.join(dir, 'bundle');
    fs.cpSync(BUNDLE, copy, { recursive: true, filter: (f) => path.basename(f) !== 'typescript-compiler.js' });
    if (compiler !== undefined) fs.writeFileSync(path.join(copy, 'typescript-compiler.js'), compiler);
    return copy;
  };

  it('the file the build minifies is the module ts-morph exports as `ts`, and it is ASCII', () => {
    const loaded = require(PRIVATE_COMPILER) as typeof ts;
    // ts-morph's `ts` re-exports that module's functions: the same function objects, not another compiler.
    expect(loaded.createSourceFile).toBe(ts.createSourceFile);
    expect(loaded.SyntaxKind).toBe(ts.SyntaxKind);
    expect(loaded.version).toBe(ts.version);
    // The runtime decodes the minified file as Latin-1 without looking (rolldown.config.mjs writes it so).
    const minified = fs.readFileSync(path.join(BUNDLE, 'typescript-compiler.js'));
    expect(isAscii(minified)).toBe(true);
    // The parser and what it uses (scripts/typescript-parser-only.mjs), not the checker, services and server.
    expect(minified.length).toBeLessThan(fs.statSync(PRIVATE_COMPILER).size / 10);
  });

  it('has every export the bundle reads (`ts.<name>`) that ts-morph\'s compiler has, of the same type', async () => {
    const { ts: shipped } = (await import(path.join(BUNDLE, 'typescript-runtime.cjs'))) as { ts: Record<string, unknown> };
    const read = new Set<string>();
    for (const f of fs.readdirSync(BUNDLE, { recursive: true }) as string[]) {
      if (f.endsWith('.cjs') && !f.startsWith('vendor')) for (const m of fs.readFileSync(path.join(BUNDLE, f), 'utf8').matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) read.add(m[1]);
    }
    const values = [...read].filter((n) => n in ts);
    expect(values.length).toBeGreaterThan(80);
    expect(values.filter((n) => typeof shipped[n] !== typeof (ts as unknown as Record<string, unknown>)[n])).toEqual([]);
    // Enums whole: the audit prints and compares kinds by name (ts.SyntaxKind[kind]).
    expect(Object.keys(shipped.SyntaxKind as object)).toEqual(Object.keys(ts.SyntaxKind));
    // Not the checker, the emitter, the language service.
    for (const n of ['createProgram', 'createTypeChecker', 'createPrinter', 'createLanguageService']) expect(shipped[n]).toBeUndefined();
  });

  it('the minified compiler parses every fixture file and the sources exactly as ts-morph\'s compiler does', async () => {
    const { ts: minified } = (await import(path.join(BUNDLE, 'typescript-runtime.cjs'))) as { ts: typeof ts };
    expect(minified.createSourceFile).not.toBe(ts.createSourceFile);
    expect(minified.version).toBe(ts.version);
    const kinds: Record<string, number> = { '.ts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX, '.js': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS };
    /** Every node (kind, span, flags) in order, the comments before each, and the parse errors. */
    const shape = (compiler: typeof ts, file: string, text: string) => {
      const sf = compiler.createSourceFile(file, text, compiler.ScriptTarget.Latest, true, kinds[path.extname(file)]);
      const out: (string | number)[] = [];
      // The node methods come from the services' node classes, which the build keeps for them.
      const visit = (node: ts.Node) => {
        out.push(node.kind, node.pos, node.end, node.flags, node.getStart(), node.getText().length, node.getChildren().length, String(node.getSourceFile() === sf));
        out.push((compiler.getLeadingCommentRanges(text, node.pos) ?? []).length, (compiler.getTrailingCommentRanges(text, node.end) ?? []).length);
        compiler.forEachChild(node, visit);
      };
      visit(sf);
      const errors = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => `${d.start}: ${compiler.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      const end = sf.getLineAndCharacterOfPosition(text.length);
      return { nodes: out.join(','), errors, end: `${end.line}:${end.character}` };
    };
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'node_modules') walk(p);
        else if (e.isFile() && kinds[path.extname(e.name)] !== undefined) files.push(p);
      }
    };
    for (const dir of ['fixtures', 'src', 'rules']) walk(path.join(REPO_ROOT, dir));
    expect(files.length).toBeGreaterThan(300);
    // Broken code too: the parser's recovery and its messages are the minified code's as well.
    const broken = { 'broken.ts': 'const a = ;\nfunction (x { return `${x\n', 'broken.tsx': 'export const A = () => <div>{</span>;\n' };
    const differ: string[] = [];
    for (const [file, text] of [...files.map((f) => [f, fs.readFileSync(f, 'utf8')] as const), ...Object.entries(broken)]) {
      if (JSON.stringify(shape(minified, file, text)) !== JSON.stringify(shape(ts, file, text))) differ.push(path.relative(REPO_ROOT, file) || file);
    }
    expect(differ).toEqual([]);
    expect(shape(ts, 'broken.ts', broken['broken.ts']).errors.length).toBeGreaterThan(0);
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
