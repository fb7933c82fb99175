// The stripe version a lockfile pins for one importer (a package folder, relative to the lockfile's
// folder). Formats: package-lock.json / npm-shrinkwrap.json (lockfileVersion 1–3), yarn.lock (classic v1
// and Berry, both through @yarnpkg/parsers' parseSyml), pnpm-lock.yaml (5.x–9.0, through `yaml`),
// bun.lock (JSONC, through jsonc-parser). bun.lockb (binary) is not read.
import fs from 'node:fs';
import path from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { lazy } from '../util/lazy.js';
import { MAX_LOCKFILE_BYTES, readTextFile } from '../scan/safe-read.js';

// Each parser is loaded only when a lockfile of its kind is found.
const yarnParsers = lazy<typeof import('@yarnpkg/parsers')>('@yarnpkg/parsers');
const YAML = { parse: (text: string) => lazy<typeof import('yaml')>('yaml')().parse(text) };
const jsonc = lazy<typeof import('jsonc-parser')>('jsonc-parser');
import semver from '../util/semver.js';
import type { PackageManager } from '../model.js';

export interface Lockfile {
  path: string;
  name: string;
  manager: PackageManager;
}

/** Lockfile names in the order a folder's lockfile is chosen. */
const LOCKFILES: Array<[string, PackageManager]> = [
  ['npm-shrinkwrap.json', 'npm'],
  ['package-lock.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
];

export function findLockfile(dir: string): Lockfile | undefined {
  for (const [name, manager] of LOCKFILES) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return { path: p, name, manager };
  }
  return undefined;
}

/** bun's binary lockfile: we know bun is used but cannot read versions from it. */
export function hasBinaryBunLockfile(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'bun.lockb'));
}

export type LockResult = { version: string } | { error: string } | undefined;

type Parsed = { ok: true; data: unknown } | { ok: false; error: string };
const parsedCache = new Map<string, Parsed>();

export function clearLockfileCache(): void {
  parsedCache.clear();
}

function load(lock: Lockfile): Parsed {
  const hit = parsedCache.get(lock.path);
  if (hit) return hit;
  let result: Parsed;
  try {
    const text = readTextFile(lock.path, MAX_LOCKFILE_BYTES).replace(/^\uFEFF/, '');
    result = { ok: true, data: parseText(lock, text) };
  } catch (err) {
    result = { ok: false, error: (err as Error).message.split('\n')[0] };
  }
  parsedCache.set(lock.path, result);
  return result;
}

function parseText(lock: Lockfile, text: string): unknown {
  switch (lock.manager) {
    case 'npm':
      return JSON.parse(text);
    case 'yarn':
      return yarnParsers().parseSyml(topLevelBlocks(text, (key) => /\bstripe@/.test(key)));
    case 'pnpm':
      return YAML.parse(topLevelBlocks(text, (key) => PNPM_SECTIONS.test(key)));
    case 'bun': {
      const errors: ParseError[] = [];
      const data = jsonc().parse(text, errors, { allowTrailingComma: true });
      if (errors.length) throw new Error(`invalid JSONC: ${jsonc().printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}`);
      return data;
    }
  }
}

/** The pnpm-lock.yaml sections fromPnpm reads (not `packages`/`snapshots`, most of a big lockfile). */
const PNPM_SECTIONS = /^(?:lockfileVersion|importers|dependencies|devDependencies|optionalDependencies|specifiers):/;

/**
 * The parts of a YAML-like lockfile that can matter, before the (slow) parse: the leading comments (yarn's
 * parser tells classic from Berry by them) and the top-level blocks whose key line `wanted` accepts. A
 * block starts at a line in column 0 and runs until the next one. A monorepo's yarn.lock is over 1 MB,
 * and parsing all of it took ~120 ms for the one stripe entry.
 */
function topLevelBlocks(text: string, wanted: (keyLine: string) => boolean): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let i = 0;
  while (i < lines.length && (lines[i].startsWith('#') || !lines[i].trim())) kept.push(lines[i++]);
  let keep = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const c = line.charCodeAt(0);
    if (line.startsWith('---') || line.startsWith('...')) {
      // A YAML document marker stays, so that a multi-document file still fails as one.
      kept.push(line);
      keep = false;
      continue;
    }
    // Column 0 and not a comment, blank or indentation: a new top-level key.
    if (line.length && c !== 0x23 && c !== 0x20 && c !== 0x09 && c !== 0x0d) keep = wanted(line);
    if (keep) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * The locked stripe version for `importer` (folder relative to the lockfile's folder, forward slashes,
 * '' for the lockfile's own folder). `spec` is the declared spec (to pick the right yarn entry);
 * `workspaceName` is the importer's package name (bun keys nested packages by it).
 */
export function lockedStripeVersion(lock: Lockfile, importer: string, spec: string, workspaceName?: string): LockResult {
  const parsed = load(lock);
  if (!parsed.ok) return { error: parsed.error };
  if (!parsed.data || typeof parsed.data !== 'object') return { error: 'not a lockfile (empty or not an object)' };
  try {
    switch (lock.manager) {
      case 'npm':
        return fromNpm(parsed.data as NpmLock, importer);
      case 'yarn':
        return fromYarn(parsed.data as Record<string, unknown>, spec);
      case 'pnpm':
        return fromPnpm(parsed.data as Record<string, unknown>, importer);
      case 'bun':
        return fromBun(parsed.data as Record<string, unknown>, importer, workspaceName);
    }
  } catch (err) {
    return { error: `unexpected structure: ${(err as Error).message}` };
  }
}

function exact(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return semver.valid(v.trim(), { loose: true }) ?? undefined;
}

// ---- npm: package-lock.json / npm-shrinkwrap.json ----
interface NpmLock {
  lockfileVersion?: number;
  packages?: Record<string, { version?: string; link?: boolean; resolved?: string; name?: string }>;
  dependencies?: Record<string, { version?: string }>;
}

function fromNpm(lock: NpmLock, importer: string): LockResult {
  if (lock.packages && typeof lock.packages === 'object') {
    // v2/v3: keys are install paths; resolve the way Node would from the importer folder upwards.
    const parts = importer ? importer.split('/') : [];
    for (let i = parts.length; i >= 0; i--) {
      const prefix = parts.slice(0, i).join('/');
      const key = `${prefix ? `${prefix}/` : ''}node_modules/stripe`;
      let entry = lock.packages[key];
      if (!entry) continue;
      if (entry.link && typeof entry.resolved === 'string') entry = lock.packages[entry.resolved] ?? entry;
      const v = exact(entry.version);
      if (v) return { version: v };
      return { error: `"${key}" has no registry version (${entry.version ?? entry.resolved ?? 'none'})` };
    }
    return undefined;
  }
  // v1: a nested dependencies tree; the top level is what the root resolves.
  const dep = lock.dependencies?.stripe;
  if (!dep) return undefined;
  const v = exact(dep.version);
  return v ? { version: v } : { error: `"dependencies.stripe.version" is not a registry version (${dep.version})` };
}

// ---- yarn.lock (classic and Berry) ----
function fromYarn(lock: Record<string, unknown>, spec: string): LockResult {
  const wanted = new Set([spec, `npm:${spec}`]);
  const candidates: string[] = [];
  for (const [key, value] of Object.entries(lock)) {
    if (key === '__metadata' || !value || typeof value !== 'object') continue;
    const version = (value as { version?: unknown }).version;
    let isStripe = false;
    let matches = false;
    for (const raw of key.split(',')) {
      const descriptor = raw.trim().replace(/^"|"$/g, '');
      const at = descriptor.indexOf('@', 1);
      if (at < 0) continue;
      if (descriptor.slice(0, at) !== 'stripe') continue;
      isStripe = true;
      if (wanted.has(descriptor.slice(at + 1))) matches = true;
    }
    if (!isStripe) continue;
    const v = exact(version);
    if (matches) return v ? { version: v } : { error: `the "${key}" entry has no registry version (${String(version)})` };
    if (v) candidates.push(v);
  }
  if (!candidates.length) return undefined;
  // No entry for exactly the declared spec (lockfile out of date): the highest locked version it allows.
  const best = semver.maxSatisfying(candidates, spec, { loose: true }) ?? (candidates.length === 1 ? candidates[0] : null);
  return best ? { version: best } : undefined;
}

// ---- pnpm-lock.yaml (5.x, 6.0, 7.0, 9.0) ----
function fromPnpm(lock: Record<string, unknown>, importer: string): LockResult {
  const importers = lock.importers as Record<string, Record<string, unknown>> | undefined;
  const project = importers && typeof importers === 'object' ? importers[importer || '.'] : importer ? undefined : lock;
  if (!project || typeof project !== 'object') return undefined;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = project[field] as Record<string, unknown> | undefined;
    if (!deps || typeof deps !== 'object' || !('stripe' in deps)) continue;
    const entry = deps.stripe;
    // 5.x: "12.18.0" or "12.18.0_peerhash"; 6+: { specifier, version: "12.18.0" or "12.18.0(peer@1.0.0)" }
    const raw = typeof entry === 'string' ? entry : entry && typeof entry === 'object' ? (entry as { version?: unknown }).version : undefined;
    if (typeof raw !== 'string') return { error: `importer "${importer || '.'}" has a stripe entry without a version` };
    let v = raw.split('(')[0];
    if (v.startsWith('/')) v = v.slice(v.lastIndexOf('/') + 1); // 5.x alias form "/stripe/12.18.0"
    v = v.split('_')[0];
    if (v.includes('@') && !v.startsWith('link:')) v = v.slice(v.lastIndexOf('@') + 1); // 9.0 alias form "stripe@12.18.0"
    const ok = exact(v);
    return ok ? { version: ok } : { error: `importer "${importer || '.'}" locks stripe to "${raw}", not a registry version` };
  }
  return undefined;
}

// ---- bun.lock ----
function fromBun(lock: Record<string, unknown>, importer: string, workspaceName?: string): LockResult {
  const packages = lock.packages as Record<string, unknown> | undefined;
  if (!packages || typeof packages !== 'object') return undefined;
  const workspaces = lock.workspaces as Record<string, { name?: string }> | undefined;
  const name = workspaces?.[importer]?.name ?? workspaceName;
  const keys = name && importer ? [`${name}/stripe`, 'stripe'] : ['stripe'];
  for (const key of keys) {
    const entry = packages[key];
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const ident = entry[0] as string; // "stripe@12.18.0"
    const v = exact(ident.slice(ident.lastIndexOf('@') + 1));
    return v ? { version: v } : { error: `"${key}" resolves to "${ident}", not a registry version` };
  }
  return undefined;
}
