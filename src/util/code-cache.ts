// V8's code cache files, for the bundle's loader (src/util/bundle-loader.ts) and the compiler's
// (src/analysis/typescript-runtime.ts): how a script's cache is named, where it is looked for, how it is
// written. The caches live in the user cache folder (STRIPE_AUDIT_CACHE_DIR, else ~/.cache/stripe-audit)/v8,
// and the build's in dist/v8; nothing is read or written inside the scanned repository.
import fs from 'node:fs';
import path from 'node:path';
import { defaultCacheDir } from './cache-dir.js';

/**
 * `<prefix>-<hash>.bin`: the script's path, size and mtime and the Node version, hashed. V8 rejects a cache
 * of another V8 version or other flags; with these in the name, a changed script never meets an old cache.
 * The hash names a file, it protects nothing (V8 also rejects a cache made for other source text): two
 * FNV-1a hashes of 32 bits, not node:crypto, which costs every run ~8 ms to load.
 */
export function codeCacheName(prefix: string, file: string): string {
  const st = fs.statSync(file);
  const key = [file, st.size, st.mtimeMs, process.version, process.arch].join('\0');
  return `${prefix}-${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x050c5d1f)}.bin`;
}

/** FNV-1a over the UTF-16 code units of `text`, from `seed`: 8 hex digits. */
function fnv1a(text: string, seed: number): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Where a run writes the caches it lacked. */
export function userCodeCacheDir(): string {
  return path.join(defaultCacheDir(), 'v8');
}

/** The cache called `name`: the user's first, then the build's (in `builtDir`); none on a first run. */
export function readCodeCache(name: string, builtDir: string): Buffer | undefined {
  for (const dir of [userCodeCacheDir(), builtDir]) {
    try {
      return fs.readFileSync(path.join(dir, name));
    } catch {
      /* not there: the next place, or none */
    }
  }
  return undefined;
}

/** Writes `data` as `dir/name` and returns its path (throws on failure). */
export function writeCodeCache(dir: string, name: string, data: Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  // Another run (or the other thread) may write the same file at the same time: write aside, then rename.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
  return file;
}
