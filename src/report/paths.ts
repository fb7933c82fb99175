// Where report paths are relative to. Findings carry paths relative to the scan root; reporters show them
// relative to a base chosen for their reader:
// - github and sarif: the repository root, so that annotations and code-scanning alerts land on the right
//   file when a subfolder is scanned. The repository root is the git top level (the nearest folder at or
//   above the scan root holding `.git`, found without running git); outside git, the working directory
//   if it contains the scan root; else the scan root itself (a folder elsewhere on the disk).
// - text: the working directory, so that `path:line:col` is clickable in a terminal or an editor.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DisplayPaths {
  /** Absolute base of github and sarif paths. */
  base: string;
  /** A scan-root-relative path, relative to `base` (forward slashes). */
  fromBase(rel: string): string;
  /** A scan-root-relative path, relative to the working directory (forward slashes). */
  fromCwd(rel: string): string;
  /** file: URI of `base`, ending in `/` (SARIF originalUriBaseIds). */
  baseUri: string;
}

const posix = (p: string) => (path.sep === '/' ? p : p.split(path.sep).join('/'));
const inside = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** The git top level at or above `dir`, or undefined. */
function gitTopLevel(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      fs.lstatSync(path.join(d, '.git'));
      return d;
    } catch {
      /* not here */
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function reportBase(root: string, cwd = process.cwd()): string {
  return gitTopLevel(root) ?? (inside(cwd, root) ? cwd : root);
}

export function displayPaths(root: string, cwd = process.cwd()): DisplayPaths {
  const base = reportBase(root, cwd);
  const rel = (from: string, p: string) => posix(path.relative(from, path.resolve(root, p))) || path.basename(path.resolve(root, p));
  return {
    base,
    fromBase: (p) => rel(base, p),
    fromCwd: (p) => rel(cwd, p),
    baseUri: pathToFileURL(base.endsWith(path.sep) ? base : base + path.sep).href,
  };
}

/**
 * A relative path as a relative URI reference: each segment percent-encoded, so that `#`, `?`, `%` and a
 * `:` in the first segment (`c:evil.ts` would read as a scheme) stay part of the file name.
 */
export function relativeUri(relPath: string): string {
  return relPath
    .split('/')
    .map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg)))
    .join('/');
}
