// What runs before an Express route's handler, in run order: body parsers another module registers before
// mounting the route's router, the host that serves the app (Firebase parses bodies before Express runs),
// `<app>.use(…)` on the route's own app before the route, then the route's own middlewares.
//
// Order matters for the raw bytes: the request is a stream that only the first reader sees. body-parser
// marks the request as parsed and later parsers skip it; a hand-made middleware that collects
// `req.on('data')` chunks after a JSON parser ran waits for bytes that never come.
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from '../types.js';
import { resolveHandler } from '../routes.js';
import { accessPath, findDeclaration, importSource, propertyValue, requireSpecifier, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { parserKind, type ParserKind } from './parsers.js';

export interface ChainStep {
  /** The middleware expression (a parser call, a function, an identifier). */
  expr: ts.Expression;
  /** Where it is registered, in words for messages. */
  where: string;
  /** A host platform that reads the body before the app runs (then `expr` is the app given to it). */
  host?: { label: string; reason: string; keeps: string; fix: string };
}

/** Middleware text that reads the request stream itself (a hand-made raw-body middleware). */
const READS_STREAM = /\.on\(\s*['"]data['"]|\b(?:getRawBody|rawBody|readRawBody|buffer|text)\s*\(\s*req\b|\b(?:express|bodyParser)\.raw\s*\(|for\s+await\s*\(\s*const\s+\w+\s+of\s+req\b/;

const code = (n: ts.Node) => n.getText().replace(/\s+/g, ' ').slice(0, 60);

/** The steps before the route's handler, in run order. */
export function chainBefore(entry: HandlerEntry, ctx: AdapterContext): ChainStep[] {
  const route = entry.route;
  if (!route) return [];
  const steps: ChainStep[] = [];
  // A host that serves the route's app, or an app that mounts its router module, reads the body first.
  const apps = [...(ctx.facts.expressMountingApps.get(route.call.getSourceFile().fileName) ?? []), route.app];
  for (const app of apps) {
    const host = hostOf(app, ctx);
    if (host) {
      steps.push({ expr: app, where: `by ${host.label} (\`${code(host.call)}\`)`, host });
      break;
    }
  }
  // Parsers another module registers before mounting this router run first (the route's module: the
  // handler itself may live in a controller file).
  for (const m of ctx.facts.expressMountParsers.get(route.call.getSourceFile().fileName) ?? []) {
    steps.push({ expr: m.parser, where: `app-wide (\`${code(m.registration)}\` in ${m.file}) before this router is mounted (\`${code(m.mount)}\`)` });
  }
  // App-wide middleware registered on the same app before the route, in order.
  const app = accessPath(route.app)?.join('.');
  const routeStart = route.call.getStart();
  walk(route.call.getSourceFile(), (n) => {
    if (n.getStart() >= routeStart) return false;
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use' || accessPath(callee.expression)?.join('.') !== app) return;
    let args = [...n.arguments];
    const mount = stringValue(args[0]);
    if (mount !== undefined) {
      if (route.path === undefined || !route.path.startsWith(mount)) return;
      args = args.slice(1);
    }
    for (const a of args) steps.push({ expr: a, where: `app-wide (\`${code(n)}\`) before this route` });
    return undefined;
  });
  for (const m of route.middlewares) steps.push({ expr: m, where: 'on this route' });
  return steps;
}

/** The first step that reads the request stream, with what it is. */
export function firstReader(steps: ChainStep[], ctx: AdapterContext): { step: ChainStep; kind: ParserKind | 'host' | 'middleware'; index: number } | undefined {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.host) return { step: s, kind: 'host', index: i };
    const k = parserKind(s.expr);
    // express.raw() without a matching type and express.text() leave an application/json request alone.
    if (k === 'json' || k === 'raw') return { step: s, kind: k, index: i };
    if (k) continue;
    const fn = resolveHandler(s.expr, ctx);
    if (fn?.body && READS_STREAM.test(fn.body.getText())) return { step: s, kind: 'middleware', index: i };
  }
  return undefined;
}

/** A step (a function, or a parser's `verify` option) that assigns `req.<prop>`. */
export function assigns(step: ChainStep, prop: string, ctx: AdapterContext): boolean {
  const re = new RegExp(`(?:\\.${prop}|\\[['"]${prop}['"]\\])\\s*=(?!=)`);
  const e = unwrap(step.expr);
  if (ts.isCallExpression(e) && parserKind(e)) {
    const opts = e.arguments[0] && unwrap(e.arguments[0]);
    const verify = opts && ts.isObjectLiteralExpression(opts) ? propertyValue(opts, 'verify') : undefined;
    const fn = verify && resolveHandler(verify, ctx);
    return !!fn?.body && re.test(fn.body.getText());
  }
  const fn = resolveHandler(e, ctx);
  return !!fn?.body && re.test(fn.body.getText());
}

/** The host platform the app is handed to (`onRequest(app)`), followed through imports. */
function hostOf(app: ts.Expression, ctx: AdapterContext): { call: ts.CallExpression; label: string; reason: string; keeps: string; fix: string } | undefined {
  if (!ctx.facts.hostedApps.length) return undefined;
  const target = declarationOf(app, ctx);
  if (!target) return undefined;
  for (const h of ctx.facts.hostedApps) if (declarationOf(h.app, ctx) === target) return { ...h, call: h.call };
  return undefined;
}

function declarationOf(expr: ts.Expression, ctx: AdapterContext): ts.Node | undefined {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return undefined;
  const d = findDeclaration(e);
  if (!d) return undefined;
  let exported: ts.Node | undefined;
  const required = ts.isVariableDeclaration(d) && d.initializer ? requireSpecifier(d.initializer) : undefined;
  if (required !== undefined) {
    // const app = require('./app')
    const from = ctx.parser.get(d.getSourceFile().fileName);
    const mod = from && ctx.parser.importModule(from, required);
    exported = mod && ctx.resolver.findExport(mod, 'module.exports');
  } else if (importSource(d) !== undefined) exported = ctx.resolver.exportedFrom(d);
  else return d;
  return exported && ts.isIdentifier(exported) ? (findDeclaration(exported) ?? exported) : exported;
}
