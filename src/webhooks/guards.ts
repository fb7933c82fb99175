// What runs before a handler without being named on its route (each adapter's `guards`: NestJS guards and
// interceptors, middleware registered on the app or router, Fastify hooks), and how the event they verify
// reaches the handler (on the request or the context). A handler behind a verifying guard is verified.
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from '../frameworks/types.js';
import { ADAPTERS, adapterByName } from '../frameworks/index.js';
import { calleeName, stringValue, unwrap, walkOwnBody } from '../analysis/ast.js';
import type { Reached, VerificationCall } from './model.js';

/** Functions that run before the handler of `entry` and may verify for it (the adapter says which). */
export function guardFunctions(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  return adapterByName(entry.framework)?.guards?.(entry, ctx) ?? [];
}

/**
 * Guards and middleware hand the verified event to the handler on the request or the context:
 * `req.stripeEvent = constructEvent(…)`, `req['stripeEvent'] = event`, `req.body = event` (then the
 * handler's `@Body()` parameter is the event), Hono `c.set('stripeEvent', event)`. The names of the
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
        // req.stripeEvent = event, request['stripeEvent'] = event, req.body = event
        if (ts.isBinaryExpression(m) && m.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(unwrap(m.right)) && (unwrap(m.right) as ts.Identifier).text === held) {
          const key = ts.isPropertyAccessExpression(m.left) ? m.left.name.text : ts.isElementAccessExpression(m.left) ? stringValue(m.left.argumentExpression) : undefined;
          if (key) keys.add(key);
        }
        if (ts.isCallExpression(m) && calleeName(m) === 'set' && m.arguments.length === 2 && ts.isIdentifier(unwrap(m.arguments[1])) && (unwrap(m.arguments[1]) as ts.Identifier).text === held) {
          const key = stringValue(m.arguments[0]);
          if (key) keys.add(key);
        }
      });
    }
  }
  if (keys.size === 0) return [];
  const names: string[] = [];
  // `req.body = event` in a guard: the handler's parsed-body parameter (`@Body() payload`) is the event.
  if (keys.has('body') && reached[0]) {
    for (const p of reached[0].fn.parameters) if (ts.isIdentifier(p.name) && ADAPTERS.some((a) => a.parsedBodyParam?.(p))) names.push(p.name.text);
  }
  for (const r of reached) {
    walkOwnBody(r.fn, (n) => {
      if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer) return;
      const init = unwrap(n.initializer);
      const key = ts.isPropertyAccessExpression(init) ? init.name.text : ts.isElementAccessExpression(init) ? stringValue(init.argumentExpression) : ts.isCallExpression(init) && calleeName(init) === 'get' ? stringValue(init.arguments[0]) : undefined;
      if (key && keys.has(key)) names.push(n.name.text);
    });
  }
  return names;
}
