// Fastify hooks that run before a route's handler: the route options' `onRequest` / `preParsing` /
// `preValidation` / `preHandler` (a function or an array), and `addHook(name, fn)` on the same instance
// before the route (kept only when it looks like a signature check, see route-middleware.ts).
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from '../types.js';
import { resolveHandler } from '../routes.js';
import { LOOKS_LIKE_VERIFICATION } from '../route-middleware.js';
import { accessPath, propertyValue, stringValue, unwrap, walk } from '../../analysis/ast.js';

const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

export function fastifyHooks(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  const route = entry.route;
  if (!route) return [];
  const out: ts.FunctionLikeDeclaration[] = [];
  const add = (e: ts.Expression | undefined) => {
    if (!e) return;
    const u = unwrap(e);
    if (ts.isArrayLiteralExpression(u)) for (const el of u.elements) add(el);
    else {
      const fn = resolveHandler(u, ctx);
      if (fn && fn.body && fn !== entry.fn) out.push(fn);
    }
  };
  for (const m of route.middlewares) {
    const o = unwrap(m);
    if (ts.isObjectLiteralExpression(o)) for (const hook of HOOKS) add(propertyValue(o, hook));
  }
  const app = accessPath(route.app)?.join('.');
  const routeStart = route.call.getStart();
  walk(route.call.getSourceFile(), (n) => {
    if (n.getStart() >= routeStart) return false;
    if (!ts.isCallExpression(n)) return undefined;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'addHook' || accessPath(callee.expression)?.join('.') !== app) return undefined;
    if (!HOOKS.includes(stringValue(n.arguments[0]) ?? '')) return undefined;
    const fn = n.arguments[1] && resolveHandler(n.arguments[1], ctx);
    if (fn && fn.body && LOOKS_LIKE_VERIFICATION.test(fn.getText())) out.push(fn);
    return undefined;
  });
  return out;
}
