// The scan root: the folder named, or the common ancestor of the paths named (a file counts as its
// folder). Findings and fingerprints are relative to it.
import fs from 'node:fs';
import path from 'node:path';

export function scanRoot(paths: string[]): string {
  const abs = paths.map((p) => {
    const a = path.resolve(p);
    try {
      return fs.statSync(a).isDirectory() ? a : path.dirname(a);
    } catch {
      return path.dirname(a);
    }
  });
  let root = abs[0];
  for (const a of abs.slice(1)) {
    while (!(a === root || a.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) root = path.dirname(root);
  }
  return root;
}
