// The TypeScript compiler API at run time (imported as `#typescript`; see package.json "imports").
//
// ts-morph's `ts` export is the compiler it bundles. Importing ts-morph itself also evaluates ts-morph and
// @ts-morph/common (~120 ms), of which the audit uses nothing, and the compiler is the whole of TypeScript
// (checker, emitter, language service, server: 9.1 MB), of which the audit runs the parser. So the build
// writes the parser part of that compiler file (scripts/typescript-parser-only.mjs) next to the bundle,
// minified and already wrapped as CommonJS wraps a module (dist/bundle/typescript-compiler.js, ~0.4 MB:
// rolldown.config.mjs finds it through ts-morph's public `ts` export, and test/typescript-runtime.test.ts
// checks that it parses as ts-morph's does) and this module evaluates it: the same code, the same API for
// what the audit uses. Without the file (tsc's unbundled output) or when it cannot be loaded, `ts` is
// ts-morph's own export, loaded the ordinary way.
//
// Loading it costs ~75 ms of CPU on this kind of machine (the whole compiler, minified: ~0.2 s). V8 can reuse
// its compiled code (~20 ms of that): `npm run build` writes V8's code cache next to the bundle, and a run
// that finds none it can use (another machine, another Node) writes one to the user cache folder for the
// next. V8 rejects a cache from another V8 version or other flags (the user's file is then rewritten);
// the file name carries the compiler's path, size and mtime and the Node version, so a changed compiler
// never meets an old cache. STRIPE_AUDIT_NO_CODE_CACHE=1 turns it off.
import '../util/v8-tiering.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { ts as TypeScript } from 'ts-morph';
import { codeCacheName, readCodeCache, userCodeCacheDir, writeCodeCache } from '../util/code-cache.js';

const requireHere = createRequire(import.meta.url);
/**
 * The compiler ts-morph ships, written next to the bundle by the build so that the package has no runtime
 * dependency: one function expression, `(function (exports, require, module, __filename, __dirname) {…})`.
 */
const COMPILER_FILE = fileURLToPath(new URL('./typescript-compiler.js', import.meta.url));

type CacheState = 'off' | 'hit' | 'miss' | 'rejected';

interface Loaded {
  ts: typeof TypeScript;
  state: CacheState;
  script?: vm.Script;
  /** The cache file's name (src/util/code-cache.ts); undefined when caching is off. */
  cacheName?: string;
}

/**
 * Written by `npm run build` (src/analysis/warm-code-cache.ts) to dist/v8, next to the bundle: runs of a checkout on
 * the machine that built it start warm. Not in the published package (package.json "files"): it fits only
 * the V8 that wrote it, and an installed copy writes its own to the user cache folder on its first run.
 */
export const BUILT_CODE_CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../v8');

/** The public way: ts-morph's `ts` export (needs ts-morph installed, as in a checkout). */
function fromTsMorph(): Loaded {
  return { ts: (requireHere('ts-morph') as typeof import('ts-morph')).ts, state: 'off' };
}

function load(): Loaded {
  if (!fs.existsSync(COMPILER_FILE)) return fromTsMorph();
  try {
    return loadCompiler();
  } catch (err) {
    try {
      return fromTsMorph();
    } catch {
      throw err;
    }
  }
}

/** The copied compiler, with V8's code cache when there is one. */
function loadCompiler(): Loaded {
  const name = process.env.STRIPE_AUDIT_NO_CODE_CACHE ? undefined : codeCacheName('typescript', COMPILER_FILE);
  const cachedData = name ? readCodeCache(name, BUILT_CODE_CACHE_DIR) : undefined;
  // What require() does for a CommonJS file, with V8's cached data handed to the compiler; the build already
  // wrapped the module in require()'s function (joining the wrapper here copied the string once more).
  // The file is ASCII (rolldown.config.mjs writes it so), so its bytes are copied into a one-byte string as
  // they are: no UTF-8 decoding, no check.
  const source = fs.readFileSync(COMPILER_FILE).toString('latin1');
  const script = new vm.Script(source, { filename: COMPILER_FILE, cachedData });
  const module = { exports: {} as typeof TypeScript };
  script.runInThisContext().call(module.exports, module.exports, createRequire(COMPILER_FILE), module, COMPILER_FILE, path.dirname(COMPILER_FILE));
  const state: CacheState = !name ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  return { ts: module.exports, state, script, cacheName: name };
}

const loaded = load();

export const ts = loaded.ts;

/**
 * Writes V8's code cache when this run had none (or a rejected one). Called after the rules ran, so the
 * cache also holds the parser functions compiled on the way (V8 compiles functions lazily). Failures
 * (read-only home, full disk) only cost the next run its speed-up.
 */
export function saveParserCodeCache(): void {
  if (!loaded.script || !loaded.cacheName || (loaded.state !== 'miss' && loaded.state !== 'rejected')) return;
  loaded.state = 'hit';
  try {
    writeParserCodeCache(userCodeCacheDir());
  } catch {
    /* no cache next time */
  }
}

/** Writes V8's code cache of the compiler, as compiled so far, into `dir` (throws on failure). */
export function writeParserCodeCache(dir: string): string {
  if (loaded.state === 'off' || !loaded.script || !loaded.cacheName) throw new Error('the compiler was loaded without a code cache (STRIPE_AUDIT_NO_CODE_CACHE)');
  return writeCodeCache(dir, loaded.cacheName, loaded.script.createCachedData());
}
