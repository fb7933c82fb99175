// Which values in a reached function carry the incoming request's data: the entry point's and middlewares'
// parameters (the request, its body, the framework context), values read or parsed from them
// (`req.body`, `await request.json()`, `JSON.parse(raw)`), and, in a function the handler calls, the
// parameters whose arguments at the call site carry them. A value merely computed with request data
// (`await db.find(req.body.id)`) does not carry it.
// Used to count Stripe event shapes read in helpers only when they are read from the request's data.
import { ts } from '#typescript';
import { propertyValue, unwrap, walkOwnBody } from '../analysis/ast.js';
import type { Reached } from './model.js';

export class RequestFlow {
  private readonly memo = new Map<Reached, Set<string>>();

  /** Names in `r.fn` that hold request data. */
  namesIn(r: Reached): Set<string> {
    let names = this.memo.get(r);
    if (names) return names;
    names = new Set<string>();
    this.memo.set(r, names); // guards recursion
    const params = r.fn.parameters;
    if (!r.via) {
      for (const p of params) addBindingNames(p.name, names);
    } else if (r.parent) {
      const outer = this.namesIn(r.parent);
      r.via.arguments.forEach((a, i) => {
        const p = params[i];
        if (!p || p.dotDotDotToken) return;
        if (carries(a, outer)) addBindingNames(p.name, names);
        // fn({ signature, payload: await request.text() }) into ({ signature, payload }): property by property
        else if (ts.isObjectBindingPattern(p.name) && ts.isObjectLiteralExpression(unwrap(a))) {
          for (const el of p.name.elements) {
            const key = ts.isIdentifier(el.propertyName ?? el.name) ? ((el.propertyName ?? el.name) as ts.Identifier).text : undefined;
            const value = key && propertyValue(unwrap(a) as ts.ObjectLiteralExpression, key);
            if (value && carries(value, outer)) addBindingNames(el.name, names);
          }
        }
      });
    }
    if (names.size === 0) return names;
    // Variables computed from request data, in source order (a second pass catches later reassignments).
    for (let pass = 0; pass < 2; pass++) {
      walkOwnBody(r.fn, (n) => {
        if (ts.isVariableDeclaration(n) && n.initializer && carries(n.initializer, names!)) addBindingNames(n.name, names!);
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && carries(n.right, names!)) names!.add(n.left.text);
      });
    }
    return names;
  }

  /** Does `expr` (in `r.fn`) carry request data? */
  fromRequest(expr: ts.Node, r: Reached): boolean {
    if (ts.isIdentifier(expr) && ts.isParameter(expr.parent)) return this.namesIn(r).has(expr.text);
    return ts.isExpression(expr) && carries(expr, this.namesIn(r));
  }
}

/** Methods and functions that read or parse a body they are given (or called on). */
const BODY_READERS = new Set(['json', 'text', 'arrayBuffer', 'body', 'formData', 'toString', 'parse', 'from', 'readBody', 'readRawBody', 'buffer', 'getRawBody', 'rawBody', 'getBody']);

/** Is `expr` request data itself, a part of it, or it read/parsed (not a value computed with it)? */
function carries(expr: ts.Expression, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return names.has(e.text);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return carries(e.expression, names);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (!BODY_READERS.has(name)) return false;
    if (ts.isPropertyAccessExpression(callee) && carries(callee.expression, names)) return true; // request.json(), raw.toString()
    return e.arguments.some((a) => carries(a, names)); // JSON.parse(raw), Buffer.from(body), buffer(req)
  }
  if (ts.isConditionalExpression(e)) return carries(e.whenTrue, names) || carries(e.whenFalse, names);
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(e.operatorToken.kind)) return carries(e.left, names) || carries(e.right, names);
  return false;
}

function addBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) addBindingNames(e.name, out);
}
