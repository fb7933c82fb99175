// Code that runs before a route's handler without being named on the route: NestJS guards and
// interceptors (`@UseGuards(StripeSignatureGuard)` on the method or its controller), middleware
// registered on the same app or router before the route (`app.use('/webhooks', verifyStripe)`,
// `router.use(verify)`, Hono `app.use('/webhooks/*', …)`), and Fastify hooks (`addHook('preHandler', …)`,
// route options `{ preHandler: verify }`). A handler behind a verifying guard is verified.
//
// Route-wide middleware registered for many routes is kept only when it looks like a signature check
// (it names a verifier, the signature header or an HMAC), so that unrelated middleware (auth, sessions,
// logging) adds nothing to a handler's effects or signals.
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from '../frameworks/types.js';
import { resolveHandler } from '../frameworks/routes.js';
import { parserKind } from '../frameworks/express/index.js';
import { accessPath, calleeName, findDeclaration, importSource, nameText, propertyValue, stringValue, unwrap, walk, walkOwnBody } from '../ast.js';
import type { Reached, VerificationCall } from './model.js';

type GuardFinder = (entry: HandlerEntry, ctx: AdapterContext) => ts.FunctionLikeDeclaration[];

/** What runs before a handler, per framework adapter. */
const GUARD_FINDERS: Record<string, GuardFinder> = {
  nestjs: nestGuards,
  express: (e, c) => routerMiddleware(e, c, ['use']),
  koa: (e, c) => routerMiddleware(e, c, ['use']),
  hono: (e, c) => routerMiddleware(e, c, ['use']),
  fastify: fastifyHooks,
};

const LOOKS_LIKE_VERIFICATION = /constructEvent|verifyHeader|parseEventNotification|stripe-signature|createHmac|subtle\.(?:verify|sign)/i;

/** Functions that run before the handler of `entry` and may verify for it. */
export function guardFunctions(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  return GUARD_FINDERS[entry.framework]?.(entry, ctx) ?? [];
}

/** NestJS: what each guard / interceptor class on the method and on its controller runs. */
const NEST_HOOKS: Record<string, string> = { UseGuards: 'canActivate', UseInterceptors: 'intercept' };

function nestGuards(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  const method = entry.fn;
  const owners: ts.Node[] = [method];
  if (ts.isClassLike(method.parent)) owners.push(method.parent);
  for (const owner of owners) {
    const decorators = ts.canHaveDecorators(owner) ? (ts.getDecorators(owner) ?? []) : [];
    for (const d of decorators) {
      if (!ts.isCallExpression(d.expression)) continue;
      const member = NEST_HOOKS[calleeName(d.expression) ?? ''];
      if (!member) continue;
      for (const arg of d.expression.arguments) {
        const cls = classOf(arg, ctx);
        const fn = cls?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && nameText(m.name) === member && !!m.body);
        if (fn) out.push(fn);
      }
    }
  }
  return out;
}

/** `StripeSignatureGuard` or `new StripeSignatureGuard(…)` → its class declaration (through imports). */
function classOf(expr: ts.Expression, ctx: AdapterContext): ts.ClassLikeDeclaration | undefined {
  let e = unwrap(expr);
  if (ts.isNewExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e)) return undefined;
  const d = findDeclaration(e);
  if (!d) return undefined;
  const node = importSource(d) !== undefined ? ctx.resolver.exportedFrom(d) : d;
  return node && ts.isClassLike(node) ? node : undefined;
}

/**
 * Middleware registered with `<app>.use([path,] …fns)` on the route's own app or router, before the
 * route, for a mount path that covers the route's path (Express, Koa, Hono: registration order is run order).
 */
function routerMiddleware(entry: HandlerEntry, ctx: AdapterContext, verbs: string[]): ts.FunctionLikeDeclaration[] {
  const route = entry.route;
  if (!route) return [];
  const app = accessPath(route.app)?.join('.');
  if (!app) return [];
  const out: ts.FunctionLikeDeclaration[] = [];
  const routeStart = route.call.getStart();
  walk(route.call.getSourceFile(), (n) => {
    if (n.getStart() >= routeStart) return false;
    if (!ts.isCallExpression(n) || n === route.call) return undefined;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || !verbs.includes(callee.name.text) || accessPath(callee.expression)?.join('.') !== app) return undefined;
    let args = [...n.arguments];
    const mount = stringValue(args[0]);
    if (mount !== undefined) {
      args = args.slice(1);
      if (route.path === undefined || !covers(mount, route.path)) return undefined;
    }
    for (const a of args) {
      if (parserKind(a)) continue;
      const fn = resolveHandler(a, ctx);
      if (fn && fn.body && LOOKS_LIKE_VERIFICATION.test(fn.getText())) out.push(fn);
    }
    return undefined;
  });
  return out;
}

/** Does a mount path cover a route path? `/webhooks` and `/webhooks/*` cover `/webhooks/stripe`. */
function covers(mount: string, path: string): boolean {
  const m = mount.replace(/\/?\*$/, '').replace(/\/$/, '');
  return m === '' || path === m || path.startsWith(`${m}/`);
}

const FASTIFY_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

/** Fastify: hooks in the route's options and `addHook(name, fn)` on the same instance before the route. */
function fastifyHooks(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
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
    if (ts.isObjectLiteralExpression(o)) for (const hook of FASTIFY_HOOKS) add(propertyValue(o, hook));
  }
  const app = accessPath(route.app)?.join('.');
  const routeStart = route.call.getStart();
  walk(route.call.getSourceFile(), (n) => {
    if (n.getStart() >= routeStart) return false;
    if (!ts.isCallExpression(n)) return undefined;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'addHook' || accessPath(callee.expression)?.join('.') !== app) return undefined;
    if (!FASTIFY_HOOKS.includes(stringValue(n.arguments[0]) ?? '')) return undefined;
    const fn = n.arguments[1] && resolveHandler(n.arguments[1], ctx);
    if (fn && fn.body && LOOKS_LIKE_VERIFICATION.test(fn.getText())) out.push(fn);
    return undefined;
  });
  return out;
}

/**
 * Guards and middleware hand the verified event to the handler on the request or the context:
 * `req.stripeEvent = constructEvent(…)`, Hono `c.set('stripeEvent', event)`. The names of the
 * handler's variables read back from there (`const event = req.stripeEvent`, `c.get('stripeEvent')`, `c.var.stripeEvent`).
 */
export function eventCarriers(verifying: ReadonlyArray<VerificationCall & { reached: Reached }>, reached: readonly Reached[]): string[] {
  const keys = new Set<string>();
  for (const v of verifying) {
    let n: ts.Node = v.node;
    while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent))) n = n.parent;
    const p = n.parent;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isPropertyAccessExpression(p.left)) keys.add(p.left.name.text);
    // const event = await constructEventAsync(…); c.set('stripeEvent', event)
    const held = ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) ? p.name.text : undefined;
    if (held) {
      walkOwnBody(v.reached.fn, (m) => {
        if (ts.isCallExpression(m) && calleeName(m) === 'set' && m.arguments.length === 2 && ts.isIdentifier(unwrap(m.arguments[1])) && (unwrap(m.arguments[1]) as ts.Identifier).text === held) {
          const key = stringValue(m.arguments[0]);
          if (key) keys.add(key);
        }
      });
    }
  }
  if (keys.size === 0) return [];
  const names: string[] = [];
  for (const r of reached) {
    walkOwnBody(r.fn, (n) => {
      if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer) return;
      const init = unwrap(n.initializer);
      const key = ts.isPropertyAccessExpression(init) ? init.name.text : ts.isCallExpression(init) && calleeName(init) === 'get' ? stringValue(init.arguments[0]) : undefined;
      if (key && keys.has(key)) names.push(n.name.text);
    });
  }
  return names;
}
