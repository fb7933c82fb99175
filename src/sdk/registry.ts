// Asking the registry about `stripe`: the abbreviated packument (dist-tags.latest, versions, deprecations)
// and the bulk advisories endpoint that `npm audit` uses. npm-registry-fetch does the HTTP (auth, proxy,
// TLS from the npm config); we add a total timeout per attempt, two retries for transient failures, a
// small on-disk JSON cache keyed by registry URL, and failure messages that say which registry failed
// and how. Nothing here throws for a bad answer: every failure comes back as a value.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type npmFetchType from 'npm-registry-fetch';
import { lazy } from '../lazy.js';

// Loaded only when the registry is actually asked (not with --offline).
const npmFetch = lazy<typeof npmFetchType>('npm-registry-fetch');
import semver from '../semver.js';
import type { Advisory } from '../model.js';
import { maskUrl } from './npmrc.js';

export interface Packument {
  latest: string;
  versions: string[];
  /** version → deprecation message */
  deprecated: Record<string, string>;
}

export interface FetchSettings {
  registry: string; // with trailing slash
  timeoutMs: number;
  fetchOptions: Record<string, unknown>;
  retries?: number;
}

export type Outcome<T> = { ok: true; value: T; fromCache: boolean; cachedAt?: number } | { ok: false; reason: string };

// ---------------------------------------------------------------- cache


interface CacheEntry<T> {
  registry: string;
  fetchedAt: number;
  value: T;
}

export class RegistryCache {
  constructor(
    readonly dir: string,
    readonly registry: string,
    readonly ttlMs: number,
  ) {}

  private file(key: string): string {
    const reg = crypto.createHash('sha256').update(this.registry).digest('hex').slice(0, 16);
    return path.join(this.dir, 'registry', reg, `${key.replace(/[^\w.@-]/g, '_')}.json`);
  }

  /** A cached value; `fresh` tells whether it is younger than the TTL. */
  read<T>(key: string): { value: T; fetchedAt: number; fresh: boolean } | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CacheEntry<T>;
      if (entry.registry !== maskUrl(this.registry) || typeof entry.fetchedAt !== 'number' || entry.value === undefined) return undefined;
      return { value: entry.value, fetchedAt: entry.fetchedAt, fresh: Date.now() - entry.fetchedAt < this.ttlMs };
    } catch {
      return undefined;
    }
  }

  /** Best effort: an unwritable cache only costs the next run a request. Returns an error text on failure. */
  write<T>(key: string, value: T): string | undefined {
    const file = this.file(key);
    try {
      mkdirp(path.dirname(file));
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      // the file name carries a hash of the full URL; the file itself never stores credentials
      const entry: CacheEntry<T> = { registry: maskUrl(this.registry), fetchedAt: Date.now(), value };
      fs.writeFileSync(tmp, JSON.stringify(entry));
      fs.renameSync(tmp, file);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/** mkdir -p without `recursive: true`, which never returns for some paths (e.g. under /proc on Linux). */
function mkdirp(dir: string): void {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!fs.existsSync(cur)) {
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

// ---------------------------------------------------------------- HTTP

class AnswerError extends Error {}

/** How a request failed, in words a CI log reader can act on. */
export function describeFailure(err: unknown, timeoutMs: number): { text: string; transient: boolean } {
  if (err instanceof AnswerError) return { text: err.message, transient: false };
  const e = err as { code?: string; errno?: string; type?: string; statusCode?: number; message?: string; name?: string };
  const code = e.code ?? e.errno;
  if (typeof e.statusCode === 'number') {
    const transient = e.statusCode >= 500 || e.statusCode === 429 || e.statusCode === 408;
    return { text: `HTTP ${e.statusCode}${e.statusCode === 404 ? ' (not found)' : e.statusCode === 401 || e.statusCode === 403 ? ' (not authorised: check the registry token in .npmrc)' : ''}`, transient };
  }
  if (e.type === 'invalid-json' || e.name === 'SyntaxError') return { text: `invalid JSON in the response (${firstLine(e.message)})`, transient: false };
  if (e.name === 'AbortError' || e.type === 'request-timeout' || e.type === 'body-timeout' || /TIMEOUT$/.test(code ?? '') || code === 'ETIMEDOUT')
    return { text: `timeout: no complete answer within ${timeoutMs} ms`, transient: true };
  switch (code) {
    case 'ECONNREFUSED':
      return { text: 'connection refused', transient: true };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return { text: `DNS lookup failed (${code})`, transient: code === 'EAI_AGAIN' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return { text: `connection reset (${code})`, transient: true };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { text: `host unreachable (${code})`, transient: true };
    case 'EINVALIDPROXY':
      return { text: `invalid proxy setting (${firstLine(e.message)})`, transient: false };
  }
  if (code && /CERT|SSL|TLS/.test(code)) return { text: `TLS error (${code})`, transient: false };
  return { text: `${code ? `${code}: ` : ''}${firstLine(e.message) || String(err)}`, transient: false };
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0].slice(0, 200);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function requestJson(url: string, settings: FetchSettings, init: { method?: string; body?: unknown; accept: string }): Promise<unknown> {
  const retries = settings.retries ?? 2;
  let last: unknown;
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    attempts++;
    if (attempt > 0) await sleep(Math.min(250 * 3 ** (attempt - 1), 2000));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    try {
      const res = await npmFetch()(url, {
        ...settings.fetchOptions,
        registry: settings.registry,
        method: init.method ?? 'GET',
        body: init.body,
        headers: { accept: init.accept },
        timeout: settings.timeoutMs,
        signal: controller.signal,
        retry: { retries: 0 }, // our loop retries (also POST, which make-fetch-happen never retries)
        cache: undefined,
        preferOnline: true,
      } as npmFetchType.Options);
      const text = await res.text();
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new AnswerError(`invalid JSON in the response (${firstLine((err as Error).message)}; body starts ${JSON.stringify(text.slice(0, 40))})`);
      }
    } catch (err) {
      last = err;
      if (!describeFailure(err, settings.timeoutMs).transient) break;
    } finally {
      clearTimeout(timer);
    }
  }
  if (last && typeof last === 'object') (last as { attempts?: number }).attempts = attempts;
  throw last;
}

/** Validate and reduce an (abbreviated or full) packument. */
export function parsePackument(body: unknown): Packument {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AnswerError('unexpected JSON: the package document is not an object');
  const doc = body as { 'dist-tags'?: Record<string, unknown>; versions?: Record<string, unknown>; error?: unknown };
  const latest = doc['dist-tags']?.latest;
  if (typeof latest !== 'string' || !semver.valid(latest)) throw new AnswerError('unexpected JSON: the package document has no valid dist-tags.latest');
  if (!doc.versions || typeof doc.versions !== 'object') throw new AnswerError('unexpected JSON: the package document has no versions');
  const versions: string[] = [];
  const deprecated: Record<string, string> = {};
  for (const [v, meta] of Object.entries(doc.versions)) {
    if (!semver.valid(v)) continue;
    versions.push(v);
    const d = meta && typeof meta === 'object' ? (meta as { deprecated?: unknown }).deprecated : undefined;
    // npm un-deprecates with an empty string; `false` is also seen in the wild.
    if (typeof d === 'string' && d.trim() !== '') deprecated[v] = d;
  }
  versions.sort(semver.compare);
  return { latest, versions, deprecated };
}

/** Validate and reduce a bulk advisories answer: `{ "stripe": [ { id, url, title, severity, vulnerable_versions } ] }`. */
export function parseAdvisories(body: unknown): Advisory[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AnswerError('unexpected JSON: the advisories answer is not an object');
  const list = (body as Record<string, unknown>).stripe;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new AnswerError('unexpected JSON: advisories for "stripe" are not a list');
  const out: Advisory[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    const r = a as Record<string, unknown>;
    const range = r.vulnerable_versions;
    if (typeof range !== 'string' || semver.validRange(range) === null) continue;
    out.push({
      id: typeof r.id === 'number' || typeof r.id === 'string' ? r.id : String(r.url ?? r.title ?? 'advisory'),
      title: typeof r.title === 'string' ? r.title : 'untitled advisory',
      url: typeof r.url === 'string' ? r.url : undefined,
      severity: typeof r.severity === 'string' ? r.severity : undefined,
      vulnerableVersions: range,
    });
  }
  return out;
}

export const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

export async function fetchPackument(settings: FetchSettings): Promise<Packument> {
  return parsePackument(await requestJson(`${settings.registry}stripe`, settings, { accept: PACKUMENT_ACCEPT }));
}

export async function fetchAdvisories(settings: FetchSettings, versions: string[]): Promise<Advisory[]> {
  const body = await requestJson(`${settings.registry}-/npm/v1/security/advisories/bulk`, settings, {
    method: 'POST',
    body: { stripe: versions },
    accept: 'application/json',
  });
  return parseAdvisories(body);
}

export function failureMessage(what: string, registry: string, err: unknown, timeoutMs: number): string {
  const { text } = describeFailure(err, timeoutMs);
  const attempts = (err as { attempts?: number } | undefined)?.attempts ?? 1;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return `registry ${maskUrl(registry)}: could not get ${what}: ${text}${tries}`;
}
