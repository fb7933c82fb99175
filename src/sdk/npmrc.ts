// The npm configuration that decides which registry is asked and how: the registry URL, its credentials
// (`//host/path/:_authToken`, `_auth`, `username`/`_password`), proxy and TLS settings. Precedence as in
// npm: explicit option > npm_config_* environment > project .npmrc (nearest up the tree from the scan
// root) > user .npmrc (npm_config_userconfig or ~/.npmrc). `${VAR}` references are expanded from the
// environment, as npm does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ini from 'ini';
import { readTextFile } from '../safe-read.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export interface NpmConfig {
  registry: string;
  /** Where the registry setting came from (for messages). */
  registrySource: string;
  /** Flat options for npm-registry-fetch (auth keys, proxy, TLS). */
  fetchOptions: Record<string, unknown>;
}

type Flat = Record<string, string>;

function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, esc: string, name: string, optional?: string) => {
    if (esc.length % 2) return whole.slice((esc.length + 1) / 2);
    const v = env[name];
    return esc.slice(esc.length / 2) + (v ?? (optional ? '' : whole));
  });
}

function readNpmrc(file: string, env: NodeJS.ProcessEnv): Flat | undefined {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const out: Flat = {};
  try {
    const parsed = ini.parse(text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'string') out[expandEnv(k, env)] = expandEnv(v, env);
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

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function resolveNpmConfig(opts: { root: string; registry?: string; env?: NodeJS.ProcessEnv }): NpmConfig {
  const env = opts.env ?? process.env;
  const envCfg = envConfig(env);
  const userPath = envCfg.userconfig ?? path.join(os.homedir(), '.npmrc');
  const projectPath = findProjectNpmrc(opts.root);
  const layers: Array<[string, Flat]> = [];
  if (opts.registry) layers.push(['--registry', { registry: opts.registry }]);
  layers.push(['npm_config_* environment', envCfg]);
  if (projectPath && path.resolve(projectPath) !== path.resolve(userPath)) {
    const f = readNpmrc(projectPath, env);
    if (f) layers.push([projectPath, f]);
  }
  const user = readNpmrc(userPath, env);
  if (user) layers.push([userPath, user]);

  const get = (key: string): [string, string] | undefined => {
    for (const [source, flat] of layers) if (flat[key] !== undefined && flat[key] !== '') return [flat[key], source];
    return undefined;
  };
  const reg = get('registry');
  const registry = withTrailingSlash(reg?.[0] ?? DEFAULT_REGISTRY);

  const fetchOptions: Record<string, unknown> = {};
  // Credentials: every nerf-darted key from every layer (lower layers first so higher ones win).
  for (const [, flat] of [...layers].reverse()) {
    for (const [k, v] of Object.entries(flat)) if (k.startsWith('//')) fetchOptions[k] = v;
  }
  const proxy = get('https-proxy') ?? get('proxy');
  if (proxy) fetchOptions.proxy = proxy[0];
  const noProxy = get('noproxy');
  if (noProxy) fetchOptions.noProxy = noProxy[0];
  const strictSsl = get('strict-ssl');
  if (strictSsl) fetchOptions.strictSSL = strictSsl[0] !== 'false';
  const cafile = get('cafile');
  if (cafile) {
    try {
      fetchOptions.ca = readTextFile(cafile[0]);
    } catch {
      /* npm ignores an unreadable cafile too */
    }
  }
  return { registry, registrySource: reg?.[1] ?? 'default', fetchOptions };
}

/** A registry URL fit for messages: credentials in the URL masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}
