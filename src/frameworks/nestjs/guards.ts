// NestJS guards and interceptors on a route: `@UseGuards(StripeSignatureGuard)` /
// `@UseInterceptors(…)` on the method or on its controller run `canActivate` / `intercept` before the
// handler. Classes are followed through imports; `new X()` counts as X.
import { ts } from '#typescript';
import type { AdapterContext, HandlerEntry } from '../types.js';
import { calleeName, findDeclaration, importSource, nameText, unwrap } from '../../analysis/ast.js';

/** What each decorator's classes run. */
const HOOKS: Record<string, string> = { UseGuards: 'canActivate', UseInterceptors: 'intercept' };

export function nestGuards(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  const owners: ts.Node[] = [entry.fn];
  if (ts.isClassLike(entry.fn.parent)) owners.push(entry.fn.parent);
  for (const owner of owners) {
    const decorators = ts.canHaveDecorators(owner) ? (ts.getDecorators(owner) ?? []) : [];
    for (const d of decorators) {
      if (!ts.isCallExpression(d.expression)) continue;
      const member = HOOKS[calleeName(d.expression) ?? ''];
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
