// Convex function references: `ctx.runAction(internal.stripe.fulfill, args)` (also runMutation, runQuery,
// `ctx.scheduler.runAfter(0, api.payments.fulfil, args)`) runs the `fulfill` export of convex/stripe.ts, a
// registered function `internalAction({ args, handler: async (ctx, args) => … })` (or the older
// `action(async (ctx, args) => …)`). `internal` and `api` come from convex/_generated/api, which sits
// next to the modules it names: `internal.billing.stripe.fulfill` is convex/billing/stripe.ts.
import path from 'node:path';
import { ts } from '#typescript';
import type { AdapterContext } from '../types.js';
import { resolveHandler } from '../routes.js';
import { accessPath, findDeclaration, importSource, isFunctionLike, propertyValue, unwrap } from '../../analysis/ast.js';

/** Calls that run a function reference, and where the reference is among their arguments. */
const RUNNERS: Record<string, number> = { runAction: 0, runMutation: 0, runQuery: 0, runAfter: 1, runAt: 1 };
const REFERENCE_ROOTS = new Set(['internal', 'api']);
const EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.tsx', '.jsx'];

export function convexCallTarget(call: ts.CallExpression, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const at = RUNNERS[callee.name.text];
  const ref = at === undefined ? undefined : call.arguments[at];
  const refPath = ref && accessPath(ref);
  if (!ref || !refPath || refPath.length < 3 || !REFERENCE_ROOTS.has(refPath[0])) return undefined;
  // The `internal` / `api` import: convex/_generated/api, whose folder's parent holds the modules.
  const root = unwrap(ref);
  let id: ts.Expression = root;
  while (ts.isPropertyAccessExpression(id)) id = unwrap(id.expression);
  const decl = ts.isIdentifier(id) ? findDeclaration(id) : undefined;
  const spec = decl && importSource(decl);
  if (!spec || !/_generated\/api(?:\.js)?$/.test(spec)) return undefined;
  const generated = path.resolve(path.dirname(call.getSourceFile().fileName), spec);
  const convexDir = path.dirname(path.dirname(generated));
  const base = path.join(convexDir, ...refPath.slice(1, -1));
  for (const ext of EXTENSIONS) {
    const mod = ctx.parser.get(base + ext);
    if (!mod) continue;
    const exported = ctx.resolver.findExport(mod, refPath[refPath.length - 1]);
    return exported ? registeredHandler(exported, ctx) : undefined;
  }
  return undefined;
}

/** `internalAction({ handler })`, `action(async (ctx, args) => …)`, or a function. */
function registeredHandler(node: ts.Node, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined {
  if (isFunctionLike(node)) return node;
  const init = ts.isVariableDeclaration(node) && node.initializer ? unwrap(node.initializer) : ts.isExpression(node) ? unwrap(node) : undefined;
  if (!init || !ts.isCallExpression(init) || !init.arguments[0]) return undefined;
  const arg = unwrap(init.arguments[0]);
  if (ts.isObjectLiteralExpression(arg)) {
    const h = propertyValue(arg, 'handler') ?? arg.properties.find((p) => ts.isMethodDeclaration(p) && p.name.getText() === 'handler');
    if (!h) return undefined;
    return ts.isMethodDeclaration(h) ? h : resolveHandler(h as ts.Expression, ctx);
  }
  return resolveHandler(arg, ctx);
}
