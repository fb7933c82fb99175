// What runs: dist/bundle, built from tsc's output (dist/src). It holds every runtime dependency, so the
// published package declares none (it installs offline, and nothing it depends on can move under it).
//
// Why a bundle: loaded as ~90 ES modules and their CommonJS dependencies, the CLI spent ~200 ms of CPU
// before doing any work (resolving, reading and compiling each module, and scanning each CommonJS file for
// its exports); in a few files it is ~100 ms less, on both threads (issue 7: medusa 0.56 -> 0.47 s).
// tsc still type-checks and emits dist/src, which the tests, the benchmark and the docs script use.
//
// Three parts:
// - the CLI (CommonJS chunks, loaded with V8's code cache by loader.cjs): scan-pool, cli, scan-worker, and
//   the compiler's loader (typescript-runtime);
// - dist/bundle/vendor/*.cjs: dependencies loaded only when needed (registry client, lockfile parsers)
//   through src/util/lazy.ts and package.json "imports" "#vendor/*", so a run that does not need them never
//   reads them;
// - dist/bundle/typescript-compiler.js: the TypeScript compiler ts-morph ships (the parser the rules were
//   written against), minified, loaded by src/analysis/typescript-runtime.ts with V8's code cache.
// THIRD-PARTY-NOTICES.txt next to each part carries the licences of what was bundled into it.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { minifySync } from 'rolldown/experimental';
import { parserOnlyCompiler } from './scripts/typescript-parser-only.mjs';

const require = createRequire(import.meta.url);

/**
 * Dependencies the CLI loads on first use (src/util/lazy.ts), name → module; each becomes
 * dist/bundle/vendor/<name>.cjs. The registry client is one entry of its own (src/vendor/registry-client.cjs).
 */
const LAZY = { 'registry-client': 'src/vendor/registry-client.cjs', '@yarnpkg/parsers': '@yarnpkg/parsers', yaml: 'yaml', 'jsonc-parser': 'jsonc-parser' };

/**
 * The compiler file ts-morph loads as `ts`, found through ts-morph's public API rather than a path inside
 * @ts-morph/common: load ts-morph, then take the one module in require's cache whose exports are its `ts`
 * (ts-morph re-exports the compiler's functions, so they are compared, with the version). A ts-morph that
 * moves or splits the file makes the build fail here instead of shipping another compiler.
 */
function compilerFile() {
  const found = Object.values(require.cache).filter((m) => m?.exports?.createSourceFile === TS.createSourceFile && m.exports.version === TS.version);
  if (found.length !== 1) throw new Error(`cannot find the compiler file ts-morph loads as \`ts\` (${found.length} candidates)`);
  return found[0].filename;
}
/** ts-morph's `ts`: it finds the compiler file, and parses that file to cut it down to the parser. */
const { ts: TS } = createRequire(require.resolve('ts-morph'))('ts-morph');
const COMPILER = compilerFile();

/** The package folder (name and licence files) that holds a module file, if it comes from node_modules. */
function packageOf(file) {
  if (!file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (pkg.name) return { dir, name: pkg.name, version: pkg.version, license: pkg.license };
  }
  return undefined;
}

function licenceText(dir) {
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : undefined;
}

/** The TypeScript compiler's own notice: typescript-compiler.js is Microsoft's code (Apache-2.0), shipped by @ts-morph/common. */
function compilerNotice() {
  const typescript = path.dirname(require.resolve('typescript/package.json'));
  const from = packageOf(COMPILER);
  const shippedIn = from ? `${from.name}/${path.relative(from.dir, COMPILER).split(path.sep).join('/')}` : path.basename(COMPILER);
  const version = /var version = "([^"]+)"/.exec(fs.readFileSync(COMPILER, 'utf8').slice(0, 200_000))?.[1] ?? 'unknown';
  return [
    `typescript@${version} (Apache-2.0): dist/bundle/typescript-compiler.js, the parser and what it uses, minified, from ${shippedIn}`,
    fs.readFileSync(path.join(typescript, 'LICENSE.txt'), 'utf8').trim(),
    fs.readFileSync(path.join(typescript, 'ThirdPartyNoticeText.txt'), 'utf8').trim(),
  ].join('\n\n');
}

/** Writes THIRD-PARTY-NOTICES.txt: name, version, licence and licence text of every bundled package. */
function notices(extraSections = []) {
  return {
    name: 'third-party-notices',
    generateBundle(_options, bundle) {
      const packages = new Map();
      for (const file of Object.values(bundle).flatMap((c) => c.moduleIds ?? [])) {
        const pkg = packageOf(file);
        if (pkg) packages.set(pkg.name, pkg);
      }
      const sections = [...packages.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => `${p.name}@${p.version} (${p.license ?? 'see below'})\n\n${licenceText(p.dir) ?? '(no licence file in the package)'}`);
      const text = [...sections, ...extraSections].join('\n\n' + '-'.repeat(72) + '\n\n');
      this.emitFile({ type: 'asset', fileName: 'THIRD-PARTY-NOTICES.txt', source: `Third-party software bundled in this folder, and its licences.\n\n${text}\n` });
    },
  };
}

/**
 * The compiler's exports the audit reads: every `ts.<name>` in what tsc emitted (the bundle is built from
 * it; the tests, the benchmark and the docs script load it as it is), and its version. Types match too and
 * are ignored.
 */
function compilerExportsUsed() {
  const names = new Set(['version']); // which compiler this is (the tests compare it with ts-morph's)
  for (const dir of ['dist/src', 'dist/rules', 'dist/bench']) {
    for (const f of fs.readdirSync(dir, { recursive: true })) {
      if (f.endsWith('.js')) for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
    }
  }
  return names;
}

/**
 * Writes the compiler next to the CLI as dist/bundle/typescript-compiler.js: the parser and what it needs
 * (scripts/typescript-parser-only.mjs: 9.1 MB -> ~1 MB), minified (identifiers shortened, whitespace and
 * comments dropped) and already wrapped in the function Node's CommonJS loader wraps a module in. Every run
 * reads, decodes, compiles and evaluates this file (src/analysis/typescript-runtime.ts), and on this kind of
 * machine each page of fresh memory costs ~15 µs; with no wrapper joined to it at run time, V8 does not copy
 * the string once more. The minifier writes some escaped characters as they are: they are escaped again so
 * that the file stays ASCII, which the runtime decodes as Latin-1 without checking each run (one pass less
 * over the file). test/typescript-runtime.test.ts parses the fixtures with this file and with ts-morph's
 * compiler and compares the trees.
 */
function compiler() {
  return {
    name: 'typescript-compiler',
    generateBundle() {
      const source = fs.readFileSync(COMPILER, 'latin1');
      if (!isAscii(Buffer.from(source, 'latin1'))) throw new Error(`${COMPILER} is not ASCII: src/analysis/typescript-runtime.ts must decode it as UTF-8 again`);
      const licence = /^\/\*![\s\S]*?\*\//.exec(source)?.[0];
      if (!licence) throw new Error(`${COMPILER} does not start with its licence comment`);
      const parserOnly = parserOnlyCompiler(source, { ts: TS, exportsUsed: compilerExportsUsed() });
      const minified = minifySync('typescript.cjs', parserOnly.code, { compress: false, mangle: true, codegen: { removeWhitespace: true } });
      if (minified.errors?.length) throw new Error(`minifying the compiler: ${minified.errors.map((e) => e.message).join('; ')}`);
      // Non-ASCII characters stand only in string, template and regular expression literals here (comments are
      // gone; TypeScript's identifiers are ASCII), where \uXXXX means the same character.
      const ascii = minified.code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      const script = `${licence}\n(function (exports, require, module, __filename, __dirname) {${ascii}\n});\n`;
      new vm.Script(script, { filename: 'typescript-compiler.js' }); // a syntax error fails the build, not a run
      this.emitFile({ type: 'asset', fileName: 'typescript-compiler.js', source: script });
    },
  };
}

// Chunk names carry content hashes: without a clean folder, every build would leave the last one's chunks.
fs.rmSync('dist/bundle', { recursive: true, force: true });

const shared = {
  platform: 'node',
  // ES module builds of dependencies where they ship one (jsonc-parser's main is UMD).
  resolve: { mainFields: ['module', 'main'] },
  logLevel: 'warn',
};

export default [
  {
    ...shared,
    input: {
      // bin/stripe-audit.js loads scan-pool first (git and the scan worker start), then the CLI.
      'scan-pool': 'dist/src/scan/scan-pool.js',
      cli: 'dist/src/cli/cli.js',
      // Loaded by the worker scan-pool starts, through the loader: same folder, same name.
      'scan-worker': 'dist/src/scan/scan-worker.js',
      // package.json "imports" maps #typescript here: one module (one compiler, one cache state) for all.
      'typescript-runtime': 'dist/src/analysis/typescript-runtime.js',
    },
    external: [/^#typescript$/, /^#vendor\//],
    plugins: [compiler(), notices([compilerNotice()])],
    // CommonJS, loaded by loader.cjs with V8's code cache (src/util/bundle-loader.ts): Node 20 caches no
    // compiled code for ES modules. No top-level await in the sources, then.
    output: { dir: 'dist/bundle', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
  },
  {
    ...shared,
    // The loader itself, on its own (Node's require loads it): bin/stripe-audit.js and the scan worker start here.
    input: { loader: 'dist/src/util/bundle-loader.js' },
    output: { dir: 'dist/bundle', format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
  },
  {
    ...shared,
    input: LAZY,
    // Optional modules tried in a try/catch and done without: minipass-fetch's encoding (non-UTF-8
    // bodies), debug's supports-color.
    external: ['encoding', 'supports-color'],
    plugins: [notices()],
    output: { dir: 'dist/bundle/vendor', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'shared-[hash].cjs' },
  },
];
