// Asking the registry about `stripe`: the abbreviated packument (dist-tags.latest, versions, deprecations)
// and the bulk advisories endpoint that `npm audit` uses. make-fetch-happen does the HTTP (proxy and TLS
// from the trusted npm config) and npm-registry-fetch's auth lookup picks the credential scoped to each
// URL; we add one time budget for the whole SDK check (--registry-timeout), retries for transient failures
// within it, a cap on the size of an answer, redirects that re-scope credentials at every hop, a small
// on-disk JSON cache keyed by registry URL, and failure messages that say which registry failed and how.
// Nothing here throws for a bad answer: every failure comes back as a value.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type npmFetchType from 'npm-registry-fetch';
import type makeFetchHappenType from 'make-fetch-happen';
import { lazy } from '../util/lazy.js';

// Loaded only when the registry is actually asked (not with --offline).
const registryClient = lazy<{ npmFetch: typeof npmFetchType; makeFetch: typeof makeFetchHappenType }>('registry-client');
const npmFetch = () => registryClient().npmFetch;
const makeFetch = () => registryClient().makeFetch;
import semver from '../util/semver.js';
import type { Advisory } from '../model.js';
import { maskUrl } from './mask-url.js';

export interface Packument {
  latest: string;
  versions: string[];
  /** version → deprecation message */
  deprecated: Record<string, string>;
}

export interface FetchSettings {
  registry: string; // with trailing slash
  /** --registry-timeout: the budget of the whole SDK check, for messages. */
  timeoutMs: number;
  /** Date.now() value by which every request of the SDK check has to be done. */
  deadline: number;
  fetchOptions: Record<string, unknown>;
  retries?: number;
}

/**
 * The most a registry answer may weigh once decompressed. The abbreviated packument of stripe is a few
 * MB (hundreds of versions); 32 MB leaves a wide margin and keeps a hostile or broken registry from
 * filling the memory (a 200 MB answer took 1.5 GB before the cap).
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** HTTP statuses with which a registry that was reached says it has no bulk advisory endpoint. */
const ENDPOINT_UNSUPPORTED = new Set([404, 405, 501]);

// ---------------------------------------------------------------- cache

/** Bumped whenever the shape of a cache entry or of its value changes: older entries are ignored. */
const CACHE_SCHEMA = 2;
/** A clock a little ahead of the one that wrote an entry is fine; an entry from further in the future is not trusted. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

interface CacheEntry<T> {
  schema: number;
  registry: string;
  fetchedAt: number;
  value: T;
}

export type CacheRead<T> = { value: T; fetchedAt: number; fresh: boolean } | { invalid: string } | undefined;

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

  /**
   * A cached value checked by `validate` (which returns the value, or undefined when it has the wrong
   * shape); `fresh` tells whether it is younger than the TTL. `{ invalid }` for an entry that exists but
   * cannot be trusted (wrong shape, older schema, written in the future), undefined for no entry.
   */
  read<T>(key: string, validate: (value: unknown) => T | undefined): CacheRead<T> {
    let text: string;
    try {
      text = fs.readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    let entry: Partial<CacheEntry<unknown>>;
    try {
      entry = JSON.parse(text) as Partial<CacheEntry<unknown>>;
    } catch {
      return { invalid: 'not valid JSON' };
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return { invalid: 'not an object' };
    if (entry.schema !== CACHE_SCHEMA) return { invalid: `schema ${JSON.stringify(entry.schema ?? null)}, expected ${CACHE_SCHEMA}` };
    if (entry.registry !== maskUrl(this.registry)) return undefined; // another registry's entry (hash collision or a moved file)
    const at = entry.fetchedAt;
    if (typeof at !== 'number' || !Number.isFinite(at) || at <= 0) return { invalid: 'no valid fetchedAt' };
    const age = Date.now() - at;
    if (age < -CLOCK_SKEW_MS) return { invalid: 'fetchedAt lies in the future' };
    const value = validate(entry.value);
    if (value === undefined) return { invalid: 'the cached answer has the wrong shape' };
    return { value, fetchedAt: at, fresh: age < this.ttlMs };
  }

  /** Best effort: an unwritable cache only costs the next run a request. Returns an error text on failure. */
  write<T>(key: string, value: T): string | undefined {
    const file = this.file(key);
    try {
      mkdirp(path.dirname(file));
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      // the file name carries a hash of the full URL; the file itself never stores credentials
      const entry: CacheEntry<T> = { schema: CACHE_SCHEMA, registry: maskUrl(this.registry), fetchedAt: Date.now(), value };
      fs.writeFileSync(tmp, JSON.stringify(entry));
      fs.renameSync(tmp, file);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/** A cached packument as `parsePackument` makes it, or undefined. */
export function validCachedPackument(value: unknown): Packument | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const p = value as Partial<Packument>;
  if (typeof p.latest !== 'string' || !semver.valid(p.latest)) return undefined;
  if (!Array.isArray(p.versions) || !p.versions.every((v) => typeof v === 'string' && semver.valid(v))) return undefined;
  if (!p.deprecated || typeof p.deprecated !== 'object' || Array.isArray(p.deprecated)) return undefined;
  if (!Object.entries(p.deprecated).every(([v, m]) => semver.valid(v) && typeof m === 'string')) return undefined;
  return { latest: p.latest, versions: p.versions, deprecated: p.deprecated };
}

/** Cached advisories as `parseAdvisories` makes them, or undefined. */
export function validCachedAdvisories(value: unknown): Advisory[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const a of value) {
    if (!a || typeof a !== 'object') return undefined;
    const r = a as Partial<Advisory>;
    if (typeof r.id !== 'string' && typeof r.id !== 'number') return undefined;
    if (typeof r.title !== 'string' || typeof r.vulnerableVersions !== 'string' || semver.validRange(r.vulnerableVersions) === null) return undefined;
    if (r.url !== undefined && typeof r.url !== 'string') return undefined;
    if (r.severity !== undefined && typeof r.severity !== 'string') return undefined;
  }
  return value as Advisory[];
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
/** The time budget ran out (before or during an attempt). */
class BudgetError extends Error {}
/** An answer larger than MAX_RESPONSE_BYTES. */
class TooLargeError extends Error {}
/** A non-2xx answer. */
class StatusError extends Error {
  constructor(readonly statusCode: number) {
    super(`HTTP ${statusCode}`);
  }
}

/** The registry was reached and answered that it does not serve this endpoint. */
export function isEndpointUnsupported(err: unknown): boolean {
  return err instanceof StatusError && ENDPOINT_UNSUPPORTED.has(err.statusCode);
}

/** How a request failed, in words a CI log reader can act on. */
export function describeFailure(err: unknown, timeoutMs: number): { text: string; transient: boolean } {
  if (err instanceof AnswerError) return { text: err.message, transient: false };
  if (err instanceof TooLargeError) return { text: err.message, transient: false };
  if (err instanceof BudgetError) return { text: `timeout: no complete answer within ${timeoutMs} ms (--registry-timeout, the budget of the whole SDK check)`, transient: false };
  const e = err as { code?: string; errno?: string; type?: string; statusCode?: number; message?: string; name?: string };
  const code = e.code ?? e.errno;
  if (typeof e.statusCode === 'number') {
    const transient = e.statusCode >= 500 || e.statusCode === 429 || e.statusCode === 408;
    return { text: `HTTP ${e.statusCode}${e.statusCode === 404 ? ' (not found)' : e.statusCode === 401 || e.statusCode === 403 ? ' (not authorised: check the registry token in your user .npmrc or npm_config_* environment; a token in the project .npmrc is not used)' : ''}`, transient };
  }
  if (e.type === 'invalid-json' || e.name === 'SyntaxError') return { text: `invalid JSON in the response (${firstLine(e.message)})`, transient: false };
  if (e.name === 'AbortError' || e.type === 'request-timeout' || e.type === 'body-timeout' || /TIMEOUT$/.test(code ?? '') || code === 'ETIMEDOUT')
    return { text: `timeout: no complete answer within ${timeoutMs} ms (--registry-timeout, the budget of the whole SDK check)`, transient: true };
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

/** Shortest time left for an attempt to be worth starting. */
const MIN_ATTEMPT_MS = 50;

async function requestJson(url: string, settings: FetchSettings, init: { method?: string; body?: unknown; accept: string }): Promise<unknown> {
  const retries = settings.retries ?? 2;
  let last: unknown;
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      const backoff = Math.min(250 * 3 ** (attempt - 1), 2000);
      // A retry that could not finish within the budget is not started: the last failure stands.
      if (settings.deadline - Date.now() < backoff + MIN_ATTEMPT_MS * 4) break;
      await sleep(backoff);
    }
    const left = settings.deadline - Date.now();
    if (left < MIN_ATTEMPT_MS) {
      last ??= new BudgetError('budget spent');
      break;
    }
    attempts++;
    const controller = new AbortController();
    // The abort waits for the I/O already there: a main thread busy loading the parser can hold the
    // event loop past the deadline, and an answer that arrived meanwhile should win over the timer.
    const timer = setTimeout(() => setImmediate(() => controller.abort()), left);
    try {
      const text = await fetchText(url, settings, init, controller.signal);
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
      controller.abort(); // frees the socket of an answer not read to its end (too large, an error status)
    }
  }
  if (last && typeof last === 'object') (last as { attempts?: number }).attempts = attempts;
  throw last;
}

/**
 * One request: redirects followed by hand so that the credential is chosen again for every URL (a
 * redirect to another host or port never carries the first one's token), the body read up to
 * MAX_RESPONSE_BYTES (counted after decompression).
 */
async function fetchText(url: string, settings: FetchSettings, init: { method?: string; body?: unknown; accept: string }, signal: AbortSignal): Promise<string> {
  const opts = settings.fetchOptions;
  let current = url;
  for (let hop = 0; ; hop++) {
    const auth = npmFetch().getAuth(current, { ...opts, registry: settings.registry });
    const headers: Record<string, string> = { accept: init.accept, 'user-agent': 'stripe-audit' };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    else if (auth.auth) headers.authorization = `Basic ${auth.auth}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await makeFetch()(current, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      timeout: 0, // the signal ends the request at the deadline (the client's own timers would not wait for I/O already there)
      signal,
      redirect: 'manual',
      retry: { retries: 0 }, // requestJson retries (also POST, which make-fetch-happen never retries)
      cache: 'no-store',
      proxy: opts.proxy as string | undefined,
      noProxy: opts.noProxy as string | undefined,
      strictSSL: opts.strictSSL as boolean | undefined,
      ca: opts.ca as string | undefined,
      cert: auth.cert ?? undefined,
      key: auth.key ?? undefined,
    });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      if (hop >= MAX_REDIRECTS) throw new AnswerError(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(res.headers.get('location')!, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new AnswerError(`redirected to a ${next.protocol} URL`);
      current = next.toString();
      continue;
    }
    if (res.status < 200 || res.status >= 300) throw new StatusError(res.status);
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

const tooLarge = () => new TooLargeError(`the answer is larger than ${MAX_RESPONSE_BYTES / 1048576} MB (the limit for a registry answer)`);

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

const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

export async function fetchPackument(settings: FetchSettings): Promise<Packument> {
  return parsePackument(await requestJson(`${settings.registry}stripe`, settings, { accept: PACKUMENT_ACCEPT }));
}

/** POST /-/npm/v1/security/advisories/bulk; throws an error for which isEndpointUnsupported is true when the registry has no such endpoint. */
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
