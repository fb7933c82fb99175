// Convex HTTP actions, for the text prefilter (no TypeScript here: the scan worker loads it).
import type { FilterHints } from '../types.js';

export const hints: FilterHints = {
  /** `httpRouter()` and `httpAction(…)` register or define entry points. */
  entryText: /\bhttpRouter\s*\(|\bhttpAction\s*\(/,
  /** Convex serves HTTP actions only from the router exported by convex/http.ts. */
  routeFiles: /(?:^|\/)convex\/http\.[cm]?[jt]s$/,
};
