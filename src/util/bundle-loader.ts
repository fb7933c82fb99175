// Loads the bundle's CommonJS chunks (dist/bundle/*.cjs, rolldown.config.mjs) with V8's code cache.
//
// Every run of the CLI compiles its code again: ~0.9 MB of JavaScript in a small scan, and each function
// again when it first runs. Node 20 keeps no compiled code for ES modules, but V8 can reuse what it
// compiled for a script (vm.Script with cachedData): so the bundle is CommonJS, and this loader does for
// its chunks what require() does (the same wrapper function, the same `module`, `exports`, `__filename`),
// with the cached code handed to the compiler. A small scan then uses ~0.88x the CPU and ~0.86x the time
// (paired, 12 runs, against STRIPE_AUDIT_NO_CODE_CACHE=1; ~0.75x before the compiler shrank to its parser).
//
// Where the cache comes from: the user cache folder (STRIPE_AUDIT_CACHE_DIR, else ~/.cache/stripe-audit)/v8,
// else the build's own dist/v8 (written by `npm run build`, not in the published package: it fits only the
// V8 that wrote it). A chunk found in neither is compiled as usual, and its cache is written to the user
// folder when the run ends (saveCodeCaches), with what was compiled on the way. Naming, reading and
// writing the files: src/util/code-cache.ts, as for the compiler's cache. STRIPE_AUDIT_NO_CODE_CACHE=1 turns
// it off.
import './v8-tiering.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { codeCacheName, readCodeCache, userCodeCacheDir, writeCodeCache } from './code-cache.js';

/** dist/bundle: the chunks, this loader (loader.cjs) among them. */
const BUNDLE = path.dirname(fileURLToPath(import.meta.url));
/** The build's caches (src/analysis/warm-code-cache.ts, and the warm-up run of `npm run build`). */
const BUILT_CODE_CACHE_DIR = path.resolve(BUNDLE, '../v8');
/** The module `#typescript` names (package.json "imports"): a chunk like the others. */
const TYPESCRIPT_RUNTIME = path.join(BUNDLE, 'typescript-runtime.cjs');

interface Chunk {
  module: { exports: unknown };
  script: vm.Script;
  /** The cache file's name; undefined when caching is off. */
  cacheName?: string;
  /** A cache was used (then nothing is written for this chunk). */
  hit: boolean;
}

const chunks = new Map<string, Chunk>();
const self = { load, loadVendor, saveCodeCaches };

/** The exports of dist/bundle/<name> (a chunk), loaded once per thread. */
export function load(name: string): any {
  return loadChunk(path.join(BUNDLE, name));
}

/**
 * A dependency loaded on first use (src/util/lazy.ts): dist/bundle/vendor/<name>.cjs, with its code cache
 * like the chunks (the registry client alone took ~135 ms to load without one).
 */
export function loadVendor(name: string): any {
  return loadChunk(path.join(BUNDLE, 'vendor', `${name}.cjs`));
}

function loadChunk(file: string): unknown {
  const known = chunks.get(file);
  if (known) return known.module.exports;
  const name = process.env.STRIPE_AUDIT_NO_CODE_CACHE ? undefined : codeCacheName('chunk', file);
  const cachedData = name ? readCodeCache(name, BUILT_CODE_CACHE_DIR) : undefined;
  // require()'s wrapper, strict as the ES modules the chunks were written as.
  const source = `(function (exports, require, module, __filename, __dirname) { 'use strict'; ${fs.readFileSync(file, 'utf8')}\n});`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  chunks.set(file, { module, script, cacheName: name, hit: !!cachedData && !script.cachedDataRejected }); // before it runs: chunks that require each other get the same module
  script.runInThisContext().call(module.exports, module.exports, requireFrom(file), module, file, path.dirname(file));
  return module.exports;
}

/** `require` inside a chunk: the other chunks (and `#typescript`) through this loader, the rest as Node does. */
function requireFrom(file: string): NodeJS.Require {
  const real = createRequire(file);
  const dir = path.dirname(file);
  const req = (specifier: string): unknown => {
    if (specifier === './loader.cjs' && dir === BUNDLE) return self;
    if (specifier === '#typescript') return loadChunk(TYPESCRIPT_RUNTIME);
    if (specifier.startsWith('./') && specifier.endsWith('.cjs') && !specifier.includes('/', 2)) return loadChunk(path.join(dir, specifier));
    return real(specifier);
  };
  return Object.assign(req, { resolve: real.resolve, cache: real.cache, main: real.main, extensions: real.extensions }) as NodeJS.Require;
}

/**
 * Writes the code cache of every chunk this thread loaded without a usable one, into the user cache folder
 * (or `dir`; `all`: every chunk loaded, as the build's warm-up run does). Called when the run ends, so the
 * cache holds the functions compiled on the way (V8 compiles a function when it first runs). Failures (a
 * read-only home, a full disk) only cost the next run its speed-up.
 */
export function saveCodeCaches(dir = process.env.STRIPE_AUDIT_CODE_CACHE_OUT, all = !!process.env.STRIPE_AUDIT_CODE_CACHE_OUT): void {
  for (const chunk of chunks.values()) {
    if (!chunk.cacheName || (chunk.hit && !all)) continue;
    chunk.hit = true;
    try {
      writeCodeCache(dir ?? userCodeCacheDir(), chunk.cacheName, chunk.script.createCachedData());
    } catch {
      /* no cache next time */
    }
  }
}
