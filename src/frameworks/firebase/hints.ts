// Firebase / Cloud Functions (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const hints: FilterHints = {
  entryText: /onRequest|functions\.http/,
  // `onRequest(app)` / `onRequest({ region }, app)`: an Express app served by Firebase (the hostedApps fact).
  facts: /onRequest\((?:[^()]*,)?\s*[\w$]+\s*\)/,
};
