// Express (and Connect-style routers): routes on app/router, body parsers as middlewares.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry, BodyVerdict } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { routerMiddleware } from '../route-middleware.js';
import { propertyValue, stringValue, unwrap, walk, accessPath } from '../../analysis/ast.js';
import { mountParsers } from './mounts.js';
import { ROUTE_HINTS } from '../route-hints.js';

type ParserKind = 'json' | 'raw' | 'raw-untyped' | 'text';

/** express.json() / bodyParser.json() / json() / express.raw({ type }) … → which parser. */
export function parserKind(expr: ts.Expression): ParserKind | undefined {
  const e = unwrap(expr);
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const k = parserKind(el);
      if (k) return k;
    }
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const path = accessPath(e.expression);
  if (!path) return undefined;
  const fn = path[path.length - 1];
  const owner = path.length > 1 ? path[path.length - 2] : '';
  const fromParserModule = path.length === 1 || /^(express|bodyParser|bodyparser|parser)$/i.test(owner);
  if (!fromParserModule) return undefined;
  if (fn === 'json' || (path.length === 1 && /^bodyParser$/i.test(fn))) return 'json';
  if (fn === 'text') return 'text';
  if (fn === 'raw') {
    const opts = e.arguments[0] && unwrap(e.arguments[0]);
    const type = opts && ts.isObjectLiteralExpression(opts) ? propertyValue(opts, 'type') : undefined;
    if (!type) return 'raw-untyped';
    const matches = (t: ts.Expression): boolean => {
      const s = stringValue(unwrap(t));
      return s === undefined ? true : /json|\*\/\*|application\/\*|^\*$/.test(s);
    };
    const t = unwrap(type);
    if (ts.isArrayLiteralExpression(t)) return t.elements.some(matches) ? 'raw' : 'raw-untyped';
    return matches(t) ? 'raw' : 'raw-untyped';
  }
  return undefined;
}

function rootName(expr: ts.Expression): string | undefined {
  const p = accessPath(expr);
  return p ? p.join('.') : undefined;
}

function judge(kind: ParserKind, where: string): BodyVerdict | undefined {
  if (kind === 'json') return { parsed: true, reason: `a JSON body parser runs ${where}, so req.body is a parsed object` };
  if (kind === 'raw-untyped') return { parsed: true, reason: `express.raw() without a \`type\` only reads application/octet-stream; Stripe sends application/json, so req.body is empty` };
  return { parsed: false, reason: 'raw body parser' };
}

export const express: FrameworkAdapter = {
  name: 'express',
  label: 'Express',
  entries: (file, ctx) => entriesFor('express', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: routerMiddleware,
  projectFacts: (files, parser) => ({ expressMountParsers: mountParsers(files, parser) }),
  requestBody(entry: HandlerEntry, _body, ctx): BodyVerdict | undefined {
    const route = entry.route;
    if (!route) return undefined;
    // Parsers another module registers before mounting this router run first (the route's module: the
    // handler itself may live in a controller file).
    const mounted = ctx.facts.expressMountParsers.get(route.call.getSourceFile().fileName)?.[0];
    if (mounted) {
      const k = parserKind(mounted.parser)!;
      const code = (n: ts.Node) => n.getText().replace(/\s+/g, ' ').slice(0, 60);
      return judge(k, `app-wide (\`${code(mounted.registration)}\` in ${mounted.file}) before this router is mounted (\`${code(mounted.mount)}\`)`);
    }
    // App-wide parsers registered on the same app before the route, in order: the first that applies wins,
    // because body-parser marks the request as parsed and later parsers skip it.
    const app = rootName(route.app);
    const routeStart = route.call.getStart();
    let verdict: BodyVerdict | undefined;
    walk(route.call.getSourceFile(), (n) => {
      if (verdict || n.getStart() >= routeStart) return false;
      if (!ts.isCallExpression(n)) return;
      const callee = unwrap(n.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use' || rootName(callee.expression) !== app) return;
      let args = [...n.arguments];
      const mount = stringValue(args[0]);
      if (mount !== undefined) {
        args = args.slice(1);
        if (route.path !== undefined && !route.path.startsWith(mount)) return;
        if (route.path === undefined) return;
      }
      for (const a of args) {
        const k = parserKind(a);
        if (k) {
          verdict = judge(k, `app-wide (\`${n.getText().slice(0, 60)}\`) before this route`);
          return false;
        }
      }
      return undefined;
    });
    if (verdict) return verdict;
    for (const m of route.middlewares) {
      const k = parserKind(m);
      if (k) return judge(k, 'on this route');
    }
    return undefined;
  },
  rawBodyFix:
    "mount `express.raw({ type: 'application/json' })` on the webhook route and register it before `app.use(express.json())` (or use `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })` and pass `req.rawBody`)",
};
