// Strapi (v4/v5, on Koa): routes registered in code with `strapi.server.routes([{ method, path, handler }])`,
// and route files `src/api/<api>/routes/<name>.(ts|js)` whose `handler: '<controller>.<action>'` (or
// `'api::<api>.<controller>.<action>'`) names an action of `src/api/<api>/controllers/<controller>`, a plain
// object or `factories.createCoreController(uid, ({ strapi }) => ({ … }))`. Handlers take Koa's ctx; the
// body is parsed by `strapi::body` (see body.ts).
import path from 'node:path';
import { ts } from '#typescript';
import type { ParsedFile } from '../../analysis/parse.js';
import type { AdapterContext, BodyVerdict, FrameworkAdapter, HandlerEntry } from '../types.js';
import { reportNodeOf, resolveHandler } from '../routes.js';
import { accessPath, isFunctionLike, nameText, propertyValue, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { isUnparsedSymbol } from '../koa/body-parsers.js';
import { ASSIGNS_RAW_BODY } from '../raw-body-hint.js';
import { strapiBodyFacts } from './body.js';
import { hints } from './hints.js';

const METHODS = /^(?:POST|PUT|PATCH)$/i;
const ROUTES_FILE = /(?:^|\/)src\/(?:api|plugins\/[^/]+\/server(?:\/src)?)\/(?:[^/]+\/)?routes\/[^/]+\.[cm]?[jt]s$/;
const SOURCE_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cjs', '.cts'];

/** Route objects of `strapi.server.routes([…])` or of a route file's `routes: […]`. */
function routeObjects(list: ts.Expression | undefined): ts.ObjectLiteralExpression[] {
  const l = list && unwrap(list);
  if (!l || !ts.isArrayLiteralExpression(l)) return [];
  return l.elements.map((e) => unwrap(e as ts.Expression)).filter(ts.isObjectLiteralExpression).filter((o) => METHODS.test(stringValue(propertyValue(o, 'method')) ?? ''));
}

/** `'stripe.webhook'` / `'api::stripe.stripe.webhook'` in `src/api/<api>/routes/x.ts` → the controller action. */
function controllerAction(handler: string, routesFile: ParsedFile, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  const parts = handler.replace(/^api::/, '').split('.');
  if (parts.length < 2) return undefined;
  const action = parts[parts.length - 1];
  const controller = parts[parts.length - 2];
  const apiDir = parts.length === 3 ? path.join(path.dirname(routesFile.absPath), '..', '..', parts[0]) : path.join(path.dirname(routesFile.absPath), '..');
  for (const ext of SOURCE_EXTENSIONS) {
    const mod = ctx.parser.get(path.join(apiDir, 'controllers', controller + ext));
    if (!mod) continue;
    const exported = ctx.resolver.findExport(mod, 'default') ?? ctx.resolver.findExport(mod, 'module.exports');
    const members = exported && controllerMembers(exported);
    const m = members?.properties.find((p) => nameText(p.name) === action);
    if (!m) return undefined;
    if (ts.isMethodDeclaration(m)) return m;
    return ts.isPropertyAssignment(m) ? resolveHandler(m.initializer, ctx) : undefined;
  }
  return undefined;
}

/** A controller's actions: `{ … }`, or the object `createCoreController(uid, ({ strapi }) => ({ … }))` returns. */
function controllerMembers(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  let e: ts.Node = ts.isVariableDeclaration(node) && node.initializer ? node.initializer : node;
  if (ts.isExpression(e)) e = unwrap(e);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isCallExpression(e)) {
    const factory = e.arguments[e.arguments.length - 1] && unwrap(e.arguments[e.arguments.length - 1]);
    if (!factory || !isFunctionLike(factory) || !factory.body) return factory && ts.isObjectLiteralExpression(factory) ? factory : undefined;
    if (!ts.isBlock(factory.body)) return controllerMembers(factory.body);
    const ret = factory.body.statements.find(ts.isReturnStatement);
    return ret?.expression ? controllerMembers(ret.expression) : undefined;
  }
  return undefined;
}

/** An entry for a route's handler; `route` only where a registration call exists (not in a route file). */
function entry(file: ParsedFile, fn: ts.FunctionLikeDeclaration | undefined, route?: HandlerEntry['route']): HandlerEntry[] {
  return fn && fn.parameters.length >= 1 ? [{ framework: 'strapi', file, fn, reportNode: reportNodeOf(fn), route }] : [];
}

export const strapi: FrameworkAdapter = {
  name: 'strapi',
  label: 'Strapi',
  filterHints: hints,
  entries(file, ctx) {
    const out: HandlerEntry[] = [];
    if (/server\.routes\s*\(/.test(file.text)) {
      walk(file.sf, (n) => {
        if (!ts.isCallExpression(n) || accessPath(n.expression)?.slice(-2).join('.') !== 'server.routes') return;
        const app = (unwrap(n.expression) as ts.PropertyAccessExpression).expression;
        for (const obj of routeObjects(n.arguments[0])) {
          const h = propertyValue(obj, 'handler');
          const fn = h && stringValue(h) === undefined ? resolveHandler(h, ctx) : undefined;
          out.push(...entry(file, fn, { call: n, app, path: stringValue(propertyValue(obj, 'path')), middlewares: [] }));
        }
      });
    }
    if (ROUTES_FILE.test(file.relPath)) {
      walk(file.sf, (n) => {
        if (!ts.isObjectLiteralExpression(n)) return;
        const routes = propertyValue(n, 'routes');
        if (!routes) return;
        for (const obj of routeObjects(routes)) {
          const h = stringValue(propertyValue(obj, 'handler'));
          if (h) out.push(...entry(file, controllerAction(h, file, ctx)));
        }
        return false;
      });
    }
    return out;
  },
  projectFacts: (files) => strapiBodyFacts(files),
  requestPayload(_entry, payload, ctx): BodyVerdict | undefined {
    const body = ctx.facts.strapiBody;
    if (ts.isElementAccessExpression(payload) && isUnparsedSymbol(payload.argumentExpression)) {
      if (!body || body.includeUnparsed !== false) return { parsed: false, reason: 'strapi::body keeps the unparsed body' };
      return { parsed: true, reason: `Strapi keeps the unparsed body only with \`includeUnparsed: true\` on \`strapi::body\`, which ${body.file} does not set, so it is undefined` };
    }
    const p = ts.isPropertyAccessExpression(payload) && payload.name.text === 'rawBody' ? accessPath(payload.expression) : undefined;
    if (p && p[p.length - 1] === 'request' && !ctx.parser.parsedFiles().some((f) => ASSIGNS_RAW_BODY.test(f.text))) {
      return { parsed: true, reason: "Strapi's body parser (koa-body) never sets ctx.request.rawBody, so it is undefined", ...fixWhenKept(ctx) };
    }
    return undefined;
  },
  requestBody: (_entry, _body, ctx) => ({ parsed: true, reason: 'Strapi\'s body middleware (`strapi::body`, koa-body) parses ctx.request.body', ...fixWhenKept(ctx) }),
  rawBodyFix: "set `includeUnparsed: true` in the `strapi::body` config (config/middlewares) and pass `ctx.request.body[Symbol.for('unparsedBody')]`",
};

/** Where config/middlewares already keeps the unparsed body, only the second half of rawBodyFix is left to do. */
function fixWhenKept(ctx: AdapterContext): { fix?: string } {
  const body = ctx.facts.strapiBody;
  return body?.includeUnparsed === true ? { fix: `pass \`ctx.request.body[Symbol.for('unparsedBody')]\` (${body.file} already sets \`includeUnparsed: true\`)` } : {};
}
