// Middleware that runs before a route's handler without being named on the route, for the router-style
// frameworks whose registration order is run order (Express, Koa, Hono): `<app>.use([path,] …fns)` on the
// route's own app or router, before the route, for a mount path that covers the route's path
// (`app.use('/webhooks', verifyStripe)`, `router.use(verify)`, Hono `app.use('/webhooks/*', …)`).
//
// Middleware registered for many routes is kept only when it looks like a signature check (it names a
// verifier, the signature header or an HMAC), so that unrelated middleware (auth, sessions, logging)
// adds nothing to a handler's effects or event shapes.
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from './types.js';
import { resolveHandler } from './routes.js';
import { accessPath, stringValue, unwrap, walk } from '../analysis/ast.js';

export const LOOKS_LIKE_VERIFICATION = /constructEvent|verifyHeader|parseEventNotification|stripe-signature|createHmac|subtle\.(?:verify|sign)/i;

/** `<x>.use(…)` calls of a file in source order (a file with many routes is walked once). */
const useCalls = new WeakMap<ts.SourceFile, ts.CallExpression[]>();

function usesIn(sf: ts.SourceFile): ts.CallExpression[] {
  let calls = useCalls.get(sf);
  if (!calls) {
    const found: ts.CallExpression[] = [];
    if (/\.use\s*\(/.test(sf.text)) {
      walk(sf, (n) => {
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(unwrap(n.expression)) && (unwrap(n.expression) as ts.PropertyAccessExpression).name.text === 'use') found.push(n);
      });
    }
    calls = found;
    useCalls.set(sf, calls);
  }
  return calls;
}

export function routerMiddleware(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  const route = entry.route;
  if (!route) return [];
  const app = accessPath(route.app)?.join('.');
  if (!app) return [];
  const out: ts.FunctionLikeDeclaration[] = [];
  const routeStart = route.call.getStart();
  for (const n of usesIn(route.call.getSourceFile())) {
    if (n.getStart() >= routeStart) break;
    if (n === route.call || accessPath((unwrap(n.expression) as ts.PropertyAccessExpression).expression)?.join('.') !== app) continue;
    let args = [...n.arguments];
    const mount = stringValue(args[0]);
    if (mount !== undefined) {
      args = args.slice(1);
      if (route.path === undefined || !covers(mount, route.path)) continue;
    }
    for (const a of args) {
      // body parsers (`express.raw(…)`) are calls that resolve to no function of the app
      const fn = resolveHandler(a, ctx);
      if (fn && fn.body && LOOKS_LIKE_VERIFICATION.test(fn.getText())) out.push(fn);
    }
  }
  return out;
}

/** Does a mount path cover a route path? `/webhooks` and `/webhooks/*` cover `/webhooks/stripe`. */
function covers(mount: string, path: string): boolean {
  const m = mount.replace(/\/?\*$/, '').replace(/\/$/, '');
  return m === '' || path === m || path.startsWith(`${m}/`);
}
