// Resolve stage, SDK facts: every package.json under the scan that declares the `stripe` server SDK, the
// version installed for it (node_modules, else lockfile, else the lowest version of the declared range),
// the package manager, and what the registry says about that version (latest, deprecation, advisories).
// Never throws for bad input: broken manifests, lockfiles or registry answers become diagnostics.
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import semver from '../util/semver.js';
import { lazy } from '../util/lazy.js';
import { readTextFile } from '../scan/safe-read.js';
import type { Advisory, PackageManager, StripePackage } from '../model.js';
import type { Diagnostic, RuleLevel } from '../types.js';
import { clearManifestCache, readManifest, stripeDeclaration, workspaceGlobs } from './manifest.js';
import { clearLockfileCache, findLockfile, hasBinaryBunLockfile, lockedStripeVersion, type Lockfile } from './lockfiles.js';
import { lowestVersion } from './spec.js';
import { maskUrl, resolveNpmConfig } from './npmrc.js';
import {
  failureMessage,
  fetchAdvisories,
  fetchPackument,
  isEndpointUnsupported,
  RegistryCache,
  validCachedAdvisories,
  validCachedPackument,
  type FetchSettings,
  type Packument,
} from './registry.js';
import { defaultCacheDir } from '../util/cache-dir.js';

export interface SdkOptions {
  root: string; // absolute scan root; relative paths are relative to it (forward slashes)
  manifests: string[]; // absolute package.json paths found by discovery (outside node_modules)
  offline: boolean; // no network at all; use only the on-disk cache; say what was skipped
  registry?: string; // --registry or config; else from npm config, else https://registry.npmjs.org/
  timeoutMs: number; // --registry-timeout (default 10000): the budget of the whole registry part, retries included
  cacheDir?: string; // default: env STRIPE_AUDIT_CACHE_DIR, else user cache dir (XDG_CACHE_HOME or ~/.cache)/stripe-audit
  cacheTtlMs?: number; // default 1 hour
  /** Environment to read npm_config_*, HOME-relative config and the cache dir from (default process.env; tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Configured rule levels (config `rules`): the registry is asked only for what a rule that is on needs. */
  rules?: Record<string, RuleLevel>;
}

export interface SdkResult {
  packages: StripePackage[];
  diagnostics: Diagnostic[];
  registryFailed: boolean;
}

export { upgradeCommand, lowestFixedVersion, matchingAdvisories } from './facts.js';
export { classifySpec, unpinnedReason, lowestVersion } from './spec.js';

const DEFAULT_TTL_MS = 60 * 60 * 1000;
/** setTimeout's limit: a longer budget would fire at once (with a TimeoutOverflowWarning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What each registry-backed rule needs from the registry (the unpinned rule needs nothing). */
const REGISTRY_NEEDS: Record<string, { packument: boolean; advisories: boolean }> = {
  'stripe-sdk-outdated': { packument: true, advisories: false },
  'stripe-sdk-vulnerable': { packument: true, advisories: true },
};

/** What the registry is asked for: what the rules that are on need (all off: no request at all). */
function registryNeeds(rules: Record<string, RuleLevel> = {}): { packument: boolean; advisories: boolean } {
  const on = Object.entries(REGISTRY_NEEDS).filter(([id]) => rules[id] !== 'off').map(([, need]) => need);
  return { packument: on.some((n) => n.packument), advisories: on.some((n) => n.advisories) };
}
const PACKUMENT_KEY = 'packument-stripe';

const toPosix = (p: string) => p.split(path.sep).join('/');

export async function collectStripePackages(options: SdkOptions): Promise<SdkResult> {
  const diagnostics: Diagnostic[] = [];
  let packages: StripePackage[] = [];
  let registryFailed = false;
  clearManifestCache();
  clearLockfileCache();
  try {
    packages = findPackages(options, diagnostics);
    const needs = registryNeeds(options.rules);
    if (packages.some((p) => p.installed) && (needs.packument || needs.advisories)) {
      registryFailed = await addRegistryFacts(options, packages, diagnostics);
    }
  } catch (err) {
    // A bug here must not take the scan down: report it and carry on with what we have.
    diagnostics.push({ kind: 'internal', level: 'error', message: `SDK version check failed: ${(err as Error).stack ?? String(err)}` });
    registryFailed = true;
  }
  return { packages, diagnostics, registryFailed };
}

/**
 * The package.json that governs a scan root without one of its own (`stripe-audit lib`, or a run inside
 * lib/): the nearest one above it, looking no higher than the top of the git work tree (the folder
 * holding `.git`); without git, up to the filesystem root. Undefined when the root has its own (discovery
 * lists it) or none is found.
 */
function governingManifest(root: string): string | undefined {
  let cur = path.resolve(root);
  if (fs.existsSync(path.join(cur, 'package.json'))) return undefined;
  for (;;) {
    if (fs.existsSync(path.join(cur, '.git'))) return undefined; // top of the work tree: nothing above governs it
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
    const candidate = path.join(cur, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
  }
}

/** Installed stripe version that applies to a source file (nearest package.json declaring stripe, up the tree), offline only. */
export function stripeVersionForFile(absFile: string, packages: StripePackage[]): { version: string; fromRange: boolean } | undefined {
  let best: StripePackage | undefined;
  for (const pkg of packages) {
    const rel = path.relative(pkg.dir, absFile);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (!best || pkg.dir.length > best.dir.length) best = pkg;
  }
  if (!best?.installed) return undefined;
  return { version: best.installed.version, fromRange: best.installed.fromRange };
}

// ------------------------------------------------------------------ what is declared and installed

function findPackages(options: SdkOptions, diagnostics: Diagnostic[]): StripePackage[] {
  const rel = (abs: string) => toPosix(path.relative(options.root, abs)) || path.basename(abs);
  const out: StripePackage[] = [];
  const seen = new Set<string>();
  const governing = governingManifest(options.root);
  for (const manifestPath of governing ? [governing, ...options.manifests] : options.manifests) {
    const abs = path.resolve(manifestPath);
    if (seen.has(abs) || abs.split(path.sep).includes('node_modules')) continue;
    seen.add(abs);
    const read = readManifest(abs);
    if (!read.ok) {
      diagnostics.push({ kind: 'parse-error', level: 'warning', file: rel(abs), message: `${rel(abs)}: ${read.error}; its stripe dependency (if any) was not checked` });
      continue;
    }
    const decl = stripeDeclaration(read.manifest);
    if (!decl) continue;
    if ('error' in decl) {
      diagnostics.push({ kind: 'parse-error', level: 'warning', file: rel(abs), message: `${rel(abs)}: ${decl.error}` });
      continue;
    }
    if (read.manifest.json.name === 'stripe') continue; // the SDK's own repository
    const dir = path.dirname(abs);
    const ctx = projectContext(dir);
    const pkg: StripePackage = {
      manifest: rel(abs),
      dir,
      declaration: { file: rel(abs), ...decl.range },
      spec: decl.spec,
      field: decl.field,
      packageManager: ctx.manager,
      ...(ctx.workspaceRoot ? { workspaceRoot: ctx.workspaceRoot } : {}),
    };
    pkg.installed = installedVersion(pkg, read.manifest.json, ctx, rel, diagnostics);
    if (!pkg.installed) {
      diagnostics.push({
        kind: 'config',
        level: 'note',
        file: pkg.manifest,
        message: `${pkg.manifest}: installed stripe version unknown (no node_modules/stripe, no lockfile entry, and "${pkg.spec}" names no version range); the vulnerable and outdated checks were skipped for it`,
      });
    }
    out.push(pkg);
  }
  return out;
}

interface ProjectContext {
  lockfile?: Lockfile;
  /** Folder holding the lockfile (the package itself or its workspace root). */
  lockDir?: string;
  workspaceRoot?: string;
  manager: PackageManager;
}

function projectContext(dir: string): ProjectContext {
  const wsRoot = findWorkspaceRoot(dir);
  const own = findLockfile(dir);
  const rootLock = !own && wsRoot ? findLockfile(wsRoot) : undefined;
  const lockfile = own ?? rootLock;
  const lockDir = own ? dir : rootLock ? wsRoot : undefined;
  let manager: PackageManager | undefined = lockfile?.manager;
  if (!manager && (hasBinaryBunLockfile(dir) || (wsRoot && hasBinaryBunLockfile(wsRoot)))) manager = 'bun';
  if (!manager) manager = packageManagerField(dir) ?? (wsRoot ? packageManagerField(wsRoot) : undefined);
  if (!manager && wsRoot && fs.existsSync(path.join(wsRoot, 'pnpm-workspace.yaml'))) manager = 'pnpm';
  return { lockfile, lockDir, workspaceRoot: wsRoot, manager: manager ?? 'npm' };
}

function packageManagerField(dir: string): PackageManager | undefined {
  const r = readManifest(path.join(dir, 'package.json'));
  if (!r.ok) return undefined;
  const pm = r.manifest.json.packageManager;
  if (typeof pm !== 'string') return undefined;
  const name = pm.split('@')[0];
  return name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun' ? name : undefined;
}

/** The nearest folder above `dir` whose npm/yarn `workspaces` or pnpm-workspace.yaml includes `dir`. */
function findWorkspaceRoot(dir: string): string | undefined {
  let cur = path.dirname(dir);
  for (;;) {
    const relDir = toPosix(path.relative(cur, dir));
    const globs: string[] = [];
    const m = fs.existsSync(path.join(cur, 'package.json')) ? readManifest(path.join(cur, 'package.json')) : undefined;
    if (m?.ok) globs.push(...workspaceGlobs(m.manifest.json));
    const pnpmWs = path.join(cur, 'pnpm-workspace.yaml');
    if (fs.existsSync(pnpmWs)) {
      try {
        const doc = lazy<typeof import('yaml')>('yaml')().parse(readTextFile(pnpmWs)) as { packages?: unknown } | null;
        if (doc && Array.isArray(doc.packages)) globs.push(...doc.packages.filter((g): g is string => typeof g === 'string'));
      } catch {
        /* an unreadable workspace file includes nothing */
      }
    }
    if (globs.length && globsInclude(globs, relDir)) return cur;
    if (fs.existsSync(path.join(cur, '.git'))) return undefined; // top of the repository
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

function globsInclude(globs: string[], relDir: string): boolean {
  const clean = (g: string) => g.replace(/^\.\//, '').replace(/\/+$/, '');
  const pos = globs.filter((g) => !g.startsWith('!')).map(clean);
  const neg = globs.filter((g) => g.startsWith('!')).map((g) => clean(g.slice(1)));
  if (!pos.length) return false;
  const isPos = picomatch(pos, { dot: false });
  const isNeg = neg.length ? picomatch(neg) : () => false;
  return isPos(relDir) && !isNeg(relDir);
}

function installedVersion(
  pkg: StripePackage,
  json: Record<string, unknown>,
  ctx: ProjectContext,
  rel: (abs: string) => string,
  diagnostics: Diagnostic[],
): StripePackage['installed'] {
  // 1. node_modules, resolved the way Node resolves `require('stripe')` from the package folder.
  let cur = pkg.dir;
  for (;;) {
    const candidate = path.join(cur, 'node_modules', 'stripe', 'package.json');
    if (fs.existsSync(candidate)) {
      const r = readManifest(candidate);
      const raw = r.ok ? r.manifest.json.version : undefined;
      const version = typeof raw === 'string' ? semver.valid(raw) : null;
      if (r.ok && r.manifest.json.name === 'stripe' && version) {
        // A copy above the package that does not satisfy its declared range belongs to another package
        // (a hoisted copy for a sibling, or the tool's own checkout): npm would have nested the right one.
        const range = semver.validRange(pkg.spec);
        if (cur === pkg.dir || !range || semver.satisfies(version, range)) return { version, source: rel(candidate), fromRange: false };
      } else if (r.ok && r.manifest.json.name === 'stripe')
        diagnostics.push({ kind: 'parse-error', level: 'note', file: rel(candidate), message: `${rel(candidate)}: "version" is not a semver version (${JSON.stringify(raw ?? null).slice(0, 80)}); ignored` });
      else
      diagnostics.push({ kind: 'parse-error', level: 'warning', file: rel(candidate), message: `${rel(candidate)}: not a readable stripe package.json${r.ok ? '' : ` (${r.error})`}; ignored` });
    }
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  // 2. The lockfile of the package or of its workspace root.
  if (ctx.lockfile && ctx.lockDir) {
    const importer = toPosix(path.relative(ctx.lockDir, pkg.dir));
    const name = typeof json.name === 'string' ? json.name : undefined;
    const r = lockedStripeVersion(ctx.lockfile, importer, pkg.spec, name);
    if (r && 'version' in r) return { version: r.version, source: rel(ctx.lockfile.path), fromRange: false };
    if (r && 'error' in r) {
      diagnostics.push({ kind: 'parse-error', level: 'warning', file: rel(ctx.lockfile.path), message: `${rel(ctx.lockfile.path)}: cannot read the stripe version: ${r.error}` });
    }
  }
  // 3. The lowest version the declared range allows.
  const low = lowestVersion(pkg.spec);
  if (low) return { version: low, source: `declared range "${pkg.spec}" in ${pkg.manifest}`, fromRange: true };
  return undefined;
}

// ------------------------------------------------------------------ what the registry says

async function addRegistryFacts(options: SdkOptions, packages: StripePackage[], diagnostics: Diagnostic[]): Promise<boolean> {
  const env = options.env ?? process.env;
  const needs = registryNeeds(options.rules);
  const config = resolveNpmConfig({ root: options.root, registry: options.registry, env });
  for (const text of config.ignored) diagnostics.push({ kind: 'config', level: 'note', message: `ignored in the project .npmrc (untrusted: only its registry URL is read): ${text}` });
  const registry = config.registry;
  const shown = maskUrl(registry);
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const cache = new RegistryCache(cacheDir, registry, options.cacheTtlMs ?? DEFAULT_TTL_MS);
  const timeoutMs = Math.min(options.timeoutMs, MAX_TIMEOUT_MS);
  // One budget for every request of the check, retries included (the packument and the advisories run side by side).
  const settings: FetchSettings = { registry, timeoutMs, deadline: Date.now() + timeoutMs, fetchOptions: config.fetchOptions };
  const versions = [...new Set(packages.flatMap((p) => (p.installed ? [p.installed.version] : [])))].sort();
  let failed = false;
  let cacheWarned = false;
  const store = <T>(key: string, value: T) => {
    const err = cache.write(key, value);
    if (err && !cacheWarned) {
      cacheWarned = true;
      diagnostics.push({ kind: 'registry', level: 'note', message: `cannot write the registry cache in ${cacheDir}: ${err}` });
    }
  };
  /** A cache entry that is there and usable; an unusable one is a note (and asked again online). */
  const cached = <T>(key: string, validate: (v: unknown) => T | undefined) => {
    const hit = cache.read(key, validate);
    if (hit && 'invalid' in hit) {
      diagnostics.push({ kind: 'registry', level: 'note', message: `ignored the registry cache entry ${key} in ${cacheDir}: ${hit.invalid}` });
      return undefined;
    }
    return hit;
  };
  const age = (t: number) => {
    const min = Math.max(0, Math.round((Date.now() - t) / 60000));
    return min < 120 ? `${min} min` : `${Math.round(min / 60)} h`;
  };

  // Packument.
  const packumentTask = async (): Promise<Packument | undefined> => {
    if (!needs.packument) return undefined;
    const hit = cached(PACKUMENT_KEY, validCachedPackument);
    if (options.offline) {
      if (!hit) {
        diagnostics.push({ kind: 'offline', level: 'warning', message: `--offline: skipped the outdated and deprecated checks for stripe: no cached answer from registry ${shown} in ${cacheDir}` });
        return undefined;
      }
      if (!hit.fresh) diagnostics.push({ kind: 'offline', level: 'note', message: `--offline: using the stripe package document cached ${age(hit.fetchedAt)} ago from registry ${shown}` });
      return hit.value;
    }
    if (hit?.fresh) return hit.value;
    try {
      const value = await fetchPackument(settings);
      store(PACKUMENT_KEY, value);
      return value;
    } catch (err) {
      failed = true;
      diagnostics.push({ kind: 'registry', level: 'error', message: `${failureMessage('the stripe package document', registry, err, timeoutMs)}; the outdated and deprecated checks did not run` });
      return undefined;
    }
  };

  // Advisories, cached per installed version.
  const advisoriesTask = async (): Promise<Map<string, Advisory[]> | undefined> => {
    if (!needs.advisories) return undefined;
    const byVersion = new Map<string, Advisory[]>();
    const missing: string[] = [];
    const stale: string[] = [];
    for (const v of versions) {
      const hit = cached(`advisories-stripe-${v}`, validCachedAdvisories);
      if (hit && (hit.fresh || options.offline)) {
        byVersion.set(v, hit.value);
        if (!hit.fresh) stale.push(v);
      } else missing.push(v);
    }
    if (options.offline) {
      if (stale.length) diagnostics.push({ kind: 'offline', level: 'note', message: `--offline: using cached advisories for stripe@${stale.join(', ')} (older than the cache TTL)` });
      if (missing.length) {
        diagnostics.push({ kind: 'offline', level: 'warning', message: `--offline: skipped the advisory check for stripe@${missing.join(', ')}: no cached answer from registry ${shown} in ${cacheDir}` });
      }
      return byVersion;
    }
    if (!missing.length) return byVersion;
    try {
      const advisories = await fetchAdvisories(settings, missing);
      for (const v of missing) {
        const affecting = advisories.filter((a) => satisfies(v, a.vulnerableVersions));
        byVersion.set(v, affecting);
        store(`advisories-stripe-${v}`, affecting);
      }
    } catch (err) {
      if (isEndpointUnsupported(err)) {
        // Reached, and it said it has no such endpoint (mirrors, proxies, GitHub Packages, plain verdaccio):
        // nothing to retry and nothing wrong with the network, so not a failed run.
        diagnostics.push({
          kind: 'registry',
          level: 'warning',
          message: `registry ${shown} does not offer the bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk answered ${describeStatus(err)}): the advisory check for stripe@${missing.join(', ')} could not run on that registry; the outdated and deprecated checks still ran`,
        });
        return byVersion;
      }
      failed = true;
      diagnostics.push({
        kind: 'registry',
        level: 'error',
        message: `${failureMessage(`security advisories for stripe@${missing.join(', ')} (POST /-/npm/v1/security/advisories/bulk)`, registry, err, timeoutMs)}; the advisory check did not run`,
      });
    }
    return byVersion;
  };

  const [packument, advisories] = await Promise.all([packumentTask(), advisoriesTask()]);
  if (packument) {
    const deprecatedVersions = Object.keys(packument.deprecated);
    for (const pkg of packages) {
      if (!pkg.installed) continue;
      const v = pkg.installed.version;
      const registryFacts: NonNullable<StripePackage['registry']> = {
        latest: packument.latest,
        deprecated: packument.deprecated[v],
        advisories: advisories?.get(v) ?? [],
        versions: packument.versions,
        deprecatedVersions,
        advisoriesChecked: advisories?.has(v) ?? false,
      };
      pkg.registry = registryFacts;
    }
  }
  return failed;
}

function describeStatus(err: unknown): string {
  return `HTTP ${(err as { statusCode?: number }).statusCode}`;
}

function satisfies(version: string, range: string): boolean {
  try {
    return semver.satisfies(version, range, { includePrerelease: true });
  } catch {
    return false;
  }
}
