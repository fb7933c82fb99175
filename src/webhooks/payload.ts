// Where the payload given to a verification call comes from: the raw bytes, a parsed object, or unknown.
// Framework knowledge (which request bodies and parameters are parsed) comes from the adapters.
import { ts } from '#typescript';
import type { AdapterContext, FrameworkAdapter, HandlerEntry } from '../frameworks/types.js';
import { ADAPTERS } from '../frameworks/index.js';
import { accessPath, findDeclaration, stringValue, unwrap } from '../analysis/ast.js';
import type { PayloadProvenance, Reached } from './model.js';

const MAX_TRACE = 6;

/** Follows `expr` (in `at.fn`) back through variables, helper parameters (to the call site) and wrappers. */
export function payloadProvenance(expr: ts.Expression, at: Reached, entry: HandlerEntry, adapter: FrameworkAdapter, ctx: AdapterContext): PayloadProvenance {
  return trace(expr, at, entry, adapter, ctx, 0) ?? { state: 'unknown' };
}

function trace(expr: ts.Expression, at: Reached, entry: HandlerEntry, adapter: FrameworkAdapter, ctx: AdapterContext, depth: number): PayloadProvenance | undefined {
  if (depth > MAX_TRACE) return undefined;
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const path = accessPath(e.expression) ?? [];
    const last = path[path.length - 1] ?? (ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : '');
    if (last === 'stringify') return { state: 'parsed', how: 'stringify', expression: e };
    if (last === 'json' && e.arguments.length === 0) return { state: 'parsed', how: 'json-call', expression: e };
    if (last === 'parse' && path[0] === 'JSON') return { state: 'parsed', how: 'json-parse', expression: e };
    if (last === 'toString' && ts.isPropertyAccessExpression(unwrap(e.expression))) return trace((unwrap(e.expression) as ts.PropertyAccessExpression).expression, at, entry, adapter, ctx, depth + 1);
    if (last === 'from' && path[0] === 'Buffer' && e.arguments[0]) {
      const inner = trace(e.arguments[0], at, entry, adapter, ctx, depth + 1);
      return inner?.state === 'parsed' ? inner : { state: 'raw' };
    }
    return { state: 'raw' }; // text(), arrayBuffer(), buffer(req), getRawBody(req), helpers: trust them
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return undefined;
    if (ts.isVariableDeclaration(d) && d.initializer) return trace(d.initializer, at, entry, adapter, ctx, depth + 1);
    if (ts.isParameter(d)) {
      for (const a of ADAPTERS) {
        const reason = a.parsedBodyParam?.(d);
        if (reason) return { state: 'parsed', how: 'parsed-param', expression: e, reason };
      }
      const fn = d.parent;
      if (at.fn === fn && at.via) {
        const i = fn.parameters.indexOf(d);
        const arg = at.via.arguments[i];
        if (arg && at.parent) return trace(arg, at.parent, entry, adapter, ctx, depth + 1);
      }
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const own = adapter.requestPayload?.(entry, e, ctx);
    if (own) return own.parsed ? { state: 'parsed', how: 'framework-body', expression: e, reason: own.reason, fix: own.fix } : { state: 'raw' };
    const prop = ts.isPropertyAccessExpression(e) ? e.name.text : stringValue(e.argumentExpression);
    if (prop === 'body') {
      const verdict = adapter.requestBody?.(entry, e, ctx);
      if (verdict?.parsed) return { state: 'parsed', how: 'framework-body', expression: e, reason: verdict.reason, fix: verdict.fix };
      return verdict ? { state: 'raw' } : undefined;
    }
    if (prop && /raw/i.test(prop)) return { state: 'raw' };
  }
  return undefined;
}
