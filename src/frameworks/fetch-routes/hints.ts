// File-routed frameworks with Fetch API handlers: where their route files are (no TypeScript here: the
// scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const REMIX_ROUTE = /(?:^|\/)app\/routes\/.+\.[cm]?[jt]sx?$/;
export const SVELTEKIT_SERVER = /(?:^|\/)src\/routes\/(?:.*\/)?\+server\.[jt]s$/;
export const ASTRO_PAGE = /(?:^|\/)src\/pages\/.+\.[jt]s$/;
export const NUXT_SERVER = /(?:^|\/)server\/(?:api|routes)\/.+\.[jt]s$/;

export const hints: FilterHints = {
  routeFiles: new RegExp([REMIX_ROUTE, SVELTEKIT_SERVER, ASTRO_PAGE, NUXT_SERVER].map((r) => r.source).join('|')),
  // h3 handlers outside server/ (Nitro plugins, custom layouts) are exported the same way.
  entryText: /[eE]ventHandler\s*\(/,
};
