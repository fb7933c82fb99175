// Charges whose amount the client sets: for each call of rules/knowledge/stripe-charge-amounts.ts, the values at
// its amount paths, and whether one of them comes from the request (src/stripe/request-provenance.ts).
import { ts } from '#typescript';
import { enclosingFunction, findDeclaration, isFunctionLike, unwrap, walk } from '../analysis/ast.js';
import type { ClientAmount, ModelApiCall } from '../model.js';
import type { StripeResolver } from './resolve.js';
import { resolveObject } from './idempotency.js';
import { RequestProvenance, describeClientValue, isPriceValue, returnedExpressions, type ClientValue } from './request-provenance.js';
import { CHARGE_AMOUNT_PATHS } from '../../rules/knowledge/stripe-charge-amounts.js';

/** Staff tools (an `admin` folder) charge what staff decide; that is their job, not a client setting a price. */
const STAFF_PATH = /(?:^|\/)(?:admin|backoffice|back-office|dashboard\/admin)(?:\/|$)/i;

export function findClientAmounts(calls: readonly ModelApiCall[], resolver: StripeResolver, provenance: RequestProvenance): ClientAmount[] {
  const out: ClientAmount[] = [];
  for (const call of calls) {
    const paths = CHARGE_AMOUNT_PATHS.get(call.method);
    if (!paths || STAFF_PATH.test(call.file.relPath)) continue;
    const params = call.node.arguments[call.entry.optionsIndex - 1];
    if (!params || ts.isSpreadElement(params)) continue;
    found: for (const path of paths) {
      for (const expr of valuesAt(params, path.split('.'), resolver)) {
        const value = provenance.clientValue(expr);
        if (isPriceValue(value)) {
          if (boundsChecked(value, call.node, provenance)) break found;
          out.push({ call, param: path, value, field: describeClientValue(value) });
          break found;
        }
      }
    }
  }
  return out;
}

/** The expressions at a path of a params object: `line_items[]` goes through every element. */
function valuesAt(expr: ts.Expression, segments: string[], resolver: StripeResolver, depth = 0): ts.Expression[] {
  if (!segments.length) return [expr];
  const [seg, ...rest] = segments;
  const each = seg.endsWith('[]');
  const value = resolveObject(expr, resolver).props.get(each ? seg.slice(0, -2) : seg);
  if (!value) return [];
  if (!each) return valuesAt(value, rest, resolver, depth);
  return elementsOf(value, depth).flatMap((el) => valuesAt(el, rest, resolver, depth));
}

/** The element expressions of an array: a literal, a variable built with push, a `.map` callback's results. */
function elementsOf(expr: ts.Expression, depth: number): ts.Expression[] {
  if (depth > 4) return [];
  const e = unwrap(expr);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => (ts.isSpreadElement(el) ? elementsOf(el.expression, depth + 1) : [el]));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(unwrap(e.expression))) {
    const method = (unwrap(e.expression) as ts.PropertyAccessExpression).name.text;
    const cb = e.arguments[0] && unwrap(e.arguments[0]);
    if ((method === 'map' || method === 'flatMap') && cb && isFunctionLike(cb)) return returnedExpressions(cb);
    if (method === 'concat' || method === 'filter' || method === 'slice') return elementsOf((unwrap(e.expression) as ts.PropertyAccessExpression).expression, depth + 1);
    return [];
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d || !ts.isVariableDeclaration(d)) return [];
    const out = d.initializer ? elementsOf(d.initializer, depth + 1) : [];
    // lineItems.push({ … }) in the same function
    const scope = d.parent.parent.parent ?? d.getSourceFile();
    walk(scope, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'push' && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === e.text && findDeclaration(n.expression.expression) === d) {
        out.push(...n.arguments.filter((a): a is ts.Expression => !ts.isSpreadElement(a)));
      }
    });
    return out;
  }
  return [];
}

const LOWER = new Set([ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);
const UPPER = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken]);

/**
 * A client-chosen amount (a donation) that the server compares with a lower and an upper bound before
 * charging (`if (!(amount >= MIN && amount <= MAX)) throw …`): the fix this rule asks for, so not reported.
 */
function boundsChecked(value: ClientValue, call: ts.Node, provenance: RequestProvenance): boolean {
  const same = (e: ts.Expression) => {
    const v = provenance.clientValue(e);
    return !!v && v.source === value.source && v.path.join('.') === value.path.join('.');
  };
  let lower = false;
  let upper = false;
  for (const fn of new Set([enclosingFunction(call), enclosingFunction(value.source)])) {
    if (!fn) continue;
    walk(fn, (n) => {
      if (!ts.isBinaryExpression(n)) return;
      const op = n.operatorToken.kind;
      if (!LOWER.has(op) && !UPPER.has(op)) return;
      // `amount >= MIN` bounds from below; `MAX >= amount` from above.
      if (same(n.left)) (LOWER.has(op) ? (lower = true) : (upper = true));
      else if (same(n.right)) (LOWER.has(op) ? (upper = true) : (lower = true));
    });
  }
  return lower && upper;
}
