// Where stripe-audit keeps what it may reuse across runs (registry answers, the parser's compiled code):
// STRIPE_AUDIT_CACHE_DIR, else the user cache folder (XDG_CACHE_HOME or ~/.cache)/stripe-audit.
import os from 'node:os';
import path from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRIPE_AUDIT_CACHE_DIR) return env.STRIPE_AUDIT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'stripe-audit');
}
