import path from 'node:path';

// Which files reach Stripe code through their imports: a reachability question on the import graph,
// answered without a depth limit and independently of the order anything is visited in. The filter then
// asks those files alone whether they are weakly signalled (an entry point, …: filter-signals.ts).
//
// The search runs backwards from the targets (Stripe code: a handful of files) to the files that import
// them, then to the files that import those, and so on. Every file's import specifiers were collected
// when the filter read it, so nothing is read again. What costs is resolving specifiers, and most need
// not be: a relative specifier can only mean a file whose name it ends with (`../lib/stripe.js` is some
// `stripe.*`, or a `stripe/index.*`), so only those whose last segment names a file on the way are
// resolved. Other specifiers (aliases, workspace packages, `#imports`) are resolved once each; the
// resolver answers a bare specifier once per tsconfig.

export interface ImportGraph {
  /** Files that make an importer matter (strongly signalled Stripe code). */
  targets: Iterable<string>;
  /**
   * Every other file read, with its import specifiers, one per line (filter-signals.ts joinedImportSpecifiers):
   * the files a chain may start from or go through. Targets end a chain and are not in it.
   */
  modules: ReadonlyMap<string, { readonly imports: string }>;
  /** A specifier imported by `from` → the file it means, if it is one of the scanned files. */
  resolve(from: string, specifier: string): string | undefined;
}

/** `./a/b`, `../b.js`, `.`: relative to the importing file. */
function isRelative(specifier: string): boolean {
  if (specifier.charCodeAt(0) !== 46 /* . */) return false;
  const next = specifier.length > 1 && specifier.charCodeAt(1) === 46 ? 2 : 1;
  return specifier.length === next || specifier.charCodeAt(next) === 47 /* / */;
}
/** Extensions a specifier may carry for a source file (`.js` for `.ts` in ESM TypeScript). */
const SOURCE_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.mjs', '.mjsx', '.mts', '.mtsx', '.cjs', '.cjsx', '.cts', '.ctsx']);

/** The name a relative specifier ends with: `../lib/stripe.js` → `stripe`; `..` and `./` → '' (a folder's index: always resolved). */
function lastSegment(specifier: string): string {
  const end = specifier.endsWith('/') ? specifier.length - 1 : specifier.length;
  const name = specifier.slice(specifier.lastIndexOf('/', end - 1) + 1, end);
  if (name === '.' || name === '..') return '';
  const dot = name.lastIndexOf('.');
  return dot >= 0 && SOURCE_EXTENSIONS.has(name.slice(dot)) ? name.slice(0, dot) : name;
}

/** The names a relative specifier may end with to mean `file`: its name without extension; an index file also its folder's name. */
function namesOf(file: string): string[] {
  const stem = path.basename(file, path.extname(file));
  return stem === 'index' ? [stem, path.basename(path.dirname(file))] : [stem];
}

/** The modules from which some chain of imports reaches a target. */
export function reachingFiles(graph: ImportGraph): Set<string> {
  const reaching = new Set<string>();
  const queue = [...graph.targets];
  if (!queue.length) return reaching;

  /** Relative imports by the name they end with: importer, specifier, importer, specifier, … (flat: ~10,000 pairs in a big monorepo). */
  const byName = new Map<string, string[]>();
  /** Every other import, resolved: file → its importers. */
  const importersByOther = new Map<string, string[]>();
  for (const [file, { imports }] of graph.modules) {
    if (!imports) continue;
    for (const spec of imports.split('\n')) {
      const name = isRelative(spec) ? lastSegment(spec) : '';
      if (name) {
        let list = byName.get(name);
        if (!list) byName.set(name, (list = []));
        list.push(file, spec);
        continue;
      }
      const hit = graph.resolve(file, spec);
      if (!hit || hit === file) continue;
      let list = importersByOther.get(hit);
      if (!list) importersByOther.set(hit, (list = []));
      list.push(file);
    }
  }

  const reached = new Set(queue);
  while (queue.length) {
    const file = queue.pop()!;
    const importers: string[] = [...(importersByOther.get(file) ?? [])];
    for (const name of namesOf(file)) {
      const list = byName.get(name) ?? [];
      for (let i = 0; i < list.length; i += 2) if (list[i] !== file && graph.resolve(list[i], list[i + 1]) === file) importers.push(list[i]);
    }
    for (const importer of importers) {
      if (reached.has(importer)) continue;
      reached.add(importer);
      reaching.add(importer);
      queue.push(importer);
    }
  }
  return reaching;
}
