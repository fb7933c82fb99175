// Strapi (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const hints: FilterHints = {
  // `strapi.server.routes([{ method: 'POST', path, handler }])` in src/index.ts (register)
  entryText: /server\.routes\s*\(/,
  // config/middlewares (`strapi::body` and its includeUnparsed), and route files naming a controller
  // action (`handler: 'stripe.webhook'`): they import nothing, so no import would promote them.
  facts: /strapi::body|handler:\s*['"](?:api::)?[\w-]+\.[\w-]+/,
};
