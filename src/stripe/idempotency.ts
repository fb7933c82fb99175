// How a Stripe API call passes its idempotency key: where the request options are, whether they carry a
// key, what the key is made of, and whether the key sits somewhere the SDK does not read it.
import { ts } from '#typescript';
import { callSiteArguments, findDeclaration, isConstDecl, isFunctionLike, isModuleLevel, nameText, stringValue, unwrap, walk, accessPath, enclosingFunction } from '../analysis/ast.js';
import type { ApiCall } from './api-calls.js';
import type { StripeResolver } from './resolve.js';
import { REQUEST_OPTION_KEYS } from '../../rules/knowledge/stripe-methods.js';

export interface ResolvedObject {
  props: Map<string, ts.Expression>;
  /** False when part of the object comes from something the tool cannot see (a parameter, a spread). */
  complete: boolean;
}

export type Misplacement = 'in-params' | 'snake-case' | 'bare-string';

export interface KeyInfo {
  /** 'present': a key is passed; 'absent': surely none; 'unknown': cannot tell. */
  status: 'present' | 'absent' | 'unknown';
  key?: ts.Expression;
  misplaced?: { kind: Misplacement; node: ts.Node };
}

export function resolveObject(expr: ts.Expression | undefined, resolver: StripeResolver, depth = 0): ResolvedObject {
  const props = new Map<string, ts.Expression>();
  if (!expr || depth > 6) return { props, complete: false };
  const e = unwrap(expr);
  // `undefined` / `null` where options may go: no options on that path (a complete, empty object)
  if (e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e)) return { props, complete: true };
  if (ts.isObjectLiteralExpression(e)) {
    let complete = true;
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
        const k = nameText(p.name);
        if (k === undefined) complete = false;
        else props.set(k, ts.isPropertyAssignment(p) ? p.initializer : p.name);
      } else if (ts.isSpreadAssignment(p)) {
        const inner = resolveObject(p.expression, resolver, depth + 1);
        for (const [k, v] of inner.props) props.set(k, v);
        complete &&= inner.complete;
      } else complete = false;
    }
    return { props, complete };
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && ts.isParameter(d)) return objectFromCallSites(d, resolver, depth);
    if (d && ts.isVariableDeclaration(d) && d.initializer) {
      const base = resolveObject(d.initializer, resolver, depth + 1);
      // options.idempotencyKey = … after the declaration
      const scope = enclosingFunction(d) ?? d.getSourceFile();
      walk(scope, (n) => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && ts.isIdentifier(n.left.expression) && n.left.expression.text === e.text) {
          base.props.set(n.left.name.text, n.right);
        }
      });
      return base;
    }
    return { props, complete: false };
  }
  if (ts.isConditionalExpression(e)) {
    // Connect code picks the account per call: `acct ? { stripeAccount: acct } : undefined`. A key counts
    // only when every branch has one.
    const a = resolveObject(e.whenTrue, resolver, depth + 1);
    const b = resolveObject(e.whenFalse, resolver, depth + 1);
    for (const [k, v] of a.props) if (b.props.has(k)) props.set(k, v);
    return { props, complete: a.complete && b.complete };
  }
  if (ts.isCallExpression(e)) {
    // A helper in the same module that builds the options: function opts(id) { return { idempotencyKey: … } }
    const fn = resolver.resolveFunction(e.expression);
    if (fn && fn.getSourceFile() === e.getSourceFile() && fn.body) {
      const returns: ts.Expression[] = [];
      if (!ts.isBlock(fn.body)) returns.push(fn.body);
      else
        walk(fn.body, (n) => {
          if (n !== fn.body && isFunctionLike(n)) return false;
          if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
          return undefined;
        });
      if (returns.length === 1) return resolveObject(returns[0], resolver, depth + 1);
    }
    return { props, complete: false };
  }
  return { props, complete: false };
}

function isStringy(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || ts.isTemplateExpression(u)) return true;
  if (ts.isIdentifier(u)) {
    const d = findDeclaration(u);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return isStringy(d.initializer);
  }
  return false;
}

function headerKey(headers: ts.Expression | undefined, resolver: StripeResolver): ts.Expression | undefined {
  if (!headers) return undefined;
  const h = resolveObject(headers, resolver);
  for (const [k, v] of h.props) if (k.toLowerCase() === 'idempotency-key') return v;
  return undefined;
}

/**
 * A parameter of a function in this module (`const send = (stripe, params) => stripe.x.create(params)`):
 * what every call of it in the module passes. A property counts only when every call passes it.
 */
function objectFromCallSites(p: ts.ParameterDeclaration, resolver: StripeResolver, depth: number): ResolvedObject {
  const sites = p.dotDotDotToken ? [] : (callSiteArguments(p) ?? []).map((a) => resolveObject(a, resolver, depth + 1));
  if (!sites.length) return { props: new Map(), complete: false };
  const props = new Map([...sites[0].props].filter(([k]) => sites.every((s) => s.props.has(k))));
  return { props, complete: sites.every((s) => s.complete) };
}

/**
 * Reads the key of a call. `legacyOptionsHash`: stripe-node ≤21 treats an object made only of option keys,
 * in any trailing position, as the options (`confirm(id, { idempotencyKey })` works there).
 */
export function keyOf(call: ApiCall, resolver: StripeResolver, legacyOptionsHash: boolean): KeyInfo {
  const args = call.node.arguments;
  if (args.some((a) => ts.isSpreadElement(a))) return { status: 'unknown' };
  // Meter events carry their own dedup key: Stripe drops a second event with the same `identifier`.
  if (/(?:^|\.)meterEvents\.create$/.test(call.method)) {
    const params = resolveObject(args[0], resolver);
    const identifier = params.props.get('identifier');
    if (identifier) return { status: 'present', key: identifier };
    // The key may be in the part of the params the tool cannot see.
    if (!params.complete && !args[1]) return { status: 'unknown' };
  }
  const idx = call.entry.optionsIndex;
  const optionsArg = args[idx];
  const paramsArg = idx > 0 ? args[idx - 1] : undefined;

  // Options in the params slot (nothing after it).
  if (!optionsArg && paramsArg && !(call.method === 'rawRequest')) {
    const params = resolveObject(paramsArg, resolver);
    const keys = [...params.props.keys()];
    const onlyOptions = keys.length > 0 && keys.every((k) => REQUEST_OPTION_KEYS.has(k));
    if (params.props.has('idempotencyKey')) {
      if (onlyOptions && params.complete && legacyOptionsHash) return { status: 'present', key: params.props.get('idempotencyKey') };
      return { status: 'absent', misplaced: { kind: 'in-params', node: params.props.get('idempotencyKey')!.parent ?? paramsArg } };
    }
  }
  if (!optionsArg) return { status: 'absent' };
  if (isStringy(optionsArg)) return { status: 'absent', misplaced: { kind: 'bare-string', node: optionsArg } };
  const opts = resolveObject(optionsArg, resolver);
  const key = opts.props.get('idempotencyKey') ?? headerKey(opts.props.get('headers'), resolver);
  if (key) return { status: 'present', key };
  if (opts.props.has('idempotency_key')) return { status: 'absent', misplaced: { kind: 'snake-case', node: opts.props.get('idempotency_key')!.parent } };
  // Also the params object may wrongly hold the key when options exist.
  if (paramsArg) {
    const params = resolveObject(paramsArg, resolver);
    if (params.props.has('idempotencyKey')) return { status: 'absent', misplaced: { kind: 'in-params', node: params.props.get('idempotencyKey')!.parent ?? paramsArg } };
  }
  return { status: opts.complete ? 'absent' : 'unknown' };
}

/** A key that is the same for every request: a literal, a template without substitutions, a constant. */
export function isConstantKey(key: ts.Expression): boolean {
  const u = unwrap(key);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || ts.isNumericLiteral(u)) return true;
  if (ts.isIdentifier(u)) {
    const d = findDeclaration(u);
    if (d && ts.isVariableDeclaration(d) && d.initializer && isConstDecl(d)) {
      const init = unwrap(d.initializer);
      return ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init);
    }
  }
  if (ts.isPropertyAccessExpression(u)) {
    // CONFIG.PAYOUT_KEY where CONFIG is a module-level object literal of constants
    const base = unwrap(u.expression);
    if (ts.isIdentifier(base)) {
      const d = findDeclaration(base);
      if (d && ts.isVariableDeclaration(d) && d.initializer && isModuleLevel(d) && ts.isObjectLiteralExpression(unwrap(d.initializer))) {
        const p = (unwrap(d.initializer) as ts.ObjectLiteralExpression).properties.find((x) => nameText(x.name) === u.name.text);
        return !!p && ts.isPropertyAssignment(p) && (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer));
      }
    }
  }
  return false;
}

const RANDOM_CALLS = /^(randomUUID|uuid|v4|uuidv4|uuidV4|nanoid|cuid|cuid2|createId|ulid|random|now|randomBytes|getTime|generateId|uniqid)$/;

/** Where a random key is generated: the random call itself, following a local variable. */
export function randomOrigin(key: ts.Expression, depth = 0): ts.Node | undefined {
  if (depth > 3) return undefined;
  let found: ts.Node | undefined;
  walk(key, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n)) {
      const p = accessPath(n.expression);
      const last = p?.[p.length - 1] ?? (ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : undefined);
      if (last && RANDOM_CALLS.test(last) && !(last === 'now' && p?.[0] === 'performance')) {
        if (last !== 'random' || p?.[0] === 'Math') found = n;
      }
    } else if (ts.isIdentifier(n) && n !== key.parent) {
      const d = findDeclaration(n);
      if (d && ts.isVariableDeclaration(d) && d.initializer && !isModuleLevel(d)) {
        const inner = randomOrigin(d.initializer, depth + 1);
        if (inner) found = inner;
      }
    }
    return undefined;
  });
  return found;
}

const RETRY_WRAPPERS = /^(pRetry|retry|asyncRetry|backOff|backoff|promiseRetry|withRetry|withRetries|retryAsync|retryable|retryWithBackoff|exponentialBackoff|attempt)$/i;

/** The smallest unit that re-runs the call on failure (a retry loop, a retry callback, a recursive function). */
export function retriedUnit(call: ts.Node): ts.Node | undefined {
  const fn = enclosingFunction(call);
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) {
      // a retry loop: the call sits in a try inside the loop
      let inTry = false;
      for (let m: ts.Node = call; m !== n; m = m.parent) if (ts.isTryStatement(m.parent) && m === m.parent.tryBlock) inTry = true;
      if (inTry) return n;
    }
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n as ts.Expression)) {
      const p = accessPath(n.parent.expression);
      if (p && RETRY_WRAPPERS.test(p[p.length - 1])) return n;
    }
    if (isFunctionLike(n)) break;
  }
  // A function that calls itself from its catch.
  if (fn) {
    const name = fn.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
    if (name) {
      let recursive = false;
      walk(fn, (n) => {
        if (recursive) return false;
        if (ts.isCatchClause(n)) {
          walk(n, (m) => {
            if (ts.isCallExpression(m)) {
              const p = accessPath(m.expression);
              if (p && p[p.length - 1] === name) recursive = true;
            }
          });
          return false;
        }
        return undefined;
      });
      if (recursive) return fn;
    }
  }
  return undefined;
}

export function keyText(key: ts.Expression): string {
  return unwrap(key).getText().replace(/\s+/g, '');
}

/** Two nodes on mutually exclusive branches (if/else, different switch cases, ternary arms)? */
export function mutuallyExclusive(a: ts.Node, b: ts.Node): boolean {
  const ancestorsA: ts.Node[] = [];
  for (let n: ts.Node | undefined = a; n; n = n.parent) ancestorsA.push(n);
  const setA = new Set(ancestorsA);
  let childB: ts.Node = b;
  let lca: ts.Node | undefined = b.parent;
  while (lca && !setA.has(lca)) {
    childB = lca;
    lca = lca.parent;
  }
  if (!lca) return false;
  const childA = ancestorsA[ancestorsA.indexOf(lca) - 1];
  if (ts.isIfStatement(lca)) return (childA === lca.thenStatement && childB === lca.elseStatement) || (childB === lca.thenStatement && childA === lca.elseStatement);
  if (ts.isConditionalExpression(lca)) return childA !== lca.condition && childB !== lca.condition && childA !== childB;
  if (ts.isCaseBlock(lca)) return childA !== childB;
  return false;
}

export { stringValue };

/**
 * The tier a call has at this call site. `paymentIntents.create` moves money only when it confirms
 * (`confirm: true`, or `off_session` which needs it); an unconfirmed intent is confirmed later by the
 * client, and a duplicate is an orphan intent, not a second charge: billable, not money. An invoice paid
 * out of band (`paid_out_of_band: true`) charges nothing: other. A subscription update that starts a new
 * billing cycle now (`billing_cycle_anchor: 'now'`) charges: money.
 */
export function effectiveTier(call: ApiCall, resolver: StripeResolver): ApiCall['entry']['tier'] {
  if (call.method === 'invoices.pay') {
    // paid_out_of_band: true records a payment made elsewhere: nothing is charged, and a paid invoice
    // cannot be paid again.
    const oob = resolveObject(call.node.arguments[1], resolver).props.get('paid_out_of_band');
    return oob && unwrap(oob).kind === ts.SyntaxKind.TrueKeyword ? 'other' : call.entry.tier;
  }
  if (call.method === 'subscriptions.update') {
    // A new billing cycle from now invoices and charges at once, and a retry starts (and bills) yet
    // another. (Prorations invoiced at once are not: a retried identical update changes nothing.)
    const anchor = resolveObject(call.node.arguments[1], resolver).props.get('billing_cycle_anchor');
    return stringValue(anchor) === 'now' ? 'money' : call.entry.tier;
  }
  if (call.method !== 'paymentIntents.create') return call.entry.tier;
  const params = resolveObject(call.node.arguments[0], resolver);
  if (!params.complete) return call.entry.tier;
  const confirm = params.props.get('confirm');
  const offSession = params.props.get('off_session');
  const isFalse = (e: ts.Expression | undefined) => !e || unwrap(e).kind === ts.SyntaxKind.FalseKeyword;
  return isFalse(confirm) && isFalse(offSession) ? 'billable' : 'money';
}
