// The file set both benchmark sides are sized by: TS/JS sources under a root, skipping dependency and
// build folders, dot-folders and whatever the .gitignore files on the way exclude. It yields one file at a
// time so a caller never holds the tree in memory.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkedFile {
  abs: string;
  /** Relative to the root, forward slashes. */
  rel: string;
  size: number;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'bower_components']);
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

export function isSource(name: string): boolean {
  return SOURCE.test(name) && !DECLARATION.test(name);
}

export function* walkSources(root: string): Generator<WalkedFile> {
  const base = path.resolve(root);
  type Layer = { dir: string; ig: Ignore };
  const stack: { dir: string; layers: Layer[] }[] = [{ dir: base, layers: [] }];
  const ignored = (abs: string, isDir: boolean, layers: Layer[]) =>
    layers.some(({ dir, ig }) => {
      const r = path.relative(dir, abs).split(path.sep).join('/');
      return r !== '' && !r.startsWith('..') && ig.ignores(isDir ? `${r}/` : r);
    });
  while (stack.length) {
    const { dir, layers: outer } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    let layers = outer;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        layers = [...outer, { dir, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* unreadable: ignores nothing */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: the stack pops in name order
    const files: WalkedFile[] = [];
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith('.') || ignored(abs, true, layers)) continue;
        stack.push({ dir: abs, layers });
      } else if (e.isFile() && isSource(e.name) && !ignored(abs, false, layers)) {
        files.push({ abs, rel: path.relative(base, abs).split(path.sep).join('/'), size: fs.statSync(abs).size });
      }
    }
    for (let i = files.length - 1; i >= 0; i--) yield files[i];
  }
}

/** Number and total size of the sources under root. */
export function measureTree(root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const f of walkSources(root)) {
    files++;
    bytes += f.size;
  }
  return { files, bytes };
}
