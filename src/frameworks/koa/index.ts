// Koa with @koa/router: koa-bodyparser parses ctx.request.body and keeps ctx.request.rawBody.
import { ts } from '#typescript';
import type { FrameworkAdapter } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { routerMiddleware } from '../route-middleware.js';
import { accessPath } from '../../ast.js';
import { ROUTE_HINTS } from '../route-hints.js';

export const koa: FrameworkAdapter = {
  name: 'koa',
  label: 'Koa',
  entries: (file, ctx) => entriesFor('koa', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: routerMiddleware,
  requestBody(_entry, body) {
    const p = ts.isPropertyAccessExpression(body) ? accessPath(body.expression) : undefined;
    if (p && p[p.length - 1] === 'request') return { parsed: true, reason: 'koa-bodyparser parses ctx.request.body' };
    return undefined;
  },
  rawBodyFix: 'pass `ctx.request.rawBody` (kept by koa-bodyparser) instead of `ctx.request.body`',
};
