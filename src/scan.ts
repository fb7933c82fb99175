// Stages 1 and 2 without TypeScript: discover the files and keep those whose text can matter. Runs in a
// worker thread (src/scan-worker.ts) while the main thread loads the TypeScript parser.
import fs from 'node:fs';
import path from 'node:path';
import { discover, type Discovered, type FileRef } from './discover.js';
import { startGitListing, type GitListing } from './git-listing.js';
import { TextFilter, type Filtered } from './filter.js';
import { ModuleResolver } from './module-resolver.js';
import { trace } from './trace.js';

export interface ScanInput {
  root: string;
  paths: string[];
  includeTests: boolean;
  ignore: string[];
}

export interface ScanExtras {
  onDiscovered?: (manifests: string[]) => void;
  onProgress?: (read: number, candidates: number) => void;
  /** git listings started early (by the worker, from the raw command line), by absolute folder. */
  gitListings?: ReadonlyMap<string, GitListing>;
}

export interface WorkspacePackage {
  dir: string;
  json: Record<string, unknown>;
}

export interface ScanOutput {
  /** What discovery found; the file list itself stays in the worker (only its length crosses over). */
  found: Omit<Discovered, 'files'> & { fileCount: number };
  filtered: Filtered;
  /** package.json files of the scanned tree, as data (workspace packages for import resolution). */
  workspace: WorkspacePackage[];
  timings: { discoverMs: number; filterMs: number; discoverRssMb: number; filterRssMb: number };
}

const IMPORT_FIELDS = ['name', 'exports', 'main', 'module', 'types', 'typings', 'source', 'imports'];

export function readWorkspace(manifests: string[]): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const m of manifests) {
    try {
      const json = JSON.parse(fs.readFileSync(m, 'utf8'));
      if (!json || typeof json !== 'object' || typeof json.name !== 'string') continue;
      out.push({ dir: path.dirname(m), json: Object.fromEntries(IMPORT_FIELDS.filter((k) => k in json).map((k) => [k, json[k]])) });
    } catch {
      /* a broken package.json is reported by the SDK check */
    }
  }
  return out;
}

/** Files filtered between two looks at the event loop (git's second listing, progress messages). */
const BATCH = 500;

/**
 * Discover and filter. Inside a git work tree the tracked files are filtered while git still lists the
 * untracked ones; elsewhere the walker lists everything at once.
 */
export async function scan(input: ScanInput, { onDiscovered, onProgress, gitListings }: ScanExtras = {}): Promise<ScanOutput> {
  const t0 = performance.now();
  const base = { root: input.root, paths: input.paths, includeTests: input.includeTests, ignore: input.ignore };
  // First batch: tracked files of work trees (or, where there are none, everything git or the walker lists).
  const first = new Map<string, string[] | null>();
  const later = new Map<string, Promise<string[] | null>>();
  for (const p of input.paths) {
    const abs = path.resolve(p);
    if (!isDirectory(abs)) continue;
    const listing = gitListings?.get(abs) ?? startGitListing(abs);
    const tracked = await listing.tracked;
    if (tracked?.length) {
      first.set(abs, tracked);
      later.set(abs, listing.untracked);
    } else {
      // Not a work tree (null: the walker decides), or nothing committed yet: wait for the untracked list.
      const untracked = tracked ? await listing.untracked : null;
      first.set(abs, untracked?.length ? untracked : null);
    }
  }
  trace('tracked files listed');
  const found = discover({ ...base, gitListings: first });
  const discoverMs = performance.now() - t0;
  const discoverRssMb = process.memoryUsage.rss() / 1048576;

  // The resolver needs every file, so it is made once both batches are in (promotion runs last).
  let resolver: ModuleResolver | undefined;
  const filter = new TextFilter({ resolveImport: (from, spec) => resolver!.resolve(from, spec), onProgress });
  const queue: FileRef[] = [...found.files];
  const allFiles: FileRef[] = [...found.files];
  // Second batch: untracked files, filtered as soon as git has listed them.
  const second = Promise.all(
    [...later].map(async ([dir, untracked]) => {
      const names = await untracked;
      if (names === null) {
        found.fatal.push({ kind: 'skipped-file', level: 'error', file: path.relative(input.root, dir) || '.', message: `git could not list the untracked files of ${path.relative(input.root, dir) || '.'}: they were not scanned` });
        return;
      }
      trace('untracked files listed');
      const more = discover({ ...base, gitListings: new Map([[dir, names]]), listingsOnly: true });
      queue.push(...more.files);
      allFiles.push(...more.files);
      found.manifests.push(...more.manifests);
    }),
  ).then(() => onDiscovered?.(found.manifests));
  let secondDone = false;
  void second.then(() => (secondDone = true));
  while (queue.length || !secondDone) {
    if (queue.length) filter.add(queue.splice(0, BATCH));
    // Let git's answer and the worker's messages through.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!queue.length && !secondDone) await second;
  }

  const workspace = readWorkspace(found.manifests);
  resolver = new ModuleResolver(new Set(allFiles.map((f) => f.absPath)));
  for (const w of workspace) resolver.addWorkspacePackage(w.dir, w.json);
  trace('files read');
  const filtered = filter.finish();
  const t2 = performance.now();
  const { files, ...rest } = found;
  void files;
  return {
    found: { ...rest, fileCount: allFiles.length },
    filtered,
    workspace,
    timings: { discoverMs, filterMs: t2 - t0 - discoverMs, discoverRssMb, filterRssMb: process.memoryUsage.rss() / 1048576 },
  };
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
