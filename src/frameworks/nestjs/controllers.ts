// Which class decorators make a NestJS controller: `@Controller(…)`, and a project's own decorator that
// composes it (`export const PaymentController = (p) => applyDecorators(Controller(p), ApiTags(p))`,
// `export function StripeController() { return Controller('stripe') }`, `export const Hooks = applyDecorators(Controller('hooks'))`),
// followed through imports.
import { ts } from '#typescript';
import type { AdapterContext } from '../types.js';
import { calleeName, findDeclaration, importSource, isFunctionLike, unwrap, walkOwnBody } from '../../analysis/ast.js';

/** Nest's own decorator, and the helpers that return the decorators they are given combined. */
const CONTROLLER = 'Controller';
const COMPOSERS = new Set(['applyDecorators']);
const MAX_DEPTH = 3;

const memo = new WeakMap<ts.Node, boolean>();

export function isControllerDecorator(d: ts.Decorator, ctx: AdapterContext): boolean {
  const e = unwrap(d.expression);
  const callee = ts.isCallExpression(e) ? unwrap(e.expression) : e;
  if (ts.isIdentifier(callee) && callee.text === CONTROLLER) return true;
  // @PaymentController('stripe'): the factory's result; @Hooks: the value itself.
  return ts.isCallExpression(e) ? returnsController(callee, ctx, 0) : composesController(e, ctx, 0);
}

/** Does the function `callee` refers to return a controller decorator? */
function returnsController(callee: ts.Expression, ctx: AdapterContext, depth: number): boolean {
  const fn = ctx.resolver.resolveFunction(callee);
  if (!fn?.body || depth > MAX_DEPTH) return false;
  const known = memo.get(fn);
  if (known !== undefined) return known;
  memo.set(fn, false); // guards recursion
  let found = !ts.isBlock(fn.body) && composesController(fn.body, ctx, depth + 1);
  if (ts.isBlock(fn.body)) {
    walkOwnBody(fn, (n) => {
      if (!found && ts.isReturnStatement(n) && n.expression && composesController(n.expression, ctx, depth + 1)) found = true;
      return isFunctionLike(n) && n !== fn ? false : undefined;
    });
  }
  memo.set(fn, found);
  return found;
}

/** `Controller(…)`, `applyDecorators(…, Controller(…), …)`, or a name bound to one of them. */
function composesController(expr: ts.Expression, ctx: AdapterContext, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name === CONTROLLER) return true;
    if (name && COMPOSERS.has(name)) return e.arguments.some((a) => composesController(a, ctx, depth + 1));
    return returnsController(e.expression, ctx, depth + 1);
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    const node = d && importSource(d) !== undefined ? ctx.resolver.exportedFrom(d) : d;
    if (node && ts.isVariableDeclaration(node) && node.initializer && !isFunctionLike(unwrap(node.initializer))) return composesController(node.initializer, ctx, depth + 1);
  }
  return false;
}
