// What a handler does besides logging, reading and answering: the calls and assignments that a redelivered
// event would repeat.
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { accessPath, stringValue, unwrap, walkOwnBody } from '../analysis/ast.js';
import type { Effect, Reached } from './model.js';

// Calls that only log, read the request or answer it: a handler made of these alone is harmless to re-run.
const INERT_ROOTS = new Set(['console', 'logger', 'log', 'res', 'response', 'reply', 'ctx', 'c', 'req', 'request', 'JSON', 'Object', 'Array', 'String', 'Number', 'Math', 'Date', 'Buffer', 'NextResponse', 'Response', 'headers', 'process']);
const INERT_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'json', 'send', 'sendStatus', 'status', 'end', 'text', 'header', 'get', 'set', 'setHeader', 'writeHead', 'redirect', 'parse', 'stringify', 'toString', 'code', 'type', 'arrayBuffer', 'keys', 'entries', 'isArray', 'from', 'now', 'exit', 'on', 'throw', 'assert']);

/** Methods that read, on any object (`this.config.get(…)`, `prisma.user.findUnique(…)`, `stripe.invoices.retrieve(…)`): repeating them is harmless. */
const READ_METHODS = new Set(['get', 'has', 'find', 'findOne', 'findFirst', 'findUnique', 'findMany', 'findById', 'retrieve', 'list', 'count', 'exists']);

const INERT_FUNCTIONS = new Set([
  'String', 'Number', 'Boolean', 'require', 'buffer', 'getRawBody', 'rawBody', 'text', 'json', 'parseInt', 'parseFloat', 'setTimeout', 'env', 'getEnv', 'useRuntimeConfig', 'defineSecret', 'defineString', 'getSecret',
  // Reading the request through framework helpers: next/headers, h3.
  'headers', 'cookies', 'getHeader', 'getHeaders', 'getRequestHeader', 'getRequestHeaders', 'readRawBody', 'readBody', 'getQuery',
]);

/** Names of the handler's and middlewares' own parameters (request, response, context, whatever they are called). */
export function frameworkParameters(reached: Reached[]): Set<string> {
  const names = new Set<string>();
  const add = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) add(e.name);
  };
  for (const r of reached) if (!r.via) for (const p of r.fn.parameters) add(p.name);
  return names;
}

/**
 * The effects on the handler's paths, in the order met (function by function).
 * `skip`: nodes not to look into (the verification calls). `frameworkRoots`: the handler's own parameters.
 * Reading the request and answering through them is not work, whatever the handler calls them
 * (`context.req.text()`, `context.get('stripe')`, `context.text('', 200)`); bindings reached through them
 * are (`env.QUEUE.send(…)`, `c.env.KV.put(…)`).
 */
export function findEffects(reached: Reached[], fileOf: (n: ts.Node) => ParsedFile, skip: ReadonlySet<ts.Node> = new Set(), frameworkRoots: ReadonlySet<string> = new Set()): Effect[] {
  const inertPath = (path: string[]) => (INERT_ROOTS.has(path[0]) || frameworkRoots.has(path[0])) && !path.includes('env');
  // A helper reached through a logging call (`log(ctx, {...})` posting to a log service) only logs.
  const underLogging = (r: Reached) => {
    for (let x: Reached | undefined = r; x; x = x.parent) if (x.via && isLoggingCall(x.via)) return true;
    return false;
  };
  const out: Effect[] = [];
  for (const r of reached) {
    if (underLogging(r)) continue;
    const file = fileOf(r.fn);
    walkOwnBody(r.fn, (n) => {
      if (skip.has(n)) return false;
      if (ts.isCallExpression(n)) {
        const path = chainPath(n.expression);
        const last = path?.[path.length - 1] ?? '';
        // A single name: a helper, or one of the handler's own parameters (a middleware's `next()` hands on, it does no work).
        const inert = isLoggingCall(n) || makesStripeClient(n) || (!!path && (path.length === 1 ? INERT_FUNCTIONS.has(last) || frameworkRoots.has(last) : READ_METHODS.has(last) || (inertPath(path) && INERT_METHODS.has(last)) || path.join('.') === 'functions.config'));
        // calls to helpers are followed through `reached`; count only what does not resolve to our own code
        if (!inert && !reached.some((x) => x.via === n)) out.push({ file, node: n });
      } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
        const target = accessPath(n.left);
        if (target && !inertPath(target)) out.push({ file, node: n });
      }
      return undefined;
    });
  }
  return out;
}

/** Like accessPath, through calls in the chain: `res.status(400).send` → res, status, send. */
function chainPath(expr: ts.Expression): string[] | undefined {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) return chainPath(e.expression);
  if (ts.isPropertyAccessExpression(e)) {
    const base = chainPath(e.expression);
    return base ? [...base, e.name.text] : undefined;
  }
  return accessPath(e);
}

/** Making the client is not work: `Stripe(key)`, `require('stripe')(key)`. */
function makesStripeClient(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'Stripe';
  return ts.isCallExpression(callee) && ts.isIdentifier(unwrap(callee.expression)) && (unwrap(callee.expression) as ts.Identifier).text === 'require' && stringValue(callee.arguments[0]) === 'stripe';
}

/** Objects whose calls only log, measure or track, in any case (`Logger.info`, `LOG.debug`, `posthog().capture`). */
const LOGGING_ROOTS = /^(console|logger|logs?|logging|sentry|debug|trace|metrics|analytics|posthog|segment|mixpanel|amplitude|statsd|datadog|newrelic|bugsnag|rollbar|honeybadger)$/i;

/** A call on a logging object: `logger.info(…)`, `Logger.warn(…)`, or a member one (`this.logger.log(…)` in a Nest service). */
export function isLoggingCall(call: ts.CallExpression): boolean {
  const path = chainPath(call.expression);
  const root = path?.[0] === 'this' ? path[1] : path?.[0];
  return !!root && LOGGING_ROOTS.test(root);
}

/** Inside a logging call (`console.log({ id: event.id })` reads the id but guards nothing)? */
export function inLoggingCall(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isStatement(n); n = n.parent) {
    if (ts.isCallExpression(n) && isLoggingCall(n)) return true;
  }
  return false;
}
