// Whether a scan gets its own worker thread (src/scan/scan-pool.ts): decided in the executable before the CLI
// loads, from a cheap look at the paths it names. The worker discovers and filters files while the main
// thread loads the parser, then both filter. A new V8 isolate costs ~0.2 s of CPU whatever the size, and
// with two cores the worker's filtering competes with git and with the main thread: measured on 2 cores
// (paired runs, the main thread alone against the worker), 3,000 files: wall 0.95x, CPU 0.86x; 6,000:
// wall 0.98x, CPU 0.90x, the same peak RSS; an 8,244-file monorepo: wall 1.02x, CPU 0.86x. From ~10,000
// files on the worker is kept for memory too (reading every file makes short-lived strings; in the worker
// they cannot grow the main thread's heap: 20,000 files peak at ~150 MB). With more cores the filtering
// runs truly in parallel, and the worker pays from about 2,000 files (the threshold measured on 2 cores
// when the compiler took ~0.2 s to load).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryIndex } from './git-listing.js';

/** From about this many files on, the worker pays for itself, on a machine with `cores` cores. */
export function workerMinFiles(cores = os.availableParallelism()): number {
  return cores <= 2 ? 10_000 : 2_000;
}

/** Bytes of git index per tracked file, at least (a 62-byte entry and a short path); an index this large holds more files. */
const INDEX_BYTES_PER_FILE = 100;

/**
 * True when the paths hold `minFiles` files or more, as far as a glance can tell: inside a git work
 * tree the size of its index (a stat), elsewhere a walk that stops at the threshold. The walk follows no
 * link and opens no file (directory entries only); a folder it cannot read counts as empty. A wrong answer
 * costs time, not results.
 */
export function worthAWorker(paths: readonly string[], cwd = process.cwd(), minFiles = workerMinFiles()): boolean {
  let files = 0;
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st?.isDirectory()) continue;
    // The repository git-listing.ts would list (worktrees and submodules too); its index may not exist yet.
    const index = repositoryIndex(abs);
    files += index !== undefined ? Math.floor((fs.statSync(index, { throwIfNoEntry: false })?.size ?? 0) / INDEX_BYTES_PER_FILE) : countFiles(abs, minFiles - files);
    if (files >= minFiles) return true;
  }
  return false;
}

/** Files under `dir` (not in dot-folders or node_modules), counted up to `limit`; it looks at no more than 4 × limit entries. */
function countFiles(dir: string, limit: number): number {
  let files = 0;
  let seen = 0;
  const stack = [dir];
  while (stack.length && files < limit && seen < 4 * limit) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      seen++;
      if (e.isFile()) files++;
      else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') stack.push(path.join(current, e.name));
    }
  }
  return files;
}
