// Filter hints shared by the router-style frameworks (Express, Koa, Fastify, Hono): the registrations
// routes.ts reads (`app.post(`, `router.use(`, `app.route(`, `app.on('POST', …)`). No TypeScript here:
// the scan worker loads it (see FilterHints).
import type { FilterHints } from './types.js';

export const ROUTE_HINTS: FilterHints = {
  // `.all(` but not `Promise.all(`.
  entryText: /\.\s*(?:post|put|patch|use|route)\s*\(|\.\s*all\s*\((?<!Promise\s*\.\s*all\s*\()|\.\s*on\s*\(\s*['"`][Pp][Oo][Ss][Tt]/,
};
