// Resolves import specifiers to files on disk, on demand: relative paths, index files, the `.js` → `.ts`
// convention of ESM TypeScript, tsconfig/jsconfig `paths` + `baseUrl` (following `extends`) and
// package.json `imports`. Config files are read as data (JSON with comments), never executed.
import fs from 'node:fs';
import path from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { lazy } from '../util/lazy.js';
import { readTextFile } from './safe-read.js';
import { isWithin } from './tree-bounds.js';

// tsconfig.json is JSON with comments and trailing commas; jsonc-parser reads it without loading TypeScript
// (this module also runs in the scan worker, which must stay small).
const jsonc = lazy<typeof import('jsonc-parser')>('jsonc-parser');

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** An extension's place in EXTENSIONS: the lower, the likelier the file an extensionless specifier means. */
const EXTENSION_RANK = new Map(EXTENSIONS.map((e, i) => [e, i]));

interface PathsConfig {
  baseUrl?: string; // absolute
  paths: Array<{ pattern: string; targets: string[]; base: string }>;
}

export class ModuleResolver {
  private fileExists = new Map<string, boolean>();

  /**
   * `knownFiles`: answer "does this file exist?" from a list instead of the file system (the filter
   * stage only cares about discovered files, and a stat per probe is its main cost). `listedFolders`:
   * the folders that list was made of; there, a tsconfig.json, jsconfig.json or package.json is looked
   * up in the list too (discovery lists them as configuration files), instead of two stats for every
   * folder an import is resolved from. A configuration file git ignores is then not seen: it is
   * generated (`.svelte-kit`, `.nuxt`), and its folder's sources are not scanned either.
   */
  constructor(
    private readonly knownFiles?: ReadonlySet<string>,
    private readonly listedFolders: readonly string[] = [],
    /** Texts of configuration files already read (the filter reads every tsconfig and package.json): not read again. */
    private readonly texts: ReadonlyMap<string, string> = new Map(),
  ) {}
  /** Packages of the scanned monorepo by name (from their package.json), for bare imports between them. */
  private workspace = new Map<string, { dir: string; json: Record<string, unknown> }>();

  addWorkspacePackage(dir: string, json: Record<string, unknown>): void {
    if (typeof json.name === 'string' && !this.workspace.has(json.name)) this.workspace.set(json.name, { dir, json });
    this.bareByConfig = new WeakMap();
    this.bareWithoutConfig.clear();
  }

  /**
   * Which bare specifiers can mean a scanned file, and through what: what the search of the import graph
   * (promotion.ts) needs to leave most bare imports unresolved. Outside `paths`, a bare specifier means a
   * scanned file through `baseUrl` (then the file's name, or its folder's for an index file, ends the
   * specifier, as for a relative one), `$lib/…` (likewise) or a workspace package (then the specifier
   * starts with the name of a package that holds the file). Specifiers that a `paths` pattern of any
   * tsconfig or jsconfig of the scan could take (or `$lib` itself) are resolved whatever their name.
   */
  bareSpecifiers(): BareSpecifiers {
    const exact = new Set<string>(['$lib']);
    /** Prefix and suffix around the `*`, once each (the packages of a monorepo repeat their base's). */
    const wildcards = new Map<string, { pre: string; post: string }>();
    const configs = new Set<PathsConfig>();
    // Every tsconfig/jsconfig the scan lists, and the ones in effect at the scanned folders (they may lie
    // above them): the configuration of any folder an import is resolved from is one of these.
    for (const file of this.knownFiles ?? []) {
      const name = file.slice(file.lastIndexOf(path.sep) + 1);
      if (name !== 'tsconfig.json' && name !== 'jsconfig.json') continue;
      const cfg = readPathsConfig(file, new Set(), this.configCache);
      if (cfg) configs.add(cfg);
    }
    for (const dir of this.listedFolders) {
      const cfg = this.pathsConfigFor(dir);
      if (cfg) configs.add(cfg);
    }
    for (const { paths } of configs) {
      for (const { pattern } of paths) {
        const star = pattern.indexOf('*');
        if (star < 0) exact.add(pattern);
        else wildcards.set(pattern, { pre: pattern.slice(0, star), post: pattern.slice(star + 1) });
      }
    }
    const patterns = [...wildcards.values()];
    const packages = [...this.workspace].map(([name, { dir }]) => ({ name, dir }));
    // Asked for every bare import of every file: answered once per specifier.
    const takenByPaths = new Map<string, boolean>();
    return {
      byPaths: (specifier) => {
        let taken = takenByPaths.get(specifier);
        if (taken === undefined) {
          taken = exact.has(specifier) || patterns.some(({ pre, post }) => specifier.length >= pre.length + post.length && specifier.startsWith(pre) && specifier.endsWith(post));
          takenByPaths.set(specifier, taken);
        }
        return taken;
      },
      packageOf: (specifier) => {
        const { name } = packageSpecifier(specifier);
        return this.workspace.has(name) ? name : undefined;
      },
      packagesHolding: (file) => packages.flatMap(({ name, dir }) => (isWithin(file, dir) ? [name] : [])),
    };
  }

  private tsconfigByDir = new Map<string, PathsConfig | null>();
  private importsByDir = new Map<string, { dir: string; imports: Record<string, unknown> } | null>();

  private isFile(p: string): boolean {
    if (this.knownFiles && EXTENSIONS.includes(path.extname(p))) return this.knownFiles.has(p);
    if (this.knownFiles && p.endsWith('.json') && this.listedFolders.some((dir) => p.startsWith(dir) && p[dir.length] === path.sep)) return this.knownFiles.has(p);
    return this.isFileOnDisk(p);
  }

  /** A file the discovered list cannot answer for (in node_modules, say): asked of the file system once. */
  private isFileOnDisk(p: string): boolean {
    let v = this.fileExists.get(p);
    if (v === undefined) {
      try {
        v = fs.statSync(p).isFile();
      } catch {
        v = false;
      }
      this.fileExists.set(p, v);
    }
    return v;
  }

  /**
   * Known files by path without extension (the best extension first, as probe orders them): with a
   * list of known files, a probe is two lookups instead of ~20 path joins (promotion in the filter
   * resolves thousands of specifiers in a big monorepo).
   */
  private byStem?: Map<string, string>;

  private knownByStem(knownFiles: ReadonlySet<string>): Map<string, string> {
    if (this.byStem) return this.byStem;
    const byStem = new Map<string, string>();
    const rankOf = (file: string) => EXTENSION_RANK.get(file.slice(file.lastIndexOf('.'))) ?? EXTENSIONS.length;
    for (const file of knownFiles) {
      const dot = file.lastIndexOf('.');
      if (dot <= 0) continue;
      const rank = EXTENSION_RANK.get(file.slice(dot));
      if (rank === undefined || file.endsWith('.d.ts')) continue;
      const stem = file.slice(0, dot);
      const had = byStem.get(stem);
      if (had === undefined || rank < rankOf(had)) byStem.set(stem, file);
    }
    this.byStem = byStem;
    return byStem;
  }

  /** A path without extension or with a JS extension → the source file it means. */
  private probe(base: string): string | undefined {
    if (this.knownFiles) {
      if (this.knownFiles.has(base) && EXTENSIONS.includes(path.extname(base)) && !base.endsWith('.d.ts')) return base;
      const byStem = this.knownByStem(this.knownFiles);
      const ext = path.extname(base);
      if (ext === '.js' || ext === '.jsx' || ext === '.mjs' || ext === '.cjs') {
        const stem = base.slice(0, -ext.length);
        const tsExt = ext === '.mjs' ? ['.mts'] : ext === '.cjs' ? ['.cts'] : ['.ts', '.tsx'];
        for (const e of tsExt) if (this.knownFiles.has(stem + e)) return stem + e;
      }
      return byStem.get(base) ?? byStem.get(path.join(base, 'index'));
    }
    if (this.isFile(base) && EXTENSIONS.includes(path.extname(base)) && !base.endsWith('.d.ts')) return base;
    const ext = path.extname(base);
    if (ext === '.js' || ext === '.jsx' || ext === '.mjs' || ext === '.cjs') {
      const stem = base.slice(0, -ext.length);
      const tsExt = ext === '.mjs' ? ['.mts'] : ext === '.cjs' ? ['.cts'] : ['.ts', '.tsx'];
      for (const e of tsExt) if (this.isFile(stem + e)) return stem + e;
    }
    for (const e of EXTENSIONS) if (this.isFile(base + e)) return base + e;
    for (const e of EXTENSIONS) if (this.isFile(path.join(base, 'index' + e))) return path.join(base, 'index' + e);
    return undefined;
  }

  resolve(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      return this.probe(path.resolve(path.dirname(fromFile), specifier));
    }
    if (specifier.startsWith('/')) return this.probe(specifier);
    if (specifier.startsWith('#')) return this.resolvePackageImports(fromFile, specifier);
    const dir = path.dirname(fromFile);
    // Promotion asks for every bare import of every file, file after file of the same folder: the folder's
    // tsconfig is looked up once per folder, not once per import.
    let cfg: PathsConfig | undefined;
    if (dir === this.lastDir) cfg = this.lastConfig;
    else {
      cfg = this.pathsConfigFor(dir);
      this.lastDir = dir;
      this.lastConfig = cfg;
    }
    // SvelteKit's $lib: declared in the generated .svelte-kit/tsconfig.json, which is not committed.
    if ((specifier === '$lib' || specifier.startsWith('$lib/')) && !cfg?.paths.some((p) => p.pattern.startsWith('$lib'))) {
      const app = this.svelteKitAppFor(dir);
      return app ? this.probe(path.join(app, 'src', 'lib', specifier.slice('$lib'.length))) : undefined;
    }
    // A bare specifier means the same file from every folder under one tsconfig: resolved once (the filter's
    // promotion meets `@acme/utils` or `react` in thousands of files).
    const memo = cfg ? (this.bareByConfig.get(cfg) ?? this.bareByConfig.set(cfg, new Map()).get(cfg)!) : this.bareWithoutConfig;
    if (memo.has(specifier)) return memo.get(specifier);
    const hit = this.resolveBare(specifier, cfg);
    memo.set(specifier, hit);
    return hit;
  }

  private lastDir?: string;
  private lastConfig?: PathsConfig;
  private bareByConfig = new WeakMap<PathsConfig, Map<string, string | undefined>>();
  private bareWithoutConfig = new Map<string, string | undefined>();

  /** `paths`, then `baseUrl`, then the workspace's packages. */
  private resolveBare(specifier: string, cfg: PathsConfig | undefined): string | undefined {
    if (cfg) {
      for (const { pattern, targets, base } of cfg.paths) {
        const star = pattern.indexOf('*');
        let captured: string | undefined;
        if (star < 0) {
          if (pattern === specifier) captured = '';
        } else {
          const pre = pattern.slice(0, star);
          const post = pattern.slice(star + 1);
          if (specifier.startsWith(pre) && specifier.endsWith(post) && specifier.length >= pre.length + post.length) {
            captured = specifier.slice(pre.length, specifier.length - post.length);
          }
        }
        if (captured === undefined) continue;
        for (const t of targets) {
          const hit = this.probe(path.resolve(base, t.replace('*', captured)));
          if (hit) return hit;
        }
      }
      if (cfg.baseUrl) {
        const hit = this.probe(path.resolve(cfg.baseUrl, specifier));
        if (hit) return hit;
      }
    }
    return this.resolveWorkspace(specifier);
  }

  /** `@acme/billing` or `@acme/billing/server` → the source file in that workspace package. */
  private resolveWorkspace(specifier: string): string | undefined {
    const { name, sub } = packageSpecifier(specifier);
    const pkg = this.workspace.get(name);
    if (!pkg) return undefined;
    const targets: string[] = [];
    const exp = pkg.json.exports;
    const key = sub ? `./${sub}` : '.';
    if (typeof exp === 'string' && !sub) targets.push(exp);
    else if (exp && typeof exp === 'object' && !Array.isArray(exp)) {
      const entry = (exp as Record<string, unknown>)[key] ?? (key === '.' && !Object.keys(exp).some((k) => k.startsWith('.')) ? exp : undefined);
      targets.push(...flattenConditions(entry));
    }
    if (!sub) for (const f of ['source', 'types', 'typings', 'module', 'main']) if (typeof pkg.json[f] === 'string') targets.push(pkg.json[f] as string);
    const candidates = [...targets, sub, sub ? `src/${sub}` : 'src/index', 'index'].filter((t) => t !== '');
    for (const t of candidates) {
      // Built output is usually not in the checkout: try the source beside it (dist/x.js → src/x.ts).
      const forms = [t, t.replace(/^\.?\/?(?:dist|build|lib|out)\//, 'src/').replace(/\.d\.ts$|\.[cm]?js$/, '')];
      for (const f of forms) {
        const hit = this.probe(path.resolve(pkg.dir, f));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private resolvePackageImports(fromFile: string, specifier: string): string | undefined {
    const found = this.packageImportsFor(path.dirname(fromFile));
    if (!found) return undefined;
    for (const [key, value] of Object.entries(found.imports)) {
      const star = key.indexOf('*');
      let captured: string | undefined;
      if (star < 0) captured = key === specifier ? '' : undefined;
      else if (specifier.startsWith(key.slice(0, star)) && specifier.endsWith(key.slice(star + 1))) {
        captured = specifier.slice(star, specifier.length - (key.length - star - 1));
      }
      if (captured === undefined) continue;
      for (const target of flattenConditions(value)) {
        const hit = this.probe(path.resolve(found.dir, target.replace('*', captured)));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  /** The `imports` map of the nearest package.json above `dir` (a package.json without one ends the search). */
  private packageImportsFor(dir: string): { dir: string; imports: Record<string, unknown> } | undefined {
    return nearestUp(this.importsByDir, dir, (d) => {
      const pj = path.join(d, 'package.json');
      if (!this.isFile(pj)) return undefined;
      try {
        const json = JSON.parse(this.texts.get(pj) ?? readTextFile(pj));
        if (json && typeof json.imports === 'object') return { dir: d, imports: json.imports };
      } catch {
        /* broken package.json: no imports map */
      }
      return null;
    });
  }

  private svelteKitByDir = new Map<string, string | null>();

  /** The nearest folder above `dir` with a svelte.config file (its src/lib is $lib, SvelteKit's default). */
  private svelteKitAppFor(dir: string): string | undefined {
    return nearestUp(this.svelteKitByDir, dir, (d) => (SVELTE_CONFIGS.some((n) => fs.existsSync(path.join(d, n))) ? d : undefined));
  }

  /** tsconfig files read, by path: a monorepo's packages extend the same few bases. */
  private configCache: ConfigCache = { configs: new Map(), isFile: (p) => this.isFileOnDisk(p), read: (p) => this.texts.get(p) ?? readTextFile(p) };

  /** The nearest tsconfig.json / jsconfig.json above `dir`, with `extends` applied. */
  private pathsConfigFor(dir: string): PathsConfig | undefined {
    const known = this.tsconfigByDir.get(dir);
    if (known !== undefined) return known ?? undefined;
    return nearestUp(this.tsconfigByDir, dir, (d) => {
      // `d` is absolute and normalised: a join is a concatenation (path.join normalises, at every folder of the tree).
      const prefix = d.endsWith(path.sep) ? d : d + path.sep;
      const file = this.isFile(prefix + 'tsconfig.json') ? prefix + 'tsconfig.json' : this.isFile(prefix + 'jsconfig.json') ? prefix + 'jsconfig.json' : undefined;
      return file ? (readPathsConfig(file, new Set(), this.configCache) ?? null) : undefined;
    });
  }
}

/** What ModuleResolver.bareSpecifiers tells the import graph's search. */
export interface BareSpecifiers {
  /** A `paths` pattern may take it (or it is `$lib`): resolved whatever its name. */
  byPaths(specifier: string): boolean;
  /** The workspace package whose name it starts with. */
  packageOf(specifier: string): string | undefined;
  /** The workspace packages whose folder holds the file. */
  packagesHolding(file: string): string[];
}

/** `@acme/billing/server` → the package `@acme/billing` and its subpath `server`; `lodash` → `lodash` and ''. */
function packageSpecifier(specifier: string): { name: string; sub: string } {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, nameLength).join('/'), sub: parts.slice(nameLength).join('/') };
}

const SVELTE_CONFIGS = ['svelte.config.js', 'svelte.config.ts', 'svelte.config.mjs', 'svelte.config.cjs'];

/**
 * The answer for the nearest folder at or above `start` where `here` decides: a value (found), null (found
 * nothing, and the search stops there) or undefined (look in the parent). Every folder walked through is
 * cached with the answer, so sibling files ask the file system once per folder.
 */
function nearestUp<T>(cache: Map<string, T | null>, start: string, here: (dir: string) => T | null | undefined): T | undefined {
  const walked: string[] = [];
  let result: T | null = null;
  for (let dir = start; ; ) {
    const known = cache.get(dir);
    if (known !== undefined) {
      result = known;
      break;
    }
    walked.push(dir);
    const found = here(dir);
    if (found !== undefined) {
      result = found;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of walked) cache.set(d, result);
  return result ?? undefined;
}

function flattenConditions(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flattenConditions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(flattenConditions);
  return [];
}

/** tsconfig files read, by path (a monorepo's packages extend the same few), the resolver's memoised file check, and how it reads one. */
interface ConfigCache {
  configs: Map<string, PathsConfig | undefined>;
  isFile: (p: string) => boolean;
  read: (p: string) => string;
}

/** `extends: "@acme/tsconfig/base"` from `dir`: the file in the nearest node_modules that has it, as TypeScript looks it up. */
function extendedPackageConfig(dir: string, name: string, isFile: (p: string) => boolean): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const cand = path.join(d, 'node_modules', name);
    const f = cand.endsWith('.json') ? cand : isFile(`${cand}.json`) ? `${cand}.json` : path.join(cand, 'tsconfig.json');
    if (isFile(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}

function readPathsConfig(file: string, seen: Set<string>, cache: ConfigCache): PathsConfig | undefined {
  if (cache.configs.has(file)) return cache.configs.get(file);
  if (seen.has(file)) return undefined;
  seen.add(file);
  const result = readPathsConfigUncached(file, seen, cache);
  cache.configs.set(file, result);
  return result;
}

function readPathsConfigUncached(file: string, seen: Set<string>, cache: ConfigCache): PathsConfig | undefined {
  let json: any;
  try {
    const text = cache.read(file);
    try {
      // Most tsconfig files are plain JSON: the native parser reads them (a monorepo has a hundred), and
      // jsonc-parser only those with comments or trailing commas.
      json = JSON.parse(text);
    } catch {
      const errors: ParseError[] = [];
      json = jsonc().parse(text, errors, { allowTrailingComma: true });
      if (errors.length && (json === undefined || typeof json !== 'object')) return undefined;
    }
  } catch {
    return undefined;
  }
  const dir = path.dirname(file);
  let inherited: PathsConfig | undefined;
  const ext = json?.extends;
  for (const e of Array.isArray(ext) ? ext : ext ? [ext] : []) {
    if (typeof e !== 'string') continue;
    // A missing file reads as undefined (and is cached so): no existence check first.
    const target = e.startsWith('.') || e.startsWith('/') ? path.resolve(dir, e.endsWith('.json') ? e : `${e}.json`) : extendedPackageConfig(dir, e, cache.isFile);
    if (target) inherited = readPathsConfig(target, seen, cache) ?? inherited;
  }
  const co = json?.compilerOptions ?? {};
  const baseUrl = typeof co.baseUrl === 'string' ? path.resolve(dir, co.baseUrl) : inherited?.baseUrl;
  if (co.paths && typeof co.paths === 'object') {
    const base = baseUrl ?? dir;
    const paths = Object.entries(co.paths as Record<string, unknown>)
      .filter(([, v]) => Array.isArray(v))
      .map(([pattern, targets]) => ({ pattern, targets: (targets as unknown[]).filter((t): t is string => typeof t === 'string'), base }));
    // TypeScript's precedence: an exact pattern wins over every wildcard, and among wildcards the longest
    // prefix before the `*` wins (ties: declaration order, which a stable sort keeps).
    const prefixLength = (pattern: string) => (pattern.includes('*') ? pattern.indexOf('*') : Number.MAX_SAFE_INTEGER);
    paths.sort((a, b) => prefixLength(b.pattern) - prefixLength(a.pattern));
    return { baseUrl, paths };
  }
  return inherited || baseUrl ? { baseUrl, paths: inherited?.paths ?? [] } : undefined;
}
