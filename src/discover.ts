// Stage 1, discover: which files are ours to read. Honours nested .gitignore files, skips dependency
// and build folders, test files (unless asked) and config `ignore` globs; never follows a symlink twice.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Diagnostic } from './types.js';

export interface FileRef {
  absPath: string;
  /** Relative to the scan root, forward slashes. */
  relPath: string;
  size: number;
}

export interface DiscoverOptions {
  root: string;
  paths: string[];
  includeTests: boolean;
  /** Extra glob patterns (config `ignore`), matched against root-relative paths. */
  ignore: string[];
}

export interface Discovered {
  files: FileRef[];
  /** package.json files outside node_modules (the SDK check reads them). */
  manifests: string[];
  diagnostics: Diagnostic[];
  /** Paths that could not be read at all: the scan is incomplete. */
  fatal: Diagnostic[];
}

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', '.next', 'out', 'coverage', '.nuxt', '.svelte-kit', '.turbo', '.vercel', '.output', 'bower_components']);
const TEST_DIRS = new Set(['__tests__', 'test', 'tests', '__mocks__']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const MINIFIED_FILE = /[.-]min\.[cm]?js$/;

export function isSourceFile(name: string): boolean {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return false;
  return SOURCE_EXTENSIONS.has(path.extname(name));
}

export function isTestPath(relPath: string): boolean {
  const parts = relPath.split('/');
  return TEST_FILE.test(parts[parts.length - 1]) || parts.slice(0, -1).some((p) => TEST_DIRS.has(p));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

interface IgnoreLayer {
  dir: string; // absolute directory holding the .gitignore
  matcher: Ignore;
}

export function discover(options: DiscoverOptions): Discovered {
  const out: Discovered = { files: [], manifests: [], diagnostics: [], fatal: [] };
  const seenReal = new Set<string>();
  const extraIgnore = options.ignore.length ? picomatch(options.ignore, { dot: true }) : undefined;
  const rel = (abs: string) => toPosix(path.relative(options.root, abs)) || path.basename(abs);

  const ignoredByGit = (abs: string, isDir: boolean, layers: IgnoreLayer[]): boolean => {
    for (const layer of layers) {
      const r = toPosix(path.relative(layer.dir, abs));
      if (!r || r.startsWith('..')) continue;
      if (layer.matcher.ignores(isDir ? `${r}/` : r)) return true;
    }
    return false;
  };

  const considerFile = (abs: string, stat: fs.Stats, explicit: boolean) => {
    const relPath = rel(abs);
    const name = path.basename(abs);
    if (name === 'package.json') {
      out.manifests.push(abs);
      return;
    }
    if (!isSourceFile(name)) return;
    if (!explicit) {
      if (MINIFIED_FILE.test(name)) return;
      if (!options.includeTests && isTestPath(relPath)) return;
      if (extraIgnore?.(relPath)) return;
    }
    out.files.push({ absPath: abs, relPath, size: stat.size });
  };

  const walk = (dir: string, layers: IgnoreLayer[]) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(dir), message: `cannot resolve ${rel(dir)}: ${(err as Error).message}` });
      return;
    }
    if (seenReal.has(real)) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: rel(dir), message: `skipped ${rel(dir)}: symlink to a folder already scanned (loop or duplicate)` });
      return;
    }
    seenReal.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(dir), message: `cannot read folder ${rel(dir)}: ${(err as Error).message}` });
      return;
    }
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      try {
        here = [...layers, { dir, matcher: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* an unreadable .gitignore ignores nothing */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let stat: fs.Stats | undefined;
      if (entry.isSymbolicLink()) {
        try {
          stat = fs.statSync(abs);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: rel(abs), message: `skipped ${rel(abs)}: broken symlink` });
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (ignoredByGit(abs, true, here)) continue;
        const relDir = rel(abs);
        if (extraIgnore && (extraIgnore(relDir) || extraIgnore(`${relDir}/`))) continue;
        walk(abs, here);
      } else if (isFile) {
        if (ignoredByGit(abs, false, here)) continue;
        try {
          considerFile(abs, stat ?? fs.statSync(abs), false);
        } catch (err) {
          out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(abs), message: `cannot read ${rel(abs)}: ${(err as Error).message}` });
        }
      }
    }
  };

  for (const p of options.paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (err) {
      out.fatal.push({ kind: 'skipped-file', level: 'error', file: p, message: `cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}` });
      continue;
    }
    if (stat.isDirectory()) walk(abs, gitignoreLayersAbove(abs));
    else considerFile(abs, stat, true);
  }
  return out;
}

/** .gitignore files in the folders above a scanned path, up to the repository top (the folder holding .git). */
function gitignoreLayersAbove(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let cur = path.dirname(dir);
  let atTop = fs.existsSync(path.join(dir, '.git'));
  while (!atTop) {
    const gi = path.join(cur, '.gitignore');
    if (fs.existsSync(gi)) {
      try {
        layers.unshift({ dir: cur, matcher: ignore().add(fs.readFileSync(gi, 'utf8')) });
      } catch {
        /* ignore unreadable */
      }
    }
    if (fs.existsSync(path.join(cur, '.git'))) break;
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
    atTop = false;
  }
  return layers;
}
