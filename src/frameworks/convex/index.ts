// Convex HTTP actions: `http.route({ path, method: 'POST', handler: httpAction(async (ctx, request) => …) })`
// on the router `httpRouter()` from 'convex/server' (convex/http.ts), the handler inline or an
// `httpAction` exported from another module. The request is a Fetch API Request: the raw body is
// `await request.text()`.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { reportNodeOf, resolveHandler } from '../routes.js';
import { accessPath, findDeclaration, propertyValue, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';
import { convexCallTarget } from './functions.js';

/** Methods Stripe's POST can arrive on (Convex routes name one method each). */
const METHODS = /^(?:POST|PUT|PATCH)$/;

/** `const http = httpRouter()` (also `new HttpRouter()`): the router a `.route({...})` call must be made on. */
function isConvexRouter(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return false;
  const d = findDeclaration(e);
  const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
  if (!init) return false;
  if (ts.isCallExpression(init)) return accessPath(init.expression)?.slice(-1)[0] === 'httpRouter';
  return ts.isNewExpression(init) && accessPath(init.expression)?.slice(-1)[0] === 'HttpRouter';
}

export const convex: FrameworkAdapter = {
  name: 'convex',
  label: 'Convex',
  filterHints: hints,
  entries(file, ctx) {
    if (!/httpRouter|HttpRouter/.test(file.text)) return [];
    const out: HandlerEntry[] = [];
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n) || n.arguments.length !== 1) return;
      const callee = unwrap(n.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'route' || !isConvexRouter(callee.expression)) return;
      const obj = unwrap(n.arguments[0]);
      if (!ts.isObjectLiteralExpression(obj) || !METHODS.test(stringValue(propertyValue(obj, 'method')) ?? '')) return;
      const h = propertyValue(obj, 'handler');
      const fn = h && resolveHandler(h, ctx);
      if (!fn || fn.parameters.length < 2) return;
      const path = stringValue(propertyValue(obj, 'path') ?? propertyValue(obj, 'pathPrefix'));
      out.push({ framework: 'convex', file, fn, reportNode: reportNodeOf(fn), route: { call: n, app: callee.expression, path, middlewares: [] } });
    });
    return out;
  },
  callTarget: convexCallTarget,
  rawBodyFix:
    "read the body with `await request.text()` and verify with `await stripe.webhooks.constructEventAsync(body, request.headers.get('stripe-signature')!, secret)` (or pass both to a \"use node\" action that calls constructEvent)",
};
