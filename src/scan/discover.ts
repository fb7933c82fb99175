// Stage 1, discover: which files are ours to read. Honours nested .gitignore files, skips dependency
// and build folders, test files (unless asked) and config `ignore` globs; never follows a symlink twice.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Diagnostic } from '../types.js';
import { isSourceFile } from './git-listing.js';
import { isLinkError, kindOf, MAX_SOURCE_BYTES, readTextFile } from './safe-read.js';
import { insideTree, isWithin, realRoot } from './tree-bounds.js';
import { isConfigFile } from './config-files.js';

export interface FileRef {
  absPath: string;
  /** Relative to the scan root, forward slashes. */
  relPath: string;
  /** Known only for explicitly named files; the filter learns the size of the rest when it reads them. */
  size?: number;
  /** Named on the command line: read even through a symlink, and an error when it cannot be read. */
  explicit?: boolean;
  /** A committed configuration file (.env, JSON, YAML, …): only searched for key literals, never parsed. */
  config?: boolean;
}

export interface DiscoverOptions {
  root: string;
  paths: string[];
  includeTests: boolean;
  /** Extra glob patterns (config `ignore`), matched against root-relative paths. */
  ignore: string[];
  /** git's listings of the folders (absolute path → names, or null: not a work tree); folders without one are walked. */
  gitListings?: ReadonlyMap<string, string[] | null>;
  /** Only the folders in gitListings, from their listing (a later batch: untracked files). */
  listingsOnly?: boolean;
}

export interface Discovered {
  files: FileRef[];
  /** package.json files outside node_modules (the SDK check reads them). */
  manifests: string[];
  diagnostics: Diagnostic[];
  /** Paths that could not be read at all: the scan is incomplete. */
  fatal: Diagnostic[];
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.yarn', '.pnpm-store', 'dist', 'build', '.next', 'out', 'coverage', '.nuxt', '.svelte-kit', '.turbo', '.vercel', '.output', 'bower_components']);
const TEST_DIRS = new Set(['__tests__', 'test', 'tests', '__mocks__']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const MINIFIED_FILE = /[.-]min\.[cm]?js$/;
/**
 * A listed name that is not a plain path below its folder: absolute, or with an empty, `.` or `..` segment
 * (git's own rule for the paths it writes), a backslash counting as a separator on Windows.
 */
const LEAVES_FOLDER = path.sep === '\\' ? /^[\\/]|(?:^|[\\/])\.{0,2}(?:[\\/]|$)/ : /^\/|(?:^|\/)\.{0,2}(?:\/|$)/;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A folder named in the set anywhere in a relative path (one regex test per listed file, no split). */
const dirInPath = (names: Set<string>) => new RegExp(`(?:^|/)(?:${[...names].map(escapeRe).join('|')})/`);
const TEST_PATH = new RegExp(`${dirInPath(TEST_DIRS).source}|${TEST_FILE.source}`);
const SKIPPED_DIR_IN_PATH = dirInPath(SKIPPED_DIRS);

function isTestPath(relPath: string): boolean {
  return TEST_PATH.test(relPath);
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

interface IgnoreLayer {
  dir: string; // absolute directory holding the .gitignore
  matcher: Ignore;
}

export function discover(options: DiscoverOptions): Discovered {
  const out: Discovered = { files: [], manifests: [], diagnostics: [], fatal: [] };
  const seenReal = new Set<string>();
  const realRoots = options.paths.map((p) => {
    try {
      return fs.realpathSync.native(path.resolve(p));
    } catch {
      return path.resolve(p);
    }
  });
  const extraIgnore = options.ignore.length ? picomatch(options.ignore, { dot: true }) : undefined;
  const rootPrefix = options.root.endsWith(path.sep) ? options.root : options.root + path.sep;
  const rel = (abs: string) => (abs.startsWith(rootPrefix) ? toPosix(abs.slice(rootPrefix.length)) : toPosix(path.relative(options.root, abs))) || path.basename(abs);

  // Layers hold absolute folders; a path below one is matched by its suffix (no path.relative per entry).
  const ignoredByGit = (abs: string, isDir: boolean, layers: IgnoreLayer[]): boolean => {
    for (const layer of layers) {
      const prefix = layer.dir.endsWith(path.sep) ? layer.dir : layer.dir + path.sep;
      if (!abs.startsWith(prefix)) continue;
      const r = toPosix(abs.slice(prefix.length));
      if (r && layer.matcher.ignores(isDir ? `${r}/` : r)) return true;
    }
    return false;
  };

  // Symlinks are followed only inside the scan root (by real path): `src/etc -> /etc` or a link to `/`
  // would put code from elsewhere in the report.
  const realScanRoot = realRoot(options.root);
  const outsideNote = (abs: string, what: string) =>
    out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: rel(abs), message: `skipped ${rel(abs)}: a symlink to a ${what} outside the scanned folder` });

  const considerFile = (abs: string, size: number | undefined, explicit: boolean) => {
    const name = abs.slice(abs.lastIndexOf(path.sep) + 1);
    if (name === 'package.json') out.manifests.push(abs);
    const config = !isSourceFile(name);
    if (config && !isConfigFile(name)) return;
    const relPath = rel(abs);
    if (!explicit) {
      if (MINIFIED_FILE.test(name)) return;
      if (!options.includeTests && isTestPath(relPath)) return;
      if (extraIgnore?.(relPath)) return;
    }
    const ref: FileRef = { absPath: abs, relPath, size };
    if (explicit) ref.explicit = true;
    if (config) ref.config = true;
    out.files.push(ref);
  };

  /** A name git listed in `dir` (relative to it, forward slashes). */
  // git's names are normalised and use forward slashes: no path.join or path.relative per name (~15,000
  // names in a big monorepo).
  const considerListed = (dir: string, name: string) => {
    if (SKIPPED_DIR_IN_PATH.test(name)) return;
    // git prints what its index says, and an index is not committed: a checkout that comes with its .git
    // folder (a downloaded archive) can list `../x.ts`, which would be read from outside the tree.
    if (LEAVES_FOLDER.test(name)) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(dir), message: `skipped ${name}: the git index lists a path that leaves ${rel(dir)} (a crafted or corrupt index)` });
      return;
    }
    const file = (dir.endsWith(path.sep) ? dir : dir + path.sep) + (path.sep === '/' ? name : name.split('/').join(path.sep));
    if (extraIgnore) {
      const relDir = toPosix(path.relative(options.root, path.dirname(file)));
      if (relDir && (extraIgnore(relDir) || extraIgnore(`${relDir}/`))) return;
    }
    // Manifests are read whole by the SDK check and the resolver, not through the filter's no-follow
    // read: a symlinked one (an lstat each, manifests are few) must stay in the tree.
    if (name.endsWith('package.json') && fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() && !insideTree(file, options.root, true)) {
      outsideNote(file, 'file');
      return;
    }
    considerFile(file, undefined, false);
  };

  const walk = (dir: string, layers: IgnoreLayer[], real?: string) => {
    // Only a folder reached through a symlink (`real`: where it leads) can lead back into the tree (a
    // loop) or to a folder scanned twice.
    if (real !== undefined) {
      if (seenReal.has(real) || realRoots.some((r) => isWithin(real, r))) {
        out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: rel(dir), message: `skipped ${rel(dir)}: symlink to a folder already scanned (loop or duplicate)` });
        return;
      }
      seenReal.add(real);
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      // The files below were not audited: the scan is incomplete (exit 2), like for an unreadable file.
      out.diagnostics.push({ kind: 'skipped-file', level: 'error', file: rel(dir), message: `cannot read folder ${rel(dir)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the files in it were not audited` });
      return;
    }
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const matcher = readGitignore(path.join(dir, '.gitignore'), rel(path.join(dir, '.gitignore')), out.diagnostics);
      if (matcher) here = [...layers, { dir, matcher }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let stat: fs.Stats | undefined;
      let real: string | undefined;
      if (entry.isSymbolicLink()) {
        try {
          real = fs.realpathSync.native(abs);
          stat = fs.statSync(real);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: rel(abs), message: `skipped ${rel(abs)}: broken symlink` });
          continue;
        }
        if (!isWithin(real, realScanRoot) && (isDir || entry.name === 'package.json' || isSourceFile(entry.name))) {
          outsideNote(abs, isDir ? 'folder' : 'file');
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (ignoredByGit(abs, true, here)) continue;
        const relDir = rel(abs);
        if (extraIgnore && (extraIgnore(relDir) || extraIgnore(`${relDir}/`))) continue;
        walk(abs, here, real);
      } else if (!isFile) {
        // A FIFO, socket or device with a source file's name: never opened (a FIFO blocks), but said.
        if (isSourceFile(entry.name) || isConfigFile(entry.name)) out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(abs), message: `skipped ${rel(abs)}: not a regular file (${kindOf(stat ?? entry)})` });
      } else {
        if (!isSourceFile(entry.name) && !isConfigFile(entry.name)) continue;
        if (ignoredByGit(abs, false, here)) continue;
        try {
          considerFile(abs, stat?.size, false);
        } catch (err) {
          out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: rel(abs), message: `cannot read ${rel(abs)}: ${(err as Error).message}` });
        }
      }
    }
  };

  for (const p of options.paths) {
    const abs = path.resolve(p);
    if (options.listingsOnly) {
      for (const name of options.gitListings?.get(abs) ?? []) considerListed(abs, name);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (err) {
      out.fatal.push({ kind: 'skipped-file', level: 'error', file: p, message: `cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}` });
      continue;
    }
    if (stat.isDirectory()) {
      const listed = options.gitListings?.get(abs);
      if (listed) for (const name of listed) considerListed(abs, name);
      else walk(abs, gitignoreLayersAbove(abs, out.diagnostics));
    } else considerFile(abs, stat.size, true);
  }
  return out;
}

/**
 * A .gitignore's rules, read as git does: a symlinked one is not followed (git ≥ 2.32) and a FIFO or
 * device is not read (a note says so); an unreadable one ignores nothing.
 */
function readGitignore(file: string, relFile: string, diagnostics: Diagnostic[]): Ignore | undefined {
  try {
    return ignore().add(readTextFile(file, MAX_SOURCE_BYTES, { noFollow: true }));
  } catch (err) {
    if (!isLinkError(err) && (err as NodeJS.ErrnoException).code !== 'ENOENT') {
      diagnostics.push({ kind: 'skipped-file', level: 'warning', file: relFile, message: `ignored ${relFile}: ${(err as Error).message}` });
    }
    return undefined;
  }
}

/** .gitignore files in the folders above a scanned path, up to the repository top (the folder holding .git). */
function gitignoreLayersAbove(dir: string, diagnostics: Diagnostic[]): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  // A scanned folder that is itself the repository top has no .gitignore above it that counts.
  if (fs.existsSync(path.join(dir, '.git'))) return layers;
  let cur = path.dirname(dir);
  for (;;) {
    const gi = path.join(cur, '.gitignore');
    if (fs.existsSync(gi)) {
      const matcher = readGitignore(gi, gi, diagnostics);
      if (matcher) layers.unshift({ dir: cur, matcher });
    }
    if (fs.existsSync(path.join(cur, '.git'))) break;
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return layers;
}
