// Checkout fulfilment facts: where a webhook handler selects `checkout.session.completed`, what that branch
// does (the handler's effects that run in it, directly or in the helpers it calls), whether the handler
// reads `payment_status`, whether the app handles `checkout.session.async_payment_succeeded` anywhere, and
// which payment method types the app's Checkout Sessions allow. Neutral facts: the rule
// webhook-fulfillment-unpaid decides.
import path from 'node:path';
import { ts } from '#typescript';
import { findDeclaration, isFunctionLike, isInside, nameText, stringValue, unwrap, walkOwnBody } from '../analysis/ast.js';
import type { ParsedFile } from '../analysis/parse.js';
import type { StripeModel } from '../model.js';
import type { Effect, Reached, WebhookHandler } from './model.js';
import { findEffects } from './effects.js';

export const COMPLETED = 'checkout.session.completed';
export const ASYNC_SUCCEEDED = 'checkout.session.async_payment_succeeded';

export interface CompletedBranch {
  handler: WebhookHandler;
  file: ParsedFile;
  /** The literal that selects the event (`case 'checkout.session.completed':`, the `===` operand, the `.on()` name). */
  selector: ts.StringLiteralLike;
  /** What runs for that event: statements, or a function registered for it. */
  body: ts.Node[];
  /** The handler's effects that run in the branch (directly, or in helpers called from it). */
  effects: Effect[];
}

export interface SessionCreation {
  file: ParsedFile;
  node: ts.CallExpression;
  /** `payment_method_types` as a literal list; undefined when absent or not literal. */
  paymentMethodTypes?: string[];
  /** `mode: 'setup'` sessions take no payment. */
  mode?: string;
}

export interface FulfillmentFacts {
  branches: CompletedBranch[];
  /** Handlers (by entry function) whose reached code reads `payment_status`. */
  readsPaymentStatus: Set<ts.Node>;
  /** Files that name `checkout.session.async_payment_succeeded`. */
  asyncSucceededFiles: ParsedFile[];
  sessions: SessionCreation[];
  /** The directory of the package (a package.json declaring stripe) a file belongs to; the scan root when none. */
  packageOf(file: ParsedFile): string;
  /** The monorepo a file's package belongs to (its workspace root), else that package itself: apps scanned together without a shared workspace are separate projects. */
  projectOf(file: ParsedFile): string;
}

const memo = new WeakMap<StripeModel, FulfillmentFacts>();

export function fulfillmentFacts(model: StripeModel): FulfillmentFacts {
  let facts = memo.get(model);
  if (!facts) memo.set(model, (facts = compute(model)));
  return facts;
}

function compute(model: StripeModel): FulfillmentFacts {
  const branches: CompletedBranch[] = [];
  const readsPaymentStatus = new Set<ts.Node>();
  const fileOf = (n: ts.Node) => model.files.find((f) => f.sf === n.getSourceFile());
  for (const h of model.handlers) {
    const seen = new Set<ts.Node>();
    for (const r of h.reached) {
      walkOwnBody(r.fn, (n) => {
        if (ts.isIdentifier(n) && n.text === 'payment_status') readsPaymentStatus.add(h.entry.fn);
        if (ts.isStringLiteralLike(n) && n.text === 'payment_status') readsPaymentStatus.add(h.entry.fn);
        // handlers[event.type](event): the dispatch table's entries are branches too
        const table = ts.isElementAccessExpression(n) ? dispatchTable(n) : undefined;
        for (const key of table ?? (ts.isStringLiteralLike(n) ? [n] : [])) {
          if (key.text !== COMPLETED || seen.has(key)) continue;
          seen.add(key);
          const body = branchOf(key);
          if (!body) continue;
          branches.push({ handler: h, file: fileOf(key) ?? h.entry.file, selector: key, body, effects: effectsIn(h, body, fileOf) });
        }
      });
    }
  }
  const asyncSucceededFiles = model.files.filter((f) => f.text.includes(ASYNC_SUCCEEDED));
  const sessions: SessionCreation[] = model.apiCalls
    .filter((c) => c.method === 'checkout.sessions.create')
    .map((c) => {
      const params = objectLiteralOf(c.node.arguments[c.entry.optionsIndex - 1]);
      const types = params && literalStrings(propertyOf(params, 'payment_method_types'));
      return { file: c.file, node: c.node, paymentMethodTypes: types, mode: params ? stringValue(propertyOf(params, 'mode')) : undefined };
    });
  const dirs = model.packages.map((p) => p.dir).sort((a, b) => b.length - a.length);
  const packageOf = (f: ParsedFile) => dirs.find((d) => f.absPath.startsWith(d + path.sep)) ?? model.root;
  const workspaceOf = new Map(model.packages.map((p) => [p.dir, p.workspaceRoot ?? p.dir]));
  const projectOf = (f: ParsedFile) => {
    const dir = packageOf(f);
    return workspaceOf.get(dir) ?? dir;
  };
  return { branches, readsPaymentStatus, asyncSucceededFiles, sessions, packageOf, projectOf };
}

/** What runs when the event is `checkout.session.completed`, from the literal that selects it. */
function branchOf(lit: ts.StringLiteralLike): ts.Node[] | undefined {
  const p = lit.parent;
  // switch (event.type) { case 'checkout.session.completed': … } (with fall-through from empty cases)
  if (ts.isCaseClause(p) && p.expression === lit) {
    const clauses = p.parent.clauses;
    for (let i = clauses.indexOf(p); i < clauses.length; i++) if (clauses[i].statements.length) return [...clauses[i].statements];
    return undefined;
  }
  // stripe-event-router style: handlers.on('checkout.session.completed', fn) / { 'checkout.session.completed': fn }
  if (ts.isCallExpression(p) && p.arguments[0] === lit && p.arguments[1]) return functionBody(p.arguments[1]);
  if (ts.isPropertyAssignment(p) && p.name === lit) return functionBody(p.initializer);
  if (ts.isMethodDeclaration(p) && p.name === lit) return [p];
  // if (event.type === 'checkout.session.completed') { … }; if (type !== '…') return; …
  let cond: ts.Node = lit;
  let negated = false;
  if (ts.isBinaryExpression(p)) negated = p.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || p.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
  else if (!(ts.isArrayLiteralExpression(p) && ts.isPropertyAccessExpression(p.parent) && p.parent.name.text === 'includes')) return undefined;
  while (cond.parent && (ts.isBinaryExpression(cond.parent) || ts.isParenthesizedExpression(cond.parent) || ts.isPropertyAccessExpression(cond.parent) || ts.isCallExpression(cond.parent) || ts.isArrayLiteralExpression(cond.parent))) cond = cond.parent;
  const st = cond.parent;
  if (ts.isIfStatement(st) && st.expression === cond) {
    if (!negated) return [st.thenStatement];
    // if (event.type !== 'checkout.session.completed') return …; — the rest of the block is the branch
    if (ts.isBlock(st.parent) || ts.isSourceFile(st.parent)) {
      const statements = st.parent.statements;
      return statements.slice(statements.indexOf(st) + 1);
    }
  }
  if (ts.isConditionalExpression(st) && st.condition === cond) return [negated ? st.whenFalse : st.whenTrue];
  return undefined;
}

/** `handlers[event.type]` where `handlers` is an object literal in scope: its string keys. */
function dispatchTable(access: ts.ElementAccessExpression): ts.StringLiteralLike[] | undefined {
  const obj = objectLiteralOf(access.expression);
  if (!obj || ts.isStringLiteralLike(access.argumentExpression)) return undefined;
  const keys: ts.StringLiteralLike[] = [];
  for (const p of obj.properties) if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && ts.isStringLiteralLike(p.name)) keys.push(p.name);
  return keys;
}

function functionBody(expr: ts.Expression): ts.Node[] | undefined {
  let e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && isFunctionLike(d)) return [d];
    if (d && ts.isVariableDeclaration(d) && d.initializer) e = unwrap(d.initializer);
  }
  return isFunctionLike(e) ? [e] : undefined;
}

/** The handler's effects inside the branch, or in a function reached through a call made inside it. */
function effectsIn(h: WebhookHandler, body: ts.Node[], fileOf: (n: ts.Node) => ParsedFile | undefined): Effect[] {
  const inBranch = (n: ts.Node) => body.some((b) => b.getSourceFile() === n.getSourceFile() && isInside(n, b));
  const reachedThroughBranch = (r: Reached | undefined): boolean => {
    for (let x = r; x?.via; x = x.parent) if (inBranch(x.via)) return true;
    return false;
  };
  const owner = (n: ts.Node) => {
    let best: Reached | undefined;
    for (const r of h.reached) if (r.fn.getSourceFile() === n.getSourceFile() && isInside(n, r.fn) && (!best || isInside(r.fn, best.fn))) best = r;
    return best;
  };
  const out = h.effects.filter((e) => !computesOnly(e.node) && (inBranch(e.node) || reachedThroughBranch(owner(e.node))));
  // A function registered for the event that the handler's reach did not enter (a dispatch table).
  for (const b of body) {
    if (isFunctionLike(b) && !h.reached.some((r) => r.fn === b) && fileOf(b)) out.push(...findEffects([{ fn: b }], (n) => fileOf(n)!).filter((e) => !computesOnly(e.node)));
  }
  return out;
}

/** Methods that compute a value and change nothing (the effects model counts any call it does not know). */
const VALUE_METHODS = new Set(['slice', 'substring', 'toUpperCase', 'toLowerCase', 'trim', 'split', 'join', 'replace', 'replaceAll', 'padStart', 'padEnd', 'toFixed', 'toString', 'toISOString', 'concat', 'includes', 'startsWith', 'endsWith', 'at', 'map', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'indexOf', 'flat', 'flatMap', 'values', 'entries', 'keys', 'push', 'getTime', 'valueOf', 'charAt']);

function computesOnly(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = unwrap(node.expression);
  return ts.isPropertyAccessExpression(callee) && VALUE_METHODS.has(callee.name.text);
}

function objectLiteralOf(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return objectLiteralOf(d.initializer);
  }
  return undefined;
}

function propertyOf(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && nameText(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) {
      const d = findDeclaration(p.name);
      return d && ts.isVariableDeclaration(d) ? d.initializer : undefined;
    }
  }
  return undefined;
}

function literalStrings(expr: ts.Expression | undefined): string[] | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return undefined;
    e = unwrap(d.initializer);
  }
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const out: string[] = [];
  for (const el of e.elements) {
    const s = stringValue(el);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}
