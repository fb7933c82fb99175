// The npm configuration that decides which registry is asked and how: the registry URL, its credentials
// (`//host/path/:_authToken`, `_auth`, `username`/`_password`), proxy and TLS settings.
//
// Trust: the scanned project is untrusted (a pull request from a fork can change its .npmrc). Like npm
// with untrusted config, the project .npmrc (nearest up the tree from the scan root) may only name the
// registry to read from: its credentials, proxy and TLS settings are ignored, and `${VAR}` is never
// expanded in it (a URL such as `http://attacker/${CI_SECRET}/` would carry the secret). Everything else
// comes from trusted places, in npm's precedence: --registry > npm_config_* environment > project
// .npmrc (registry only) > user .npmrc (npm_config_userconfig or ~/.npmrc) > global npmrc
// (npm_config_globalconfig or <prefix>/etc/npmrc). `${VAR}` is expanded in the trusted files, as npm does.
// Credentials are sent only to the host and path they are scoped to (npm-registry-fetch's nerf darts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ini from 'ini';
import { isHttpUrl, maskUrl, withoutCredentials } from './mask-url.js';

export { maskUrl } from './mask-url.js';
import { readTextFile } from '../scan/safe-read.js';

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export interface NpmConfig {
  registry: string;
  /** Where the registry setting came from (for messages). */
  registrySource: string;
  /** Flat options for npm-registry-fetch's auth lookup and the request (auth keys, proxy, TLS). */
  fetchOptions: Record<string, unknown>;
  /** What was ignored in the project .npmrc, for a note. */
  ignored: string[];
}

type Flat = Record<string, string>;

function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, esc: string, name: string, optional?: string) => {
    if (esc.length % 2) return whole.slice((esc.length + 1) / 2);
    const v = env[name];
    return esc.slice(esc.length / 2) + (v ?? (optional ? '' : whole));
  });
}

/** An .npmrc as flat key → value; `env` expands `${VAR}` (trusted files only). */
function readNpmrc(file: string, env?: NodeJS.ProcessEnv): Flat | undefined {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const expand = (s: string) => (env ? expandEnv(s, env) : s);
  const out: Flat = {};
  try {
    const parsed = ini.parse(text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'string') out[expand(k)] = expand(v);
      else if (typeof v === 'boolean' || typeof v === 'number') out[k] = String(v);
    }
  } catch {
    return undefined;
  }
  return out;
}

function envConfig(env: NodeJS.ProcessEnv): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || !/^npm_config_/i.test(k)) continue;
    const key = k.slice('npm_config_'.length).toLowerCase();
    // npm maps _ to - in env keys, except for the leading underscore of private keys.
    out[key.startsWith('_') ? key : key.replace(/_/g, '-')] = v;
  }
  return out;
}

/** The nearest .npmrc from `dir` upwards (project config). */
function findProjectNpmrc(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    const p = path.join(cur, '.npmrc');
    if (fs.existsSync(p)) return p;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/** npm's global config file: npm_config_globalconfig, else <prefix>/etc/npmrc (prefix: npm_config_prefix or Node's install folder). */
function globalConfigPath(envCfg: Flat): string {
  if (envCfg.globalconfig) return envCfg.globalconfig;
  const prefix = envCfg.prefix ?? (process.platform === 'win32' ? path.dirname(process.execPath) : path.dirname(path.dirname(process.execPath)));
  return path.join(prefix, 'etc', 'npmrc');
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The registry the project .npmrc names, if it may be used: an http(s) URL without `${…}`; any user
 * info in it is dropped (the project does not send credentials either).
 */
function projectRegistry(flat: Flat, ignored: string[]): string | undefined {
  const value = flat.registry;
  if (value === undefined || value === '') return undefined;
  if (value.includes('${')) {
    ignored.push('registry (it uses an environment variable)');
    return undefined;
  }
  if (!isHttpUrl(value)) {
    ignored.push(`registry (not an http(s) URL: ${maskUrl(value)})`);
    return undefined;
  }
  const bare = withoutCredentials(value);
  if (bare !== new URL(value).toString()) ignored.push('the user name and password in the registry URL');
  return bare;
}

export function resolveNpmConfig(opts: { root: string; registry?: string; env?: NodeJS.ProcessEnv }): NpmConfig {
  const env = opts.env ?? process.env;
  const envCfg = envConfig(env);
  const userPath = envCfg.userconfig ?? path.join(os.homedir(), '.npmrc');
  const globalPath = globalConfigPath(envCfg);
  const projectPath = findProjectNpmrc(opts.root);
  const ignored: string[] = [];
  // Trusted layers, highest first.
  const layers: Array<[string, Flat]> = [];
  if (opts.registry) layers.push(['--registry', { registry: opts.registry }]);
  layers.push(['npm_config_* environment', envCfg]);
  let project: [string, string] | undefined;
  const isTrustedFile = (p: string) => path.resolve(p) === path.resolve(userPath) || path.resolve(p) === path.resolve(globalPath);
  if (projectPath && !isTrustedFile(projectPath)) {
    const flat = readNpmrc(projectPath); // never expanded
    if (flat) {
      const reg = projectRegistry(flat, ignored);
      if (reg) project = [reg, projectPath];
      const dropped = Object.keys(flat).filter((k) => k !== 'registry' && (k.startsWith('//') || UNTRUSTED_KEYS.has(k)));
      ignored.push(...dropped);
    }
  }
  const user = readNpmrc(userPath, env);
  const global = path.resolve(globalPath) !== path.resolve(userPath) ? readNpmrc(globalPath, env) : undefined;
  const lower: Array<[string, Flat]> = [];
  if (user) lower.push([userPath, user]);
  if (global) lower.push([globalPath, global]);

  const get = (list: Array<[string, Flat]>, key: string): [string, string] | undefined => {
    for (const [source, flat] of list) if (flat[key] !== undefined && flat[key] !== '') return [flat[key], source];
    return undefined;
  };
  // Registry: flag and environment, then the project file, then user and global files.
  const reg = get(layers, 'registry') ?? (project ? [project[0], project[1]] : undefined) ?? get(lower, 'registry');
  const registry = withTrailingSlash(reg?.[0] ?? DEFAULT_REGISTRY);

  const trusted = [...layers, ...lower];
  const fetchOptions: Record<string, unknown> = {};
  // Credentials: every nerf-darted key of the trusted layers (lower layers first so higher ones win).
  for (const [, flat] of [...trusted].reverse()) {
    for (const [k, v] of Object.entries(flat)) if (k.startsWith('//')) fetchOptions[k] = v;
  }
  const proxy = get(trusted, 'https-proxy') ?? get(trusted, 'proxy');
  if (proxy) fetchOptions.proxy = proxy[0];
  const noProxy = get(trusted, 'noproxy');
  if (noProxy) fetchOptions.noProxy = noProxy[0];
  const strictSsl = get(trusted, 'strict-ssl');
  if (strictSsl) fetchOptions.strictSSL = strictSsl[0] !== 'false';
  const cafile = get(trusted, 'cafile');
  if (cafile) {
    try {
      fetchOptions.ca = readTextFile(cafile[0]);
    } catch {
      /* npm ignores an unreadable cafile too */
    }
  }
  return { registry, registrySource: reg?.[1] ?? 'default', fetchOptions, ignored: ignored.length && projectPath ? [`${projectPath}: ${ignored.join(', ')}`] : [] };
}

/** Settings of a project .npmrc that are never used (credentials, where requests go, TLS). */
const UNTRUSTED_KEYS = new Set(['_auth', '_authToken', 'username', '_password', 'email', 'proxy', 'https-proxy', 'noproxy', 'strict-ssl', 'ca', 'cafile', 'cert', 'key', 'certfile', 'keyfile']);
