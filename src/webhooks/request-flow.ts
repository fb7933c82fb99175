// Which values in a reached function come from the incoming request: the entry point's and middlewares'
// parameters (the request, its body, the framework context), variables computed from them, and, in a
// function the handler calls, the parameters whose arguments at the call site come from the request.
// Used to count Stripe event shapes read in helpers only when they are read from the request's data.
import { ts } from '#typescript';
import { walkOwnBody } from '../ast.js';
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
        if (p && !p.dotDotDotToken && mentions(a, outer)) addBindingNames(p.name, names);
      });
    }
    if (names.size === 0) return names;
    // Variables computed from request data, in source order (a second pass catches later reassignments).
    for (let pass = 0; pass < 2; pass++) {
      walkOwnBody(r.fn, (n) => {
        if (ts.isVariableDeclaration(n) && n.initializer && mentions(n.initializer, names!)) addBindingNames(n.name, names!);
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && mentions(n.right, names!)) names!.add(n.left.text);
      });
    }
    return names;
  }

  /** Does `expr` (in `r.fn`) read request data? */
  fromRequest(expr: ts.Node, r: Reached): boolean {
    return mentions(expr, this.namesIn(r));
  }
}

function addBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) addBindingNames(e.name, out);
}

/** Does `node` refer to one of `names` (as a value, not as a property name)? */
function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isPropertyName && names.has(n.text)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
