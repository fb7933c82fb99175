// Hono (also on Cloudflare Workers, Bun, Deno): the raw body is `await c.req.text()`.
import type { FrameworkAdapter } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { ROUTE_HINTS } from '../route-hints.js';
import { routerMiddleware } from '../route-middleware.js';

export const hono: FrameworkAdapter = {
  name: 'hono',
  label: 'Hono',
  entries: (file, ctx) => entriesFor('hono', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: routerMiddleware,
  rawBodyFix: 'read the body with `await c.req.text()` and verify with `await stripe.webhooks.constructEventAsync(body, c.req.header(\'stripe-signature\'), secret)`',
};
