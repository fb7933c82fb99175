// Route registrations shared by the router-style frameworks (Express, Koa, Fastify, Hono):
// app.post(path, …middlewares, handler), router.all(…), app.route(path).post(handler),
// fastify.route({ method: 'POST', url, handler }), app.on('POST', path, handler), router.use(path?, handler).
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { isFunctionLike, propertyValue, stringValue, unwrap, walk, walkOwnBody } from '../analysis/ast.js';
import type { HandlerEntry, AdapterContext } from './types.js';

const VERBS = new Set(['post', 'all', 'put', 'patch', 'use']);

export function resolveHandler(expr: ts.Expression, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  const e = unwrap(expr);
  if (isFunctionLike(e)) return e;
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return ctx.resolver.resolveFunction(e);
  // asyncHandler(async (req, res) => …), catchAsync(fn)
  if (ts.isCallExpression(e) && e.arguments.length >= 1) return resolveHandler(e.arguments[e.arguments.length - 1], ctx);
  return undefined;
}

export function reportNodeOf(fn: ts.FunctionLikeDeclaration): ts.Node {
  if ((ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) && fn.name) return fn.name;
  return fn;
}

/** Calls `next` (a pass-through middleware, not a terminal handler)? */
function callsNext(fn: ts.FunctionLikeDeclaration): boolean {
  const p = fn.parameters[2] ?? (fn.parameters.length === 2 ? fn.parameters[1] : undefined);
  if (!p || !ts.isIdentifier(p.name) || !/^next$/i.test(p.name.text)) return false;
  const name = p.name.text;
  let found = false;
  walkOwnBody(fn, (n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) found = true;
  });
  return found;
}

export function routeEntries(file: ParsedFile, ctx: AdapterContext, framework: string): HandlerEntry[] {
  const out: HandlerEntry[] = [];
  walk(file.sf, (n) => {
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const verb = callee.name.text;
    let app: ts.Expression = callee.expression;
    let path: string | undefined;
    let args = [...n.arguments];
    if (verb === 'route' && args.length === 1 && ts.isObjectLiteralExpression(unwrap(args[0]))) {
      // fastify.route({ method: 'POST', url, preHandler, handler })
      const obj = unwrap(args[0]) as ts.ObjectLiteralExpression;
      const method = propertyValue(obj, 'method');
      const methods = method && ts.isArrayLiteralExpression(method) ? method.elements.map((e) => stringValue(e)) : [stringValue(method)];
      if (!methods.some((m) => m && /^(post|all)$/i.test(m))) return;
      const h = propertyValue(obj, 'handler');
      const fn = h && resolveHandler(h, ctx);
      if (!fn) return;
      path = stringValue(propertyValue(obj, 'url') ?? propertyValue(obj, 'path'));
      out.push({ framework, file, fn, reportNode: reportNodeOf(fn), route: { call: n, app, path, middlewares: [obj] } });
      return;
    }
    if (verb === 'on' && args.length >= 3) {
      // hono: app.on('POST', '/webhook', handler)
      const m = stringValue(args[0]);
      if (!m || !/^post$/i.test(m)) return;
      args = args.slice(1);
    } else if (!VERBS.has(verb)) return;
    // app.route('/x').post(handler)
    const inner = unwrap(app);
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(unwrap(inner.expression)) && (unwrap(inner.expression) as ts.PropertyAccessExpression).name.text === 'route') {
      path = stringValue(inner.arguments[0]);
      app = (unwrap(inner.expression) as ts.PropertyAccessExpression).expression;
    }
    if (args.length === 0) return;
    const first = unwrap(args[0]);
    if (stringValue(first) !== undefined || ts.isTemplateExpression(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first)) {
      path ??= stringValue(first);
      args = args.slice(1);
    } else if (verb !== 'use' && path === undefined) {
      return; // axios.post(url, …) and other clients pass a non-literal first argument: not a route
    }
    if (args.length === 0) return;
    const last = args[args.length - 1];
    const fn = resolveHandler(last, ctx);
    if (!fn) return;
    // Route handlers take (req, res) / (ctx) / (c) / (request, reply): at least one parameter.
    if (fn.parameters.length === 0) return;
    if (verb === 'use' && callsNext(fn)) return;
    out.push({ framework, file, fn, reportNode: reportNodeOf(fn), route: { call: n, app, path, middlewares: args.slice(0, -1) } });
  });
  return out;
}

