// Stages 1 and 2 without TypeScript: discover the files and keep those whose text can matter. Runs in a
// worker thread (src/scan/scan-worker.ts) while the main thread loads the TypeScript parser.
import fs from 'node:fs';
import path from 'node:path';
import { discover, type Discovered, type FileRef } from './discover.js';
import { startGitListing } from './git-listing.js';
import { earlyCandidates, filterBatch, POOL_BATCH, TextFilter, type Candidate, type EarlyCandidate, type FilterOptions, type FilterPart, type Filtered } from './filter.js';
import type { SignalOptions } from './filter-signals.js';
import type { Diagnostic } from '../types.js';
import { folderLinkedOut } from './tree-bounds.js';
import { ModuleResolver } from './module-resolver.js';
import { trace } from '../util/trace.js';
import { readTextFile } from './safe-read.js';

export interface ScanInput {
  root: string;
  paths: string[];
  includeTests: boolean;
  ignore: string[];
  /** false: every discovered file is a parse candidate (`--no-prefilter`). */
  prefilter?: boolean;
  /** What the config adds to the filter's signals (its own verifiers and money methods). */
  signals?: SignalOptions;
}

export interface ScanExtras {
  onDiscovered?: (manifests: string[]) => void;
  onProgress?: (read: number, candidates: number) => void;
  /** Another thread that can filter part of the files (the main thread, when it has nothing else to do). */
  helper?: FilterHelper;
  /**
   * Candidates this thread found by their own text (a helper has its own), batch by batch, before promotion
   * adds the files that import them: the main thread parses them while the scan goes on (the worker posts
   * them; see engine.ts). Not with --no-prefilter: every file is a candidate then, and the texts would
   * cross over twice.
   */
  onStrongCandidates?: (candidates: EarlyCandidate[]) => void;
}

/**
 * `offer` hands the pool of files and the shared claim counter to the helper; it claims batches of
 * POOL_BATCH with Atomics.add on next[0] and hands back a part per batch it filtered.
 */
export interface FilterHelper {
  offer(files: FileRef[], next: Int32Array, onPart: (part: FilterPart) => void): void;
}

export type { EarlyCandidate };

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

/** `texts`: package.json texts already read (the filter reads every one), by path. */
export function readWorkspace(manifests: string[], texts: ReadonlyMap<string, string> = new Map()): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const m of manifests) {
    try {
      const json = JSON.parse(texts.get(m) ?? readTextFile(m));
      if (!json || typeof json !== 'object' || typeof json.name !== 'string') continue;
      out.push({ dir: path.dirname(m), json: Object.fromEntries(IMPORT_FIELDS.filter((k) => k in json).map((k) => [k, json[k]])) });
    } catch {
      /* a broken package.json is reported by the SDK check */
    }
  }
  return out;
}

/**
 * Discover and filter. Inside a git work tree the tracked files are filtered while git still lists the
 * untracked ones; elsewhere the walker lists everything at once.
 */
export async function scan(input: ScanInput, { onDiscovered, onProgress, helper, onStrongCandidates }: ScanExtras = {}): Promise<ScanOutput> {
  const t0 = performance.now();
  const base = { root: input.root, paths: input.paths, includeTests: input.includeTests, ignore: input.ignore };
  // First batch: tracked files of work trees (or, where there are none, everything git or the walker lists).
  const first = new Map<string, string[] | null>();
  const later = new Map<string, Promise<string[] | null>>();
  for (const p of input.paths) {
    const abs = path.resolve(p);
    if (!isDirectory(abs)) continue;
    const listing = startGitListing(abs);
    const tracked = await listing.tracked;
    trace(`git listed ${tracked?.length ?? 'no'} tracked files`);
    if (tracked?.length) {
      first.set(abs, tracked);
      later.set(abs, listing.untracked);
    } else {
      // Not a work tree (null: the walker decides), or nothing committed yet: wait for the untracked list.
      const untracked = tracked ? await listing.untracked : null;
      first.set(abs, untracked?.length ? untracked : null);
    }
  }
  const found = discover({ ...base, gitListings: first });
  trace(`discovered ${found.files.length} files`);
  const discoverMs = performance.now() - t0;
  const discoverRssMb = process.memoryUsage.rss() / 1048576;

  const filterOptions: FilterOptions = { all: input.prefilter === false, signals: input.signals };
  // The helper filters with the default signals: it is offered the pool only when those are this scan's.
  const defaultFilter = input.prefilter !== false && !input.signals?.verifiers?.length && !input.signals?.moneyMethods?.length;
  const pool = found.files;
  const allFiles: FileRef[] = [...pool];
  const filter = new TextFilter(allFiles, onProgress);
  // Second list: untracked files, filtered here as soon as git has listed them (usually few or none).
  const queue: FileRef[] = [];
  const second = Promise.all(
    [...later].map(async ([dir, untracked]) => {
      const names = await untracked;
      if (names === null) {
        found.fatal.push({ kind: 'skipped-file', level: 'error', file: path.relative(input.root, dir) || '.', message: `git could not list the untracked files of ${path.relative(input.root, dir) || '.'} (it failed, met a folder it could not open, or timed out): they were not scanned` });
        return;
      }
      const more = discover({ ...base, gitListings: new Map([[dir, names]]), listingsOnly: true });
      queue.push(...more.files);
      allFiles.push(...more.files);
      found.manifests.push(...more.manifests);
    }),
  ).then(() => {
    trace('untracked files listed');
    onDiscovered?.(found.manifests);
  });
  let secondDone = false;
  void second.then(() => (secondDone = true));

  // The first list is a pool: this thread and a helper (the main thread, once idle) claim batches
  // through a shared counter until it is empty; every batch is filtered by the thread that claimed it.
  const next = new Int32Array(new SharedArrayBuffer(4));
  let helped = 0;
  const helperParts: FilterPart[] = [];
  let wake: (() => void) | undefined;
  if (defaultFilter) helper?.offer(pool, next, (part) => {
    helperParts.push(part);
    wake?.();
  });
  let filteredHere = 0;
  const addOwn = (part: FilterPart) => {
    filter.add(part);
    const strong = input.prefilter !== false ? earlyCandidates(part, allFiles) : [];
    if (strong.length) onStrongCandidates?.(strong);
  };
  const takeHelperParts = () => {
    for (const part of helperParts.splice(0)) {
      filter.add(part);
      helped += part.count;
    }
  };
  for (;;) {
    const from = Atomics.add(next, 0, POOL_BATCH);
    if (from >= pool.length) break;
    const to = Math.min(from + POOL_BATCH, pool.length);
    addOwn(filterBatch(pool, from, to, 0, filterOptions));
    filteredHere += to - from;
    takeHelperParts();
    // Let git's answer and messages through.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Untracked files, then the helper's last batches.
  for (;;) {
    if (queue.length) {
      const batch = queue.splice(0, POOL_BATCH);
      addOwn(filterBatch(batch, 0, batch.length, allFiles.length - queue.length - batch.length, filterOptions));
      continue;
    }
    takeHelperParts();
    if (secondDone && filteredHere + helped >= pool.length) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (!secondDone) void second.then(resolve);
      if (helperParts.length) resolve();
    });
    wake = undefined;
  }
  if (helped) trace(`main thread filtered ${helped} files`);

  trace('files read');
  const workspace = readWorkspace(found.manifests, filter.configTexts);
  const resolver = new ModuleResolver(
    new Set(allFiles.map((f) => f.absPath)),
    input.paths.map((p) => path.resolve(p)),
    filter.configTexts,
  );
  for (const w of workspace) resolver.addWorkspacePackage(w.dir, w.json);
  trace(`workspace read (${found.manifests.length} package.json)`);
  const filtered = dropLinkedOut(filter.finish((from, spec) => resolver.resolve(from, spec), filterOptions, () => resolver.bareSpecifiers()), input.root, found.diagnostics);
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

/** Candidates read through a folder that is a symlink out of the tree are dropped, with a note (see folderLinkedOut). */
function dropLinkedOut(filtered: Filtered, root: string, diagnostics: Diagnostic[]): Filtered {
  const checked = new Map<string, boolean>();
  const noted = new Set<string>();
  const keep = (c: Candidate) => {
    const folder = c.file.explicit ? undefined : folderLinkedOut(root, c.file.relPath, checked);
    if (folder && !noted.has(folder)) {
      noted.add(folder);
      diagnostics.push({ kind: 'skipped-file', level: 'note', file: folder, message: `skipped ${folder}: a symlink to a folder outside the scanned folder` });
    }
    return !folder;
  };
  return { ...filtered, candidates: filtered.candidates.filter(keep), secretFiles: filtered.secretFiles.filter(keep) };
}

function isDirectory(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
