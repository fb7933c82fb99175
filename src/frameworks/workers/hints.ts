// Cloudflare Workers / Deno / Bun (no TypeScript here: the scan worker loads it, see FilterHints):
// a `fetch` method or property of an exported object, Deno.serve / serve / Bun.serve, addEventListener('fetch').
import type { FilterHints } from '../types.js';

export const hints: FilterHints = {
  entryText: /fetch\s*(?::|\([^()]*\)\s*(?::[^{;]*)?\{)|serve\s*\(|addEventListener\s*\(\s*['"`]fetch/,
};
