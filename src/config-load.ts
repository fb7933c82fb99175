// Finds and reads the configuration (JSON only; never executes repository code).
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG, type ResolvedConfig } from './config.js';

export class ConfigError extends Error {}

export function loadConfig(opts: { explicit?: string; searchFrom: string }): ResolvedConfig {
  let file = opts.explicit;
  if (!file) {
    for (let dir = opts.searchFrom; ; dir = path.dirname(dir)) {
      const cand = path.join(dir, 'stripe-audit.config.json');
      if (fs.existsSync(cand)) {
        file = cand;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  if (!file) return structuredClone(DEFAULT_CONFIG);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config error in ${file}: ${(err as Error).message}`);
  }
  return { ...structuredClone(DEFAULT_CONFIG), ...(json as object), source: file };
}
