// The scanned tree's bounds. A symlink in a hostile repository can lead anywhere (`src/etc -> /etc`, a
// link to `/`): it is followed only when where it leads is inside the scan root, compared by real paths.
import fs from 'node:fs';
import path from 'node:path';

const realRoots = new Map<string, string>();

/** The scan root's real path (cached: one realpath per root and thread). */
export function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(root);
    } catch {
      real = root;
    }
    realRoots.set(root, real);
  }
  return real;
}

/** `p` is `dir` or below it (both absolute, normalised). */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/**
 * `abs` is inside `root`. `resolve`: compare real paths (abs may be or pass through a symlink); a path
 * that cannot be resolved (a broken or looping link) is not inside.
 */
export function insideTree(abs: string, root: string, resolve = false): boolean {
  if (!resolve) return isWithin(abs, root);
  let real: string;
  try {
    real = fs.realpathSync.native(abs);
  } catch {
    return false;
  }
  return isWithin(real, realRoot(root));
}

/**
 * Reading `abs` follows no symlink out of the tree: either no symlink is involved (its real path is
 * itself: an import target the code names outright, which may sit beside the scanned folder in a
 * monorepo) or the real path is inside the root.
 */
export function noLinkOutside(abs: string, root: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync.native(abs);
  } catch {
    return false;
  }
  return real === abs || isWithin(real, realRoot(root));
}

/**
 * git lists paths from its index, which need not match the work tree: in a downloaded checkout a
 * tracked folder can have become a symlink out of the tree, and a file read through it is an outside
 * file. Only files whose text is kept (parse candidates, a few percent of the tree) can show in a
 * report, so only their folders are checked, one lstat per distinct folder (`checked` caches them).
 * Returns the first folder of `relPath` (relative to root, forward slashes) that is a symlink leading
 * out of the tree, if any.
 */
export function folderLinkedOut(root: string, relPath: string, checked: Map<string, boolean>): string | undefined {
  for (let slash = relPath.indexOf('/'); slash !== -1; slash = relPath.indexOf('/', slash + 1)) {
    const relDir = relPath.slice(0, slash);
    let ok = checked.get(relDir);
    if (ok === undefined) {
      const abs = path.join(root, relDir);
      ok = !fs.lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink() || insideTree(abs, root, true);
      checked.set(relDir, ok);
    }
    if (!ok) return relDir;
  }
  return undefined;
}
