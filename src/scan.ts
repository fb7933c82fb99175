// Stages 1 and 2 without TypeScript: discover the files and keep those whose text can matter. Runs in a
// worker thread (src/scan-worker.ts) while the main thread loads the TypeScript parser.
import fs from 'node:fs';
import path from 'node:path';
import { discover, type Discovered } from './discover.js';
import { filterFiles, type Filtered } from './filter.js';
import { ModuleResolver } from './module-resolver.js';

export interface ScanInput {
  root: string;
  paths: string[];
  includeTests: boolean;
  ignore: string[];
}

export interface ScanExtras {
  onDiscovered?: (manifests: string[]) => void;
  onProgress?: (read: number, candidates: number) => void;
  gitListings?: ReadonlyMap<string, string[] | null>;
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

export function scan(input: ScanInput, { onDiscovered, onProgress, gitListings }: ScanExtras = {}): ScanOutput {
  const t0 = performance.now();
  const found = discover({ root: input.root, paths: input.paths, includeTests: input.includeTests, ignore: input.ignore, gitListings });
  const t1 = performance.now();
  const discoverRssMb = process.memoryUsage.rss() / 1048576;
  onDiscovered?.(found.manifests);
  const workspace = readWorkspace(found.manifests);
  const resolver = new ModuleResolver(new Set(found.files.map((f) => f.absPath)));
  for (const w of workspace) resolver.addWorkspacePackage(w.dir, w.json);
  const filtered = filterFiles(found.files, { resolveImport: (from, spec) => resolver.resolve(from, spec), onProgress });
  const t2 = performance.now();
  const { files, ...rest } = found;
  return { found: { ...rest, fileCount: files.length }, filtered, workspace, timings: { discoverMs: t1 - t0, filterMs: t2 - t1, discoverRssMb, filterRssMb: process.memoryUsage.rss() / 1048576 } };
}
