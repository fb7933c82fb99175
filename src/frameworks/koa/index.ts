// Koa with @koa/router: koa-bodyparser parses ctx.request.body and keeps ctx.request.rawBody.
import { ts } from '#typescript';
import type { FrameworkAdapter } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { routerMiddleware } from '../route-middleware.js';
import { ROUTE_HINTS } from '../route-hints.js';
import { accessPath } from '../../analysis/ast.js';
import { isUnparsedSymbol, koaBodyFacts } from './body-parsers.js';

export const koa: FrameworkAdapter = {
  name: 'koa',
  label: 'Koa',
  entries: (file, ctx) => entriesFor('koa', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: routerMiddleware,
  projectFacts: (files) => koaBodyFacts(files),
  requestPayload(_entry, payload, ctx) {
    const { calls, keepsRawBody } = ctx.facts.koaBody;
    // ctx.request.body[Symbol.for('unparsedBody')]: there only when some koaBody(…) keeps it.
    if (ts.isElementAccessExpression(payload) && isUnparsedSymbol(payload.argumentExpression)) {
      if (calls.some((c) => c.includeUnparsed !== false)) return { parsed: false, reason: 'koa-body keeps the unparsed body' };
      if (calls.length) return { parsed: true, reason: `koa-body keeps the unparsed body only with \`includeUnparsed: true\`, which its registration (\`${calls[0].call.expression.getText()}(…)\` in ${calls[0].file}) does not set, so it is undefined` };
      return undefined;
    }
    // ctx.request.rawBody: koa-bodyparser's; koa-body never sets it.
    const p = ts.isPropertyAccessExpression(payload) && payload.name.text === 'rawBody' ? accessPath(payload.expression) : undefined;
    if (p && p[p.length - 1] === 'request' && calls.length && !keepsRawBody) {
      return { parsed: true, reason: `the app parses bodies with koa-body (${calls[0].file}), which never sets ctx.request.rawBody, so it is undefined` };
    }
    return undefined;
  },
  requestBody(_entry, body, ctx) {
    const p = ts.isPropertyAccessExpression(body) ? accessPath(body.expression) : undefined;
    if (p && p[p.length - 1] === 'request') return { parsed: true, reason: `${ctx.facts.koaBody.calls.length && !ctx.facts.koaBody.keepsRawBody ? 'koa-body' : 'koa-bodyparser'} parses ctx.request.body` };
    return undefined;
  },
  rawBodyFix: "pass `ctx.request.rawBody` (kept by koa-bodyparser) instead of `ctx.request.body`; with koa-body, register `koaBody({ includeUnparsed: true })` and pass `ctx.request.body[Symbol.for('unparsedBody')]`",
};
