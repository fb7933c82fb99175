// Stripe client resolution: the one place that answers "is this expression a Stripe server client?".
// Transitively and across files: `new Stripe(…)`, `Stripe(…)`, `require('stripe')(…)`, subclasses of
// Stripe, values typed `Stripe` (parameters, class properties, NestJS constructor injection), factories
// and lazy singletons, imports, re-exports, aliases. Browser Stripe.js objects are never clients.
import { ts } from '#typescript';
import type { Parser, ParsedFile } from '../analysis/parse.js';
import { findExport } from '../analysis/exports.js';
import {
  type Decl,
  findDeclaration,
  importSource,
  requireSpecifier,
  unwrap,
  nameText,
  isFunctionLike,
  walk,
  propertyValue,
  calleeName,
  callSiteArguments,
} from '../analysis/ast.js';

export type Verdict = 'client' | 'not-client' | 'unknown';

/** Module specifiers of the server SDK (npm, Deno `npm:` and CDN forms). */
export function isStripeModule(spec: string | undefined): boolean {
  if (!spec) return false;
  return /^(?:npm:)?stripe(?:@[^/]*)?(?:\/(?!.*react).*)?$/.test(spec) || /^https:\/\/(?:esm\.sh|cdn\.skypack\.dev|esm\.run)\/stripe(?:@|\/|\?|$)/.test(spec);
}

const BROWSER_MODULES = /^@stripe\/(?:stripe-js|react-stripe-js|stripe-react-native|terminal-js|connect-js|react-connect-js)/;
/** Module interop helpers that TypeScript and Babel emit around `require(…)`. */
const INTEROP_HELPERS = /^(?:__importDefault|__importStar|_interopRequireDefault|_interopRequireWildcard|interopRequireDefault)$/;

const BROWSER_FACTORIES = new Set(['loadStripe', 'useStripe', 'useElements', 'loadConnectAndInitialize']);

export class StripeResolver {
  private memo = new Map<ts.Node, Verdict>();
  private ctorMemo = new Map<ts.Node, boolean>();

  constructor(private readonly parser: Parser) {}

  fileOf(node: ts.Node): ParsedFile | undefined {
    return this.parser.get(node.getSourceFile().fileName);
  }

  /** Does this file use the browser SDK (then name heuristics are off)? */
  private browserFile(sf: ts.SourceFile): boolean {
    return sf.statements.some((s) => ts.isImportDeclaration(s) && BROWSER_MODULES.test(stringOf(s.moduleSpecifier)));
  }

  /** Is `expr` the Stripe class/function itself (the thing you call or `new` to get a client)? */
  isStripeConstructor(expr: ts.Expression, depth = 0): boolean {
    expr = unwrap(expr);
    if (depth > 8) return false;
    // Compiled CommonJS: __importDefault(require('stripe')).default, _interopRequireDefault(…).default
    if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && INTEROP_HELPERS.test(expr.expression.text) && expr.arguments[0]) {
      return this.isStripeConstructor(expr.arguments[0], depth + 1);
    }
    const spec = requireSpecifier(expr);
    if (spec !== undefined) return isStripeModule(spec);
    if (ts.isPropertyAccessExpression(expr)) {
      // require('stripe').Stripe / .default, or Stripe.Stripe
      if ((expr.name.text === 'Stripe' || expr.name.text === 'default') && this.isStripeConstructor(expr.expression, depth + 1)) return true;
      const mod = requireSpecifier(expr.expression);
      if (mod !== undefined) return isStripeModule(mod) && (expr.name.text === 'Stripe' || expr.name.text === 'default');
      return false;
    }
    if (!ts.isIdentifier(expr)) return false;
    const d = findDeclaration(expr);
    if (!d) return false;
    const cached = this.ctorMemo.get(d);
    if (cached !== undefined) return cached;
    this.ctorMemo.set(d, false);
    let result = false;
    const src = importSource(d);
    if (src !== undefined) {
      if (isStripeModule(src)) {
        // default import, `import * as Stripe`, `import { Stripe }`, `import Stripe = require('stripe')`
        result = !ts.isImportSpecifier(d) || (d.propertyName ?? d.name).text === 'Stripe' || (d.propertyName ?? d.name).text === 'default';
      } else if (!src.startsWith('.') && !src.startsWith('@/') && !src.startsWith('~')) {
        result = false;
      } else {
        const target = this.exportedFrom(d);
        result = target ? this.isStripeConstructorNode(target, depth + 1) : false;
      }
    } else if (ts.isVariableDeclaration(d) && d.initializer) {
      result = this.isStripeConstructor(d.initializer, depth + 1);
    } else if (ts.isBindingElement(d)) {
      // const { Stripe } = require('stripe')
      const init = bindingInitializer(d);
      const prop = d.propertyName ? nameText(d.propertyName) : nameText(d.name);
      if (init && requireSpecifier(init) !== undefined) result = isStripeModule(requireSpecifier(init)) && (prop === 'Stripe' || prop === 'default');
    } else if (ts.isClassDeclaration(d)) {
      result = false;
    }
    this.ctorMemo.set(d, result);
    return result;
  }

  private isStripeConstructorNode(node: ts.Node, depth: number): boolean {
    if (ts.isVariableDeclaration(node)) return node.initializer ? this.isStripeConstructor(node.initializer, depth) : false;
    if (ts.isExpression(node)) return this.isStripeConstructor(node, depth);
    if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node)) {
      const src = importSource(node as Decl);
      if (isStripeModule(src)) return true;
      const target = this.exportedFrom(node as Decl);
      return target ? this.isStripeConstructorNode(target, depth + 1) : false;
    }
    return false;
  }

  /** Is a type annotation the Stripe client type (`Stripe`, `Stripe | undefined`, `Stripe.Stripe`)? */
  isStripeType(type: ts.TypeNode | undefined): boolean {
    if (!type) return false;
    if (ts.isUnionTypeNode(type)) return type.types.some((t) => this.isStripeType(t));
    if (ts.isParenthesizedTypeNode(type)) return this.isStripeType(type.type);
    if (ts.isTypeReferenceNode(type)) {
      const n = type.typeName;
      if (ts.isIdentifier(n)) {
        const d = findDeclaration(n);
        if (d) {
          const src = importSource(d);
          if (isStripeModule(src)) return !ts.isImportSpecifier(d) || (d.propertyName ?? d.name).text === 'Stripe';
          if (ts.isClassDeclaration(d)) return this.classExtendsStripe(d);
          return false;
        }
        // The ambient `Stripe` type of old @types/stripe setups.
        return n.text === 'Stripe';
      }
      if (ts.isQualifiedName(n) && n.right.text === 'Stripe' && ts.isIdentifier(n.left)) {
        const d = findDeclaration(n.left);
        return !!d && isStripeModule(importSource(d));
      }
      // Promise<Stripe>
      if (ts.isIdentifier(n) && type.typeArguments?.length === 1) return this.isStripeType(type.typeArguments[0]);
    }
    return false;
  }

  classExtendsStripe(cls: ts.ClassLikeDeclaration): boolean {
    for (const h of cls.heritageClauses ?? []) {
      if (h.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const t of h.types) if (this.isStripeConstructor(t.expression)) return true;
    }
    return false;
  }

  /** The verdict for an expression used as the receiver of a Stripe API call. */
  classify(expr: ts.Expression): Verdict {
    const v = this.classifyStrict(expr, 0);
    if (v !== 'unknown') return v;
    // A name that says "stripe" on the server side: treat as a client (the last resort).
    const e = unwrap(expr);
    const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : ts.isCallExpression(e) ? calleeName(e) : undefined;
    if (name && /stripe/i.test(name) && !/promise|js|elements|element|browser|public/i.test(name) && !this.browserFile(e.getSourceFile())) return 'client';
    return 'unknown';
  }

  private classifyStrict(expr: ts.Expression, depth: number): Verdict {
    if (depth > 12) return 'unknown';
    expr = unwrap(expr);
    const cached = this.memo.get(expr);
    if (cached) return cached;
    this.memo.set(expr, 'unknown'); // cycle guard
    const v = this.classifyUncached(expr, depth);
    this.memo.set(expr, v);
    return v;
  }

  private classifyUncached(expr: ts.Expression, depth: number): Verdict {
    if (expr.kind === ts.SyntaxKind.ThisKeyword) {
      // `this.paymentIntents.create(…)` inside a class that extends Stripe
      let cls: ts.Node | undefined = expr.parent;
      while (cls && !ts.isClassLike(cls)) cls = cls.parent;
      return cls && ts.isClassLike(cls) && this.classExtendsStripe(cls) ? 'client' : 'unknown';
    }
    if (ts.isNewExpression(expr)) {
      if (this.isStripeConstructor(expr.expression)) return 'client';
      const ctor = unwrap(expr.expression);
      if (ts.isIdentifier(ctor)) {
        const d = findDeclaration(ctor);
        if (d && ts.isClassDeclaration(d)) return this.classExtendsStripe(d) ? 'client' : 'not-client';
        if (d) {
          const target = this.exportedFrom(d);
          if (target && ts.isClassDeclaration(target)) return this.classExtendsStripe(target) ? 'client' : 'not-client';
        }
      }
      return 'not-client';
    }
    if (ts.isCallExpression(expr)) {
      if (this.isStripeConstructor(expr.expression)) return 'client';
      const name = calleeName(expr);
      if (name && BROWSER_FACTORIES.has(name)) return 'not-client';
      const fn = this.resolveFunction(expr.expression);
      if (fn) return this.functionReturnsClient(fn, depth + 1);
      return 'unknown';
    }
    if (ts.isConditionalExpression(expr)) return this.any([expr.whenTrue, expr.whenFalse], depth);
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.EqualsToken].includes(expr.operatorToken.kind)) {
      return this.any(expr.operatorToken.kind === ts.SyntaxKind.EqualsToken ? [expr.right] : [expr.left, expr.right], depth);
    }
    if (ts.isIdentifier(expr)) {
      const d = findDeclaration(expr);
      if (!d) return 'unknown';
      return this.classifyDecl(d, depth + 1);
    }
    if (ts.isPropertyAccessExpression(expr)) {
      const obj = unwrap(expr.expression);
      const prop = expr.name.text;
      if (obj.kind === ts.SyntaxKind.ThisKeyword) return this.classifyThisMember(expr, prop, depth);
      if (ts.isIdentifier(obj)) {
        const d = findDeclaration(obj);
        if (d && ts.isNamespaceImport(d)) {
          const mod = this.moduleOf(d);
          const target = mod && this.findExport(mod, prop);
          return target ? this.classifyNode(target, depth + 1) : 'unknown';
        }
        // wrapper.client where wrapper is an instance of a class that holds a client
        const cls = this.instanceClass(obj);
        if (cls) {
          const v = this.classifyMember(cls, prop, depth + 1);
          if (v !== 'unknown') return v;
        }
        // const { stripe } = require('./lib') style namespace objects, and object literals holding clients
        if (d && ts.isVariableDeclaration(d) && d.initializer) {
          const init = unwrap(d.initializer);
          if (ts.isObjectLiteralExpression(init)) {
            const v = propertyValue(init, prop);
            return v ? this.classifyStrict(v, depth + 1) : 'unknown';
          }
          const spec = requireSpecifier(init);
          if (spec !== undefined && !isStripeModule(spec)) {
            const mod = this.parser.importModule(this.fileOf(d)!, spec);
            const target = mod && this.findExport(mod, prop);
            return target ? this.classifyNode(target, depth + 1) : 'unknown';
          }
        }
      }
      return 'unknown';
    }
    return 'unknown';
  }

  private any(exprs: ts.Expression[], depth: number): Verdict {
    let sawNot = false;
    for (const e of exprs) {
      const v = this.classifyStrict(e, depth + 1);
      if (v === 'client') return 'client';
      if (v === 'not-client') sawNot = true;
    }
    return sawNot && exprs.length === 1 ? 'not-client' : 'unknown';
  }

  /** A declaration or exported node → verdict. */
  private classifyNode(node: ts.Node, depth: number): Verdict {
    if (ts.isExpression(node)) return this.classifyStrict(node, depth);
    return this.classifyDecl(node as Decl, depth);
  }

  private classifyDecl(d: Decl, depth: number): Verdict {
    if (depth > 12) return 'unknown';
    if (ts.isParameter(d)) {
      if (this.isStripeType(d.type)) return 'client';
      if (d.initializer) return this.classifyStrict(d.initializer, depth + 1);
      return d.type ? 'unknown' : this.classifyFromCallSites(d, depth);
    }
    if (ts.isVariableDeclaration(d)) {
      if (this.isStripeType(d.type)) return 'client';
      if (d.initializer) {
        const v = this.classifyStrict(d.initializer, depth + 1);
        if (v !== 'unknown') return v;
      }
      // let client; … client = new Stripe(…) (lazy singletons)
      if (ts.isIdentifier(d.name)) return this.classifyAssignments(d.name.text, d.getSourceFile(), depth);
      return 'unknown';
    }
    if (ts.isBindingElement(d)) return 'unknown';
    if (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d)) return 'not-client';
    const src = importSource(d);
    if (src !== undefined) {
      if (isStripeModule(src) || BROWSER_MODULES.test(src)) return 'not-client';
      const target = this.exportedFrom(d);
      return target ? this.classifyNode(target, depth + 1) : 'unknown';
    }
    return 'unknown';
  }

  /** An untyped parameter of a function in this module: what the module's own calls pass for it. */
  private classifyFromCallSites(p: ts.ParameterDeclaration, depth: number): Verdict {
    const args = callSiteArguments(p) ?? [];
    return args.some((a) => a && this.classifyStrict(a, depth + 1) === 'client') ? 'client' : 'unknown';
  }


  private classifyAssignments(name: string, sf: ts.SourceFile, depth: number): Verdict {
    let verdict: Verdict = 'unknown';
    walk(sf, (n) => {
      if (verdict === 'client') return false;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name) {
        if (this.classifyStrict(n.right, depth + 1) === 'client') verdict = 'client';
      }
      return undefined;
    });
    return verdict;
  }

  private classifyThisMember(expr: ts.PropertyAccessExpression, prop: string, depth: number): Verdict {
    let cls: ts.Node | undefined = expr.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return 'unknown';
    return this.classifyMember(cls, prop, depth);
  }

  /** The class an expression is an instance of: `new Wrapper()` (local or imported), or a parameter typed with it. */
  private instanceClass(expr: ts.Expression): ts.ClassLikeDeclaration | undefined {
    const e = unwrap(expr);
    let ctor: ts.Expression | undefined;
    if (ts.isNewExpression(e)) ctor = e.expression;
    else if (ts.isIdentifier(e)) {
      const d = findDeclaration(e);
      if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isNewExpression(unwrap(d.initializer))) ctor = (unwrap(d.initializer) as ts.NewExpression).expression;
      else if (d && importSource(d) !== undefined) {
        const target = this.exportedFrom(d);
        if (target && ts.isVariableDeclaration(target) && target.initializer && ts.isNewExpression(unwrap(target.initializer))) ctor = (unwrap(target.initializer) as ts.NewExpression).expression;
      } else if (d && ts.isParameter(d) && d.type && ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName)) ctor = d.type.typeName;
    }
    if (!ctor || !ts.isIdentifier(unwrap(ctor))) return undefined;
    const cd = findDeclaration(unwrap(ctor) as ts.Identifier);
    if (cd && ts.isClassDeclaration(cd)) return cd;
    const target = cd && importSource(cd) !== undefined ? this.exportedFrom(cd) : undefined;
    return target && ts.isClassDeclaration(target) ? target : undefined;
  }

  /** The class of a member: a property or constructor parameter typed with a class (NestJS injection), or `new X()`. */
  private memberClass(cls: ts.ClassLikeDeclaration, prop: string): ts.ClassLikeDeclaration | undefined {
    let type: ts.TypeNode | undefined;
    let init: ts.Expression | undefined;
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && nameText(m.name) === prop) {
        type = m.type;
        init = m.initializer;
      }
      if (ts.isConstructorDeclaration(m)) for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === prop) type = p.type;
    }
    let ref: ts.Identifier | undefined;
    if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) ref = type.typeName;
    else if (init && ts.isNewExpression(unwrap(init)) && ts.isIdentifier(unwrap((unwrap(init) as ts.NewExpression).expression))) ref = unwrap((unwrap(init) as ts.NewExpression).expression) as ts.Identifier;
    if (!ref) return undefined;
    const d = findDeclaration(ref);
    if (d && ts.isClassDeclaration(d)) return d;
    const target = d && importSource(d) !== undefined ? this.exportedFrom(d) : undefined;
    if (target && ts.isClassDeclaration(target)) return target;
    // Injected through an interface (ports and adapters): the one parsed class that implements it.
    const iface = d && ts.isInterfaceDeclaration(d) ? d : target && ts.isInterfaceDeclaration(target) ? target : undefined;
    return iface ? this.soleImplementation(iface.name.text) : undefined;
  }

  private implementations = new Map<string, ts.ClassDeclaration | null>();

  /** The class implementing `name` among the parsed files, when there is exactly one. */
  private soleImplementation(name: string): ts.ClassDeclaration | undefined {
    let found = this.implementations.get(name);
    if (found === undefined) {
      const classes: ts.ClassDeclaration[] = [];
      for (const f of this.parser.parsedFiles()) {
        walk(f.sf, (n) => {
          if (ts.isClassDeclaration(n) && n.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ImplementsKeyword && h.types.some((t) => ts.isIdentifier(t.expression) && t.expression.text === name))) classes.push(n);
          return undefined;
        });
      }
      found = classes.length === 1 ? classes[0] : null;
      this.implementations.set(name, found);
    }
    return found ?? undefined;
  }

  private classifyMember(cls: ts.ClassLikeDeclaration, prop: string, depth: number): Verdict {
    let verdict: Verdict = 'unknown';
    for (const m of cls.members) {
      if ((ts.isPropertyDeclaration(m) || ts.isGetAccessorDeclaration(m)) && nameText(m.name) === prop) {
        if (ts.isPropertyDeclaration(m)) {
          if (this.isStripeType(m.type)) return 'client';
          if (m.initializer) {
            const v = this.classifyStrict(m.initializer, depth + 1);
            if (v !== 'unknown') return v;
          }
        } else {
          if (this.isStripeType(m.type)) return 'client';
          const v = this.functionReturnsClient(m, depth + 1);
          if (v !== 'unknown') return v;
        }
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === prop && p.modifiers?.some((x) => ts.isModifier(x))) {
            if (this.isStripeType(p.type)) return 'client';
          }
        }
      }
    }
    // this.stripe = new Stripe(…) anywhere in the class
    walk(cls, (n) => {
      if (verdict === 'client') return false;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const l = unwrap(n.left);
        if (ts.isPropertyAccessExpression(l) && l.expression.kind === ts.SyntaxKind.ThisKeyword && l.name.text === prop) {
          if (this.classifyStrict(n.right, depth + 1) === 'client') verdict = 'client';
        }
      }
      return undefined;
    });
    return verdict;
  }

  /** The function a callee refers to (local declaration, const arrow, import, `this.method`). */
  resolveFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    callee = unwrap(callee);
    let node: ts.Node | undefined;
    if (ts.isIdentifier(callee)) {
      const d = findDeclaration(callee);
      if (!d) return undefined;
      node = importSource(d) !== undefined ? this.exportedFrom(d) : d;
      // const { onWebhook } = require('./controllers/billing')
      if (ts.isBindingElement(d) && ts.isObjectBindingPattern(d.parent) && ts.isVariableDeclaration(d.parent.parent) && d.parent.parent.initializer && requireSpecifier(d.parent.parent.initializer) !== undefined) {
        const from = this.fileOf(d);
        const mod = from && this.parser.importModule(from, requireSpecifier(d.parent.parent.initializer)!);
        node = mod && this.findExport(mod, nameText(d.propertyName ?? d.name) ?? '');
      }
    } else if (ts.isPropertyAccessExpression(callee)) {
      const obj = unwrap(callee.expression);
      const prop = callee.name.text;
      if (obj.kind === ts.SyntaxKind.ThisKeyword) {
        let cls: ts.Node | undefined = callee.parent;
        while (cls && !ts.isClassLike(cls)) cls = cls.parent;
        if (cls && ts.isClassLike(cls)) node = memberNamed(cls, prop);
      } else if (ts.isPropertyAccessExpression(obj) && unwrap(obj.expression).kind === ts.SyntaxKind.ThisKeyword) {
        // this.stripeService.constructEventFromPayload(…): a method of an injected service class
        let cls: ts.Node | undefined = callee.parent;
        while (cls && !ts.isClassLike(cls)) cls = cls.parent;
        const service = cls && ts.isClassLike(cls) ? this.memberClass(cls, obj.name.text) : undefined;
        if (service) node = memberNamed(service, prop);
      } else if (ts.isIdentifier(obj)) {
        const d = findDeclaration(obj);
        if (d && ts.isNamespaceImport(d)) {
          const mod = this.moduleOf(d);
          node = mod && this.findExport(mod, prop);
        } else if (d && ts.isVariableDeclaration(d) && d.initializer && requireSpecifier(d.initializer) !== undefined) {
          // const helpers = require('./helpers'); helpers.fn()
          const from = this.fileOf(d);
          const mod = from && this.parser.importModule(from, requireSpecifier(d.initializer)!);
          node = mod && this.findExport(mod, prop);
        } else if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isObjectLiteralExpression(unwrap(d.initializer))) {
          const p = (unwrap(d.initializer) as ts.ObjectLiteralExpression).properties.find((x) => nameText(x.name) === prop);
          node = p && ts.isMethodDeclaration(p) ? p : p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
        }
      }
    }
    return this.asFunction(node);
  }

  private asFunction(node: ts.Node | undefined): ts.FunctionLikeDeclaration | undefined {
    if (!node) return undefined;
    if (isFunctionLike(node)) return node;
    if (ts.isVariableDeclaration(node) && node.initializer) return this.asFunction(unwrap(node.initializer));
    if (ts.isPropertyDeclaration(node) && node.initializer) return this.asFunction(unwrap(node.initializer));
    if (ts.isExportAssignment(node)) return this.asFunction(unwrap(node.expression));
    if (ts.isIdentifier(node)) {
      const d = findDeclaration(node);
      return d ? this.asFunction(d) : undefined;
    }
    if (ts.isCallExpression(node)) {
      // memoize(() => new Stripe(…)), cache(fn)
      const arg = node.arguments[0];
      return arg ? this.asFunction(unwrap(arg)) : undefined;
    }
    return undefined;
  }

  functionReturnsClient(fn: ts.FunctionLikeDeclaration, depth: number): Verdict {
    if (this.isStripeType(fn.type)) return 'client';
    if (!fn.body) return 'unknown';
    if (!ts.isBlock(fn.body)) return this.classifyStrict(fn.body, depth + 1);
    let verdict: Verdict = 'unknown';
    walk(fn.body, (n) => {
      if (verdict === 'client') return false;
      if (n !== fn.body && isFunctionLike(n)) return false;
      if (ts.isReturnStatement(n) && n.expression) {
        const v = this.classifyStrict(n.expression, depth + 1);
        if (v === 'client') verdict = 'client';
        else if (v === 'not-client' && verdict === 'unknown') verdict = 'not-client';
      }
      return undefined;
    });
    return verdict;
  }

  private moduleOf(d: Decl): ParsedFile | undefined {
    const spec = importSource(d);
    const from = this.fileOf(d);
    return spec !== undefined && from ? this.parser.importModule(from, spec) : undefined;
  }

  /** Follow an import declaration to the exported node in the target module. */
  exportedFrom(d: Decl): ts.Node | undefined {
    const mod = this.moduleOf(d);
    if (!mod) return undefined;
    if (ts.isImportClause(d)) return this.findExport(mod, 'default');
    if (ts.isImportSpecifier(d)) return this.findExport(mod, (d.propertyName ?? d.name).text);
    if (ts.isImportEqualsDeclaration(d)) return this.findExport(mod, 'module.exports');
    return undefined;
  }

  /** The node that a module exports under `name` ('default' and 'module.exports' included): analysis/exports.ts. */
  findExport(mod: ParsedFile, name: string): ts.Node | undefined {
    return findExport(this.parser, mod, name);
  }
}

function memberNamed(cls: ts.ClassLikeDeclaration, name: string): ts.Node | undefined {
  for (const m of cls.members) if ((ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && nameText(m.name) === name) return m;
  return undefined;
}

function stringOf(n: ts.Node | undefined): string {
  return n && ts.isStringLiteral(n) ? n.text : '';
}

export function bindingInitializer(b: ts.BindingElement): ts.Expression | undefined {
  // Walk up nested patterns to the variable declaration's initializer (one level is what we need).
  const pattern = b.parent;
  const holder = pattern.parent;
  if (ts.isVariableDeclaration(holder)) return holder.initializer;
  return undefined;
}
