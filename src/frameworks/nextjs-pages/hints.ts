// Next.js pages router API files (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const PAGES_API = /(?:^|\/)pages\/api\//;

export const hints: FilterHints = { routeFiles: PAGES_API };
