// The TypeScript compiler API at run time (imported as `#typescript`; see package.json "imports").
//
// ts-morph's `ts` export is the compiler it bundles (@ts-morph/common/dist/typescript.js). Importing
// ts-morph itself also evaluates ts-morph and @ts-morph/common (~120 ms), of which the audit uses
// nothing, so this module loads that one file directly: the same module, the same API.
//
// Compiling the 9 MB file is most of what is left (~180 ms, on the main thread, in every run). V8 can
// reuse its compiled code: the first run compiles as usual and writes V8's code cache to the user cache
// folder; later runs hand it back (~90 ms). V8 rejects a cache from another V8 version or other flags
// (the file is then rewritten); the file name carries the compiler's path, size and mtime and the Node
// version, so a changed compiler never meets an old cache. STRIPE_AUDIT_NO_CODE_CACHE=1 turns it off.
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { ts as TypeScript } from 'ts-morph';
import { defaultCacheDir } from './cache-dir.js';

const requireHere = createRequire(import.meta.url);
/** Resolved from ts-morph's folder, as ts-morph itself resolves it (also under pnpm's strict layout). */
const COMPILER_FILE = createRequire(requireHere.resolve('ts-morph')).resolve('@ts-morph/common/dist/typescript.js');

type CacheState = 'off' | 'hit' | 'miss' | 'rejected';

interface Loaded {
  ts: typeof TypeScript;
  state: CacheState;
  script?: vm.Script;
  cacheFile?: string;
}

function cacheFileFor(compiler: string): string {
  const st = fs.statSync(compiler);
  const key = [compiler, st.size, st.mtimeMs, process.version, process.arch].join('\0');
  const name = `typescript-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}.bin`;
  return path.join(defaultCacheDir(), 'v8', name);
}

function load(): Loaded {
  if (process.env.STRIPE_AUDIT_NO_CODE_CACHE) return { ts: requireHere(COMPILER_FILE), state: 'off' };
  let cacheFile: string;
  try {
    cacheFile = cacheFileFor(COMPILER_FILE);
  } catch {
    return { ts: requireHere(COMPILER_FILE), state: 'off' };
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* first run, or the cache folder is gone */
  }
  // What require() does for a CommonJS file, with V8's cached data handed to the compiler.
  // The compiler is ASCII: copying its bytes into a one-byte string skips UTF-8 decoding (~25 ms of 9 MB).
  const bytes = fs.readFileSync(COMPILER_FILE);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: COMPILER_FILE, cachedData });
  const module = { exports: {} as typeof TypeScript };
  script.runInThisContext().call(module.exports, module.exports, createRequire(COMPILER_FILE), module, COMPILER_FILE, path.dirname(COMPILER_FILE));
  const state: CacheState = !cachedData ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  return { ts: module.exports, state, script, cacheFile };
}

const loaded = load();

export const ts = loaded.ts;

/**
 * Writes V8's code cache when this run had none (or a rejected one). Called after the rules ran, so the
 * cache also holds the parser functions compiled on the way (V8 compiles functions lazily). Failures
 * (read-only home, full disk) only cost the next run its speed-up.
 */
export function saveParserCodeCache(): void {
  if (!loaded.script || !loaded.cacheFile || (loaded.state !== 'miss' && loaded.state !== 'rejected')) return;
  loaded.state = 'hit';
  try {
    const data = loaded.script.createCachedData();
    fs.mkdirSync(path.dirname(loaded.cacheFile), { recursive: true });
    // Another run may write the same file at the same time: write aside, then rename (atomic).
    const tmp = `${loaded.cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, loaded.cacheFile);
  } catch {
    /* no cache next time */
  }
}
