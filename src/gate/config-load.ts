// Finds, reads and validates the configuration. JSON only: the scanned repository's code is never
// executed. Lookup: --config <file>; else, from the scan root upward, the first directory holding
// stripe-audit.config.json, or a package.json with a "stripe-audit" key (the config file wins when a
// directory has both). Every key is validated; a bad key is a ConfigError naming the file and the JSON
// path of the key (the CLI exits 2).
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG, type ResolvedConfig } from './config.js';
import { RULE_IDS } from '../../rules/ids.js';
import { readTextFile } from '../scan/safe-read.js';
import { maskUrl } from '../sdk/mask-url.js';

export class ConfigError extends Error {}

export const CONFIG_FILE = 'stripe-audit.config.json';
const PACKAGE_KEY = 'stripe-audit';

const LEVELS = ['off', 'warning', 'error'] as const;
/** Accepted spellings of a level (ESLint users write "warn"). */
const LEVEL_SYNONYMS: Record<string, (typeof LEVELS)[number]> = { warn: 'warning' };
const MONEY_METHOD = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.[A-Za-z_$][\w$]*$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

interface Located {
  file: string;
  /** The parsed object (for package.json, the value of the "stripe-audit" key). */
  value: unknown;
  /** Prefix of JSON paths in messages ("" or "stripe-audit."). */
  prefix: string;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (err) {
    throw new ConfigError(`config error: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`config error in ${file}: not valid JSON (${(err as Error).message})`);
  }
}

function find(searchFrom: string): Located | undefined {
  for (let dir = path.resolve(searchFrom); ; dir = path.dirname(dir)) {
    const cand = path.join(dir, CONFIG_FILE);
    if (fs.existsSync(cand)) return { file: cand, value: readJson(cand), prefix: '' };
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      let json: unknown;
      try {
        json = JSON.parse(readTextFile(pkg).replace(/^\uFEFF/, ''));
      } catch {
        json = undefined; // a broken package.json is the SDK check's business, not a config
      }
      if (json && typeof json === 'object' && !Array.isArray(json) && PACKAGE_KEY in json) {
        return { file: pkg, value: (json as Record<string, unknown>)[PACKAGE_KEY], prefix: `${PACKAGE_KEY}.` };
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function loadConfig(opts: { explicit?: string; searchFrom: string }): ResolvedConfig {
  let located: Located | undefined;
  if (opts.explicit) {
    const file = path.resolve(opts.explicit);
    if (!fs.existsSync(file)) throw new ConfigError(`config error: ${opts.explicit} does not exist`);
    const json = readJson(file);
    // An explicit package.json means its "stripe-audit" key.
    if (path.basename(file) === 'package.json') {
      if (!json || typeof json !== 'object' || !(PACKAGE_KEY in json)) throw new ConfigError(`config error in ${file}: no "${PACKAGE_KEY}" key`);
      located = { file, value: (json as Record<string, unknown>)[PACKAGE_KEY], prefix: `${PACKAGE_KEY}.` };
    } else located = { file, value: json, prefix: '' };
  } else located = find(opts.searchFrom);
  if (!located) return structuredClone(DEFAULT_CONFIG);
  return { ...validateConfig(located.value, located.file, located.prefix), source: located.file };
}

/** Validates a parsed config object; throws ConfigError `<file>: <json path>: <problem>`. */
function validateConfig(value: unknown, file: string, prefix = ''): ResolvedConfig {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(`config error in ${file}: ${prefix}${key}: ${problem}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`config error in ${file}: ${prefix ? prefix.slice(0, -1) + ': ' : ''}expected an object`);
  }
  const out = structuredClone(DEFAULT_CONFIG);
  const ruleIds: string[] = [...RULE_IDS];
  const stringArray = (key: string, v: unknown, check?: (s: string, i: number) => void): string[] => {
    if (!Array.isArray(v)) return fail(key, `expected an array of strings, got ${describe(v)}`);
    return v.map((s, i) => {
      if (typeof s !== 'string' || s.trim() === '') return fail(`${key}[${i}]`, `expected a non-empty string, got ${describe(s)}`);
      check?.(s, i);
      return s;
    });
  };
  const bool = (key: string, v: unknown): boolean => (typeof v === 'boolean' ? v : fail(key, `expected true or false, got ${describe(v)}`));

  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    switch (key) {
      case '$schema':
      case '$comment':
        break; // tolerated, like most JSON configs
      case 'rules': {
        if (!v || typeof v !== 'object' || Array.isArray(v)) fail(key, `expected an object of rule id → "off" | "warning" | "error", got ${describe(v)}`);
        for (const [id, level] of Object.entries(v as Record<string, unknown>)) {
          if (!ruleIds.includes(id)) fail(`rules.${id}`, `unknown rule id${suggest(id, ruleIds)} (run \`stripe-audit rules\` for the list)`);
          const known = typeof level === 'string' ? (LEVEL_SYNONYMS[level] ?? level) : level;
          if (typeof known !== 'string' || !(LEVELS as readonly string[]).includes(known)) fail(`rules.${id}`, `expected "off", "warning" or "error" ("warn" means "warning"), got ${describe(level)}`);
          out.rules[id] = known as ResolvedConfig['rules'][string];
        }
        break;
      }
      case 'ignore':
        out.ignore = stringArray(key, v);
        break;
      case 'includeTests':
        out.includeTests = bool(key, v);
        break;
      case 'strict':
        out.strict = bool(key, v);
        break;
      case 'verifiers':
        out.verifiers = stringArray(key, v, (s, i) => {
          if (!IDENTIFIER.test(s)) fail(`${key}[${i}]`, `expected a function name such as "verifyStripeSignature" (the called name, matched on calls like verifyStripeSignature(…) or utils.verifyStripeSignature(…)), got ${JSON.stringify(s)}`);
        });
        break;
      case 'moneyMethods':
        out.moneyMethods = stringArray(key, v, (s, i) => {
          if (!MONEY_METHOD.test(s)) fail(`${key}[${i}]`, `expected "resource.method" such as "paymentIntents.create", got ${JSON.stringify(s)}`);
        });
        break;
      case 'registry': {
        if (typeof v !== 'string') fail(key, `expected a URL string, got ${describe(v)}`);
        let url: URL | undefined;
        try {
          url = new URL(v as string);
        } catch {
          url = undefined;
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail(key, `expected an http(s) URL, got ${JSON.stringify(maskUrl(v as string))}`);
        out.registry = v as string;
        break;
      }
      default:
        fail(key, `unknown key${suggest(key, ['rules', 'ignore', 'includeTests', 'strict', 'verifiers', 'moneyMethods', 'registry'])}`);
    }
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** ` (did you mean "x"?)` when a known name is within a small edit distance. */
export function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
