import path from 'node:path';
import type { BareSpecifiers } from './module-resolver.js';

// Which files reach Stripe code through their imports: a reachability question on the import graph,
// answered without a depth limit and independently of the order anything is visited in. The filter then
// asks those files alone whether they are weakly signalled (an entry point, …: filter-signals.ts).
//
// The search runs backwards from the targets (Stripe code: a handful of files) to the files that import
// them, then to the files that import those, and so on. Every file's import specifiers were collected
// when the filter read it, so nothing is read again. What costs is resolving specifiers, and most need
// not be: a relative specifier can only mean a file whose name it ends with (`../lib/stripe.js` is some
// `stripe.*`, or a `stripe/index.*`), so only those whose last segment names a file on the way are
// resolved. Bare specifiers likewise, given what the resolver says of them (ModuleResolver.bareSpecifiers):
// outside tsconfig `paths`, one means a scanned file through `baseUrl` (its last segment names the file, as a
// relative one's does) or a workspace package (it starts with the name of a package holding the file), so
// it is filed under both and resolved only when a file on the way has that name or lies in that package. A
// specifier a `paths` pattern may take, `#imports` and absolute paths are resolved when the search starts
// (the resolver answers a bare specifier once per tsconfig).
//
// The specifiers are filed as the filter's parts come in (ImportIndex.add), while the files are still
// being read: only the search is left for the end, when every file is known.

/** `./a/b`, `../b.js`, `.`: relative to the importing file. */
function isRelative(specifier: string): boolean {
  if (specifier.charCodeAt(0) !== 46 /* . */) return false;
  const next = specifier.length > 1 && specifier.charCodeAt(1) === 46 ? 2 : 1;
  return specifier.length === next || specifier.charCodeAt(next) === 47 /* / */;
}

/** Neither relative nor `#imports` nor an absolute path: a package name, an alias, or a path from `baseUrl`. */
function isBare(specifier: string): boolean {
  const c = specifier.charCodeAt(0);
  return c !== 35 /* # */ && c !== 47 /* / */ && !isRelative(specifier);
}

/** Extensions a specifier may carry for a source file (`.js` for `.ts` in ESM TypeScript). */
const SOURCE_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.mjs', '.mjsx', '.mts', '.mtsx', '.cjs', '.cjsx', '.cts', '.ctsx']);

/** The name a specifier ends with: `../lib/stripe.js` → `stripe`; `..` and `./` → '' (a folder's index: always resolved). */
function lastSegment(specifier: string): string {
  const end = specifier.endsWith('/') ? specifier.length - 1 : specifier.length;
  const name = specifier.slice(specifier.lastIndexOf('/', end - 1) + 1, end);
  if (name === '.' || name === '..') return '';
  const dot = name.lastIndexOf('.');
  return dot >= 0 && SOURCE_EXTENSIONS.has(name.slice(dot)) ? name.slice(0, dot) : name;
}

/** The names a specifier may end with to mean `file`: its name without extension; an index file also its folder's name. */
function namesOf(file: string): string[] {
  const stem = path.basename(file, path.extname(file));
  return stem === 'index' ? [stem, path.basename(path.dirname(file))] : [stem];
}

/** Pairs in one flat list: importer, specifier, importer, specifier, … (~10,000 pairs in a big monorepo). */
type Pairs = string[];

/** Appends `values` to the list under `key`, making it if need be. */
function append(index: Map<string, string[]>, key: string, ...values: string[]): void {
  const list = index.get(key);
  if (list) list.push(...values);
  else index.set(key, values);
}

/** The import specifiers of every file read (not the targets), filed for the backward search. */
export class ImportIndex {
  /** Relative and bare specifiers by the name they end with. */
  private readonly byName = new Map<string, Pairs>();
  /** Bare specifiers, each once, with their importers: checked against `paths` and the workspace at the end. */
  private readonly bare = new Map<string, string[]>();
  /** Specifiers no name stands for (`..`, `#imports`, absolute paths): resolved when the search starts. */
  private readonly unnamed: Pairs = [];

  /** `imports`: the file's specifiers, one per line (filter-signals.ts joinedImportSpecifiers). */
  add(importer: string, imports: string): void {
    for (let start = 0; start < imports.length; ) {
      let end = imports.indexOf('\n', start);
      if (end < 0) end = imports.length;
      const specifier = imports.slice(start, end);
      start = end + 1;
      const bare = isBare(specifier);
      const name = bare || isRelative(specifier) ? lastSegment(specifier) : '';
      if (name) append(this.byName, name, importer, specifier);
      else this.unnamed.push(importer, specifier);
      if (bare) append(this.bare, specifier, importer);
    }
  }

  /**
   * The files from which some chain of imports reaches a target. `resolve`: a specifier imported by `from`
   * → the file it means, if it is one of the scanned files. `bare`: how bare specifiers can mean scanned
   * files (asked only when there is Stripe code to search from: it reads every tsconfig); without it,
   * every one is resolved when the search starts.
   */
  reaching(targets: Iterable<string>, resolve: (from: string, specifier: string) => string | undefined, bare?: () => BareSpecifiers): Set<string> {
    const reaching = new Set<string>();
    const queue = [...targets];
    if (!queue.length) return reaching;
    const bareSpecifiers = bare?.();

    /** Imports resolved when the search starts: file → its importers. */
    const importersOf = new Map<string, string[]>();
    const resolveNow = (importer: string, specifier: string) => {
      const hit = resolve(importer, specifier);
      if (hit && hit !== importer) append(importersOf, hit, importer);
    };
    for (let i = 0; i < this.unnamed.length; i += 2) resolveNow(this.unnamed[i], this.unnamed[i + 1]);
    /** Bare specifiers by the workspace package they name. */
    const byPackage = new Map<string, Pairs>();
    for (const [specifier, importers] of this.bare) {
      // A `paths` pattern may take it to a file of any name: resolved now (it is filed by name too).
      if (!bareSpecifiers || bareSpecifiers.byPaths(specifier)) {
        for (const importer of importers) resolveNow(importer, specifier);
        continue;
      }
      const pkg = bareSpecifiers.packageOf(specifier);
      if (pkg) for (const importer of importers) append(byPackage, pkg, importer, specifier);
    }

    const reached = new Set(queue);
    while (queue.length) {
      const file = queue.pop()!;
      const importers: string[] = [...(importersOf.get(file) ?? [])];
      const candidates = [...namesOf(file).map((name) => this.byName.get(name)), ...(bareSpecifiers?.packagesHolding(file) ?? []).map((pkg) => byPackage.get(pkg))];
      for (const pairs of candidates) {
        if (!pairs) continue;
        for (let i = 0; i < pairs.length; i += 2) if (pairs[i] !== file && resolve(pairs[i], pairs[i + 1]) === file) importers.push(pairs[i]);
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
}
