// Request provenance: does a value come from what the client sent (the request body, query, route
// params, form data, a server action's or an RPC procedure's arguments)? Followed backwards through
// local variables, destructuring, arithmetic, array callbacks, helpers' return values and helpers'
// parameters (to what their callers pass, in any parsed module). A value read from the server's own data
// (a database row, `stripe.prices.retrieve`, a price table) looked up by an id the client sent is not the
// client's: only a call the tool knows to pass its argument through (Number, Math.round, a schema's
// parse, a helper of the app whose return value it reads) keeps the client's value.
import fs from 'node:fs';
import path from 'node:path';
import { ts } from '#typescript';
import { discover } from '../scan/discover.js';
import { MAX_FILE_BYTES } from '../scan/filter.js';
import { accessPath, callSiteArguments, findDeclaration, isFunctionLike, nameText, stringValue, unwrap, walk, type Decl } from '../analysis/ast.js';
import type { ParsedFile } from '../analysis/parse.js';
import type { StripeResolver } from './resolve.js';

/** A value the client controls: the request read it starts at, and the path read from there. */
export interface ClientValue {
  kind: 'client';
  /** The request read (`req.body`, `await request.json()`, the server action's parameter). */
  source: ts.Node;
  /** The source as code, for messages: 'req.body', 'request.json()', 'amount'. */
  sourceText: string;
  /** What kind of client input a parameter is: 'server action argument', '@Body()'. */
  label?: string;
  path: string[];
}

/**
 * A framework object the client's data is read from: 'request' (req, request: `.body`, `.json()`),
 * 'context' (ctx, c, event: `.request`, `.req`, Koa's `.query`, Lambda's `.body`), 'callable' (a
 * Firebase v2 callable's request: `.data`), 'procedure' (tRPC / next-safe-action options: `.input`).
 */
interface FrameworkObject {
  kind: 'request' | 'context' | 'callable' | 'procedure';
  text: string;
}

/** An object literal the app builds (a helper's `return { total, fee }`): its properties are read where they are used. */
interface ObjectValue {
  kind: 'object';
  node: ts.ObjectLiteralExpression;
  frame?: Frame;
}

type Value = ClientValue | FrameworkObject | ObjectValue | undefined;

/** A helper entered from a call: its parameters are that call's arguments. */
interface Frame {
  fn: ts.FunctionLikeDeclaration;
  args: readonly ts.Expression[];
  parent?: Frame;
}

// What a read on a framework object yields: the client's data, or another framework object.
const READS: Record<FrameworkObject['kind'], { client: ReadonlySet<string>; request?: ReadonlySet<string> }> = {
  request: { client: new Set(['body', 'query', 'params', 'url', 'nextUrl', 'searchParams']) },
  context: { client: new Set(['query', 'params', 'body', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'url']), request: new Set(['request', 'req']) },
  callable: { client: new Set(['data']) },
  procedure: { client: new Set(['input', 'parsedInput', 'rawInput']) },
};
/** Methods of a request that return the client's data (Fetch Request, Hono's `c.req`, Express's `req.param`). */
const REQUEST_METHODS = new Set(['json', 'formData', 'text', 'valid', 'param', 'query', 'queries', 'parseBody']);
/** h3 / Nuxt readers: `await readBody(event)`. */
const H3_READERS = new Set(['readBody', 'readValidatedBody', 'readFormData', 'readMultipartFormData', 'getQuery', 'getValidatedQuery', 'getRouterParam', 'getRouterParams', 'getValidatedRouterParams']);
/** Functions that hand back (a form of) their argument. */
const PASS_THROUGH = new Set(['Number', 'parseInt', 'parseFloat', 'String', 'BigInt', 'Decimal', 'Big', 'BigNumber', 'round', 'floor', 'ceil', 'trunc', 'abs', 'max', 'min', 'fromEntries', 'assign', 'structuredClone', 'URL', 'URLSearchParams']);
const PASS_THROUGH_OWNERS = new Set(['Math', 'Number', 'JSON', 'Object']);
/** Schema validation (zod, yup, joi, valibot) and parsing hand back the value they were given, whatever the receiver. */
const PARSERS = new Set(['parse', 'parseAsync', 'safeParse', 'safeParseAsync', 'validate', 'validateSync', 'validateAsync', 'cast']);
/** Array methods whose callback's first parameter is an element of the receiver (reduce: the second). */
const ELEMENT_CALLBACKS = new Set(['map', 'flatMap', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'reduce', 'reduceRight', 'sort', 'findIndex']);
/** Calls whose callback computes the result from the receiver's elements. */
const RESULT_FROM_CALLBACK = new Set(['map', 'flatMap', 'reduce', 'reduceRight']);

/** Names a request takes in handlers; the type name settles the rest (`r: NextRequest`). */
const REQUEST_NAMES = /^_?(req|request)$/;
const CONTEXT_NAMES = /^_?(ctx|context|c|event|evt)$/;
const REQUEST_TYPE = /(?:^|\.)\w*Request$/;
const CONTEXT_TYPE = /(?:^|\.)(\w*Context|RequestEvent|H3Event|APIGatewayProxyEvent\w*|HandlerEvent)$/;

/** Counts, not prices: a server price times a quantity the client picks is the server's amount. */
const QUANTITY = /^(qty|quantity|quantities|count|length|seats|units|nights|days|weeks|months|years|hours|tickets|guests|people|persons|licenses|size)$|quantity$|count$/i;

const MAX_DEPTH = 14;

export function isPriceValue(v: Value): v is ClientValue {
  const last = v?.kind === 'client' ? v.path[v.path.length - 1]?.replace(/^get\('(.*)'\)$/, '$1') : undefined;
  return !!v && v.kind === 'client' && !(last && QUANTITY.test(last));
}

/** `req.body.items[].price`, `(await request.formData()).get('price')`, `server action argument amount`. */
export function describeClientValue(v: ClientValue): string {
  const path = v.path.map((p) => (p === '[]' || p.startsWith('get(') ? (p === '[]' ? p : `.${p}`) : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p}']`)).join('');
  const base = /^[\w$.]*$/.test(v.sourceText) || !v.path.length ? v.sourceText : `(await ${v.sourceText})`;
  return `${v.label ? `${v.label} ` : ''}${`${base}${path}`.replace(/^\./, '')}`;
}

export class RequestProvenance {
  private callIndex?: Map<string, ts.CallExpression[]>;
  private readonly inProgress = new Set<ts.Node>();
  private readonly memo = new Map<ts.Node, Value>();
  private readonly callable = new Map<ts.Node, boolean>();
  private readonly packageFiles = new Map<string, string[]>();

  constructor(
    private readonly resolver: StripeResolver,
    private readonly files: () => ParsedFile[],
    /** Absolute scan root: nothing outside it is read. */
    private readonly root: string,
  ) {}

  /** The client value an expression carries, if it carries one. */
  clientValue(expr: ts.Expression): ClientValue | undefined {
    const v = this.valueOf(expr, undefined, 0);
    return v && v.kind === 'client' ? v : undefined;
  }

  private valueOf(expr: ts.Expression, frame: Frame | undefined, depth: number): Value {
    if (depth > MAX_DEPTH) return undefined;
    const e = unwrap(expr);
    if (!frame) {
      if (this.memo.has(e)) return this.memo.get(e);
      if (this.inProgress.has(e)) return undefined;
      this.inProgress.add(e);
      const v = this.compute(e, frame, depth);
      this.inProgress.delete(e);
      this.memo.set(e, v);
      return v;
    }
    return this.compute(e, frame, depth);
  }

  private compute(e: ts.Expression, frame: Frame | undefined, depth: number): Value {
    const d = depth + 1;
    if (ts.isIdentifier(e)) return this.identifierValue(e, frame, d);
    if (ts.isPropertyAccessExpression(e)) return this.read(this.valueOf(e.expression, frame, d), e.name.text, e, d);
    if (ts.isElementAccessExpression(e)) return this.read(this.valueOf(e.expression, frame, d), stringValue(e.argumentExpression) ?? '[]', e, d);
    if (ts.isObjectLiteralExpression(e)) return { kind: 'object', node: e, frame };
    if (ts.isCallExpression(e)) return this.callValue(e, frame, d);
    if (ts.isNewExpression(e)) {
      const name = accessPath(e.expression)?.slice(-1)[0];
      return name && PASS_THROUGH.has(name) && e.arguments?.[0] ? this.firstPrice(e.arguments.slice(0, 1), frame, d) : undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken) return this.valueOf(e.right, frame, d);
      if (op === ts.SyntaxKind.EqualsToken) return this.valueOf(e.right, frame, d);
      if (ARITHMETIC.has(op)) return this.firstPrice([e.left, e.right], frame, d);
      return undefined;
    }
    if (ts.isConditionalExpression(e)) return this.firstPrice([e.whenTrue, e.whenFalse], frame, d);
    if (ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.PlusToken || e.operator === ts.SyntaxKind.MinusToken)) return this.valueOf(e.operand, frame, d);
    if (ts.isTemplateExpression(e)) return this.firstPrice(e.templateSpans.map((s) => s.expression), frame, d);
    return undefined;
  }

  /** A property read: of an object literal, its property's value; otherwise see `extend`. */
  private read(base: Value, seg: string, node: ts.Node, depth: number): Value {
    if (base?.kind !== 'object') return extend(base, seg, node);
    for (const p of base.node.properties) {
      if (ts.isPropertyAssignment(p) && nameText(p.name) === seg) return this.valueOf(p.initializer, base.frame, depth + 1);
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === seg) return this.valueOf(p.name, base.frame, depth + 1);
      if (ts.isSpreadAssignment(p)) {
        const inner = this.read(this.valueOf(p.expression, base.frame, depth + 1), seg, node, depth + 1);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  /** The first operand that carries a client price (a client quantity alone does not make an amount). */
  private firstPrice(exprs: readonly ts.Expression[], frame: Frame | undefined, depth: number): Value {
    for (const x of exprs) {
      const v = this.valueOf(x, frame, depth);
      if (isPriceValue(v)) return v;
    }
    return undefined;
  }

  private identifierValue(id: ts.Identifier, frame: Frame | undefined, depth: number): Value {
    if (id.text === 'undefined') return undefined;
    const d = findDeclaration(id);
    if (!d) return undefined;
    return this.declarationValue(d, frame, depth);
  }

  private declarationValue(d: Decl, frame: Frame | undefined, depth: number): Value {
    if (ts.isBindingElement(d)) return this.bindingValue(d, frame, depth);
    if (ts.isParameter(d)) return this.parameterValue(d, frame, depth);
    if (ts.isVariableDeclaration(d)) {
      if (ts.isVariableDeclarationList(d.parent) && ts.isForOfStatement(d.parent.parent)) return extend(this.valueOf(d.parent.parent.expression, frame, depth), '[]', d);
      const values: ts.Expression[] = d.initializer ? [d.initializer] : [];
      if (ts.isVariableDeclarationList(d.parent) && !(d.parent.flags & ts.NodeFlags.Const) && ts.isIdentifier(d.name)) values.push(...assignmentsTo(d.name));
      for (const x of values) {
        const v = this.valueOf(x, frame, depth);
        if (v) return v;
      }
    }
    return undefined;
  }

  /** `const { amount } = req.body`, `({ request }) =>`, `function f({ amount })`: the root's value, then the path. */
  private bindingValue(b: ts.BindingElement, frame: Frame | undefined, depth: number): Value {
    const path: string[] = [];
    let node: ts.Node = b;
    while (ts.isBindingElement(node)) {
      const pattern: ts.BindingPattern = node.parent;
      path.unshift(ts.isArrayBindingPattern(pattern) ? '[]' : (nameText(node.propertyName ?? (ts.isIdentifier(node.name) ? node.name : undefined)) ?? '?'));
      node = pattern.parent;
    }
    let root: Value;
    if (ts.isParameter(node)) {
      // A destructured request (`({ request, params }) =>`) is the framework's object itself.
      const own = ts.isIdentifier(b.name) && path.length === 1 ? frameworkObject(b.name.text, undefined) : undefined;
      if (own && !arrayCallbackOf(node.parent)) return own;
      root = this.parameterValue(node, frame, depth);
    } else if (ts.isVariableDeclaration(node)) root = this.declarationValue(node, frame, depth);
    for (const seg of path) root = this.read(root, seg, b, depth);
    return root;
  }

  private parameterValue(p: ts.ParameterDeclaration, frame: Frame | undefined, depth: number): Value {
    const fn = p.parent;
    if (!isFunctionLike(fn)) return undefined;
    const index = fn.parameters.indexOf(p);
    for (let f = frame; f; f = f.parent) if (f.fn === fn) return f.args[index] ? this.valueOf(f.args[index], f.parent, depth) : undefined;
    // An element of the array a callback iterates.
    const arrayCall = arrayCallbackOf(fn);
    if (arrayCall) {
      const method = (arrayCall.expression as ts.PropertyAccessExpression).name.text;
      const elementIndex = method === 'reduce' || method === 'reduceRight' ? 1 : 0;
      if (index !== elementIndex) return undefined;
      return extend(this.valueOf((arrayCall.expression as ts.PropertyAccessExpression).expression, frame, depth), '[]', p);
    }
    const entry = clientParameter(p, index, (f, q) => this.clientCallable(f, q));
    if (entry) return entry;
    if (ts.isIdentifier(p.name)) {
      const own = frameworkObject(p.name.text, p.type);
      if (own) return own;
    }
    // A helper's parameter: what its callers pass.
    if (p.dotDotDotToken) return undefined;
    for (const arg of this.callerArguments(fn, index)) {
      const v = arg && this.valueOf(arg, undefined, depth);
      if (v && v.kind !== 'object' && (v.kind !== 'client' || v.path.length === 0 || isPriceValue(v))) return v;
    }
    return undefined;
  }

  private callValue(call: ts.CallExpression, frame: Frame | undefined, depth: number): Value {
    const callee = unwrap(call.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (!name) return undefined;
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = this.valueOf(callee.expression, frame, depth);
      if (receiver?.kind === 'request' && REQUEST_METHODS.has(name)) return { kind: 'client', source: call, sourceText: call.getText().replace(/\s+/g, ''), path: [] };
      if (receiver?.kind === 'client') {
        if (name === 'get' || name === 'getAll') return extend(receiver, `get('${stringValue(call.arguments[0]) ?? '…'}')`, call);
        if (RESULT_FROM_CALLBACK.has(name)) return this.callbackResult(call, name, frame, depth);
        if (name === 'find' || name === 'findLast' || name === 'at' || name === 'pop' || name === 'shift') return extend(receiver, '[]', call);
        return receiver; // toString(), trim(), toFixed(), filter(), slice(), …
      }
      if (receiver) return undefined;
      if (RESULT_FROM_CALLBACK.has(name)) return this.callbackResult(call, name, frame, depth);
      const owner = accessPath(callee.expression);
      if ((PASS_THROUGH.has(name) && owner?.length === 1 && PASS_THROUGH_OWNERS.has(owner[0])) || (PARSERS.has(name) && !this.resolver.resolveFunction(callee))) return this.firstPrice(call.arguments.slice(0, 1), frame, depth) ?? this.clientArgument(call, frame, depth);
    } else {
      if (H3_READERS.has(name)) {
        const arg = call.arguments[0] && this.valueOf(call.arguments[0], frame, depth);
        if (arg && arg.kind !== 'client') return { kind: 'client', source: call, sourceText: call.getText().replace(/\s+/g, ''), path: [] };
      }
      if (PASS_THROUGH.has(name)) return this.firstPrice(call.arguments.slice(0, 1), frame, depth) ?? this.clientArgument(call, frame, depth);
    }
    // A helper of the app: what it returns, with its parameters bound to this call's arguments.
    const fn = this.resolver.resolveFunction(callee);
    if (!fn?.body || depth > MAX_DEPTH - 4) return undefined;
    for (let f = frame; f; f = f.parent) if (f.fn === fn) return undefined; // recursion
    const inner: Frame = { fn, args: call.arguments, parent: frame };
    for (const r of returnedExpressions(fn)) {
      const v = this.valueOf(r, inner, depth);
      if (isPriceValue(v) || v?.kind === 'object') return v;
    }
    return undefined;
  }

  /** `JSON.parse(event.body)`, `schema.parse(await req.json())`: a whole client object passed through. */
  private clientArgument(call: ts.CallExpression, frame: Frame | undefined, depth: number): Value {
    const v = call.arguments[0] && this.valueOf(call.arguments[0], frame, depth);
    return v?.kind === 'client' ? v : undefined;
  }

  /** `items.reduce((sum, i) => sum + i.price * i.qty, 0)`: the callback's result (or reduce's start value). */
  private callbackResult(call: ts.CallExpression, method: string, frame: Frame | undefined, depth: number): Value {
    const cb = call.arguments[0] && unwrap(call.arguments[0]);
    const exprs: ts.Expression[] = cb && isFunctionLike(cb) ? returnedExpressions(cb) : [];
    if ((method === 'reduce' || method === 'reduceRight') && call.arguments[1]) exprs.push(call.arguments[1]);
    return this.firstPrice(exprs, frame, depth);
  }

  /**
   * A server action the browser can call: a form action (its data is FormData), an inline action, or one a
   * 'use client' module of its package imports or a form names (`action={fn}`). Next.js exposes only the
   * actions client code references; an action that only server components call gets its arguments from
   * them, and those are followed instead.
   */
  private clientCallable(fn: ts.FunctionLikeDeclaration, p: ts.ParameterDeclaration): boolean {
    if ((p.type && /\bFormData\b/.test(p.type.getText())) || (ts.isIdentifier(p.name) && /^formData$/i.test(p.name.text))) return true;
    if (fn.body && ts.isBlock(fn.body) && hasUseServer(fn.body.statements)) return true;
    const name = functionName(fn);
    if (!name) return false;
    let verdict = this.callable.get(fn);
    if (verdict === undefined) {
      const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
      const formAction = new RegExp(`[aA]ction=\\{\\s*${name.replace(/\$/g, '\\$')}\\b`);
      verdict = this.sourcesNear(fn.getSourceFile().fileName).some((text) => word.test(text) && (/^\s*(['"])use client\1/.test(text) || formAction.test(text)));
      this.callable.set(fn, verdict);
    }
    return verdict;
  }

  /**
   * The texts of the source files of the package that holds `file` (its nearest package.json inside the
   * scan root), other than `file`: client components are seldom among the parsed files. Read on demand
   * (only for a server action whose argument reaches a charge), with discovery's own walker and limits.
   */
  private realRootPrefix?: string;

  private realRoot(): string {
    if (this.realRootPrefix === undefined) {
      let real = this.root;
      try {
        real = fs.realpathSync(this.root);
      } catch {
        // keep the given path
      }
      this.realRootPrefix = real.endsWith(path.sep) ? real : real + path.sep;
    }
    return this.realRootPrefix;
  }

  private sourcesNear(file: string): string[] {
    let dir = path.dirname(file);
    while (dir.startsWith(this.root) && dir !== this.root && !fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    if (!dir.startsWith(this.root)) dir = this.root;
    let files = this.packageFiles.get(dir);
    if (!files) {
      files = discover({ root: dir, paths: [dir], includeTests: false, ignore: [] }).files.map((f) => f.absPath).filter((f) => f !== file && /\.[cm]?[jt]sx?$/.test(f));
      this.packageFiles.set(dir, files);
    }
    const out: string[] = [];
    for (const f of files) {
      try {
        // never a link out of the tree, never a special file
        const real = fs.realpathSync(f);
        const st = fs.statSync(real);
        if (real.startsWith(this.realRoot()) && st.isFile() && st.size <= MAX_FILE_BYTES) out.push(fs.readFileSync(real, 'utf8'));
      } catch {
        // unreadable: skip
      }
    }
    return out;
  }

  /** What the callers of `fn` pass at `index`: this module's calls by name, then calls in any parsed module that resolve to it. */
  private callerArguments(fn: ts.FunctionLikeDeclaration, index: number): Array<ts.Expression | undefined> {
    const out: Array<ts.Expression | undefined> = [];
    const param = fn.parameters[index];
    if (param) out.push(...(callSiteArguments(param) ?? []));
    const name = functionName(fn);
    if (!name) return out;
    for (const call of this.callsNamed(name)) {
      if (call.getSourceFile() === fn.getSourceFile() && ts.isIdentifier(call.expression)) continue; // counted above
      if (this.resolver.resolveFunction(call.expression) === fn) out.push(call.arguments[index]);
    }
    return out;
  }

  private callsNamed(name: string): ts.CallExpression[] {
    if (!this.callIndex) {
      const index = new Map<string, ts.CallExpression[]>();
      for (const f of this.files()) {
        walk(f.sf, (n) => {
          if (!ts.isCallExpression(n)) return;
          const callee = unwrap(n.expression);
          const key = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
          if (!key) return;
          let list = index.get(key);
          if (!list) index.set(key, (list = []));
          list.push(n);
        });
      }
      this.callIndex = index;
    }
    return this.callIndex.get(name) ?? [];
  }
}

const ARITHMETIC = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.BarBarToken,
]);

/** A read on a value: a framework object yields the client's data or another framework object; the client's data yields more of it. */
function extend(base: Value, seg: string, node: ts.Node): Value {
  if (!base || base.kind === 'object') return undefined;
  if (base.kind === 'client') return { ...base, path: [...base.path, seg] };
  const reads = READS[base.kind];
  const text = base.text ? `${base.text}.${seg}` : seg;
  if (reads.request?.has(seg)) return { kind: 'request', text };
  if (reads.client.has(seg)) return { kind: 'client', source: node, sourceText: text, path: [] };
  return undefined;
}

/** A parameter that is a request or a handler context, by its name or its type. */
function frameworkObject(name: string, type: ts.TypeNode | undefined): FrameworkObject | undefined {
  const typeName = type && ts.isTypeReferenceNode(type) ? type.typeName.getText() : undefined;
  if (typeName && CONTEXT_TYPE.test(typeName)) return { kind: 'context', text: name };
  if (typeName && REQUEST_TYPE.test(typeName) && !/stripe/i.test(typeName)) return { kind: 'request', text: name };
  if (REQUEST_NAMES.test(name)) return { kind: 'request', text: name };
  if (CONTEXT_NAMES.test(name)) return { kind: 'context', text: name };
  return undefined;
}

/**
 * Parameters whose whole value the client chooses: a Next.js server action's arguments, a Firebase
 * callable's data, NestJS `@Body()` / `@Query()` / `@Param()`, a tRPC or next-safe-action procedure's
 * options, a Convex public function's args.
 */
function clientParameter(p: ts.ParameterDeclaration, index: number, clientCallable: (fn: ts.FunctionLikeDeclaration, p: ts.ParameterDeclaration) => boolean): Value {
  const fn = p.parent as ts.FunctionLikeDeclaration;
  const name = ts.isIdentifier(p.name) ? p.name.text : '';
  const decorators = ts.canHaveDecorators(p) ? (ts.getDecorators(p) ?? []) : [];
  for (const dec of decorators) {
    const call = ts.isCallExpression(dec.expression) ? dec.expression : undefined;
    const dn = call && ts.isIdentifier(call.expression) ? call.expression.text : undefined;
    if (dn === 'Body' || dn === 'Query' || dn === 'Param') {
      const field = stringValue(call!.arguments[0]);
      return { kind: 'client', source: p, sourceText: name, label: `@${dn}(${field ? `'${field}'` : ''})`, path: [] };
    }
  }
  if (isServerAction(fn) && clientCallable(fn, p)) return { kind: 'client', source: p, sourceText: name, label: 'server action argument', path: [] };
  const call = ts.isCallExpression(fn.parent) && fn.parent.arguments.includes(fn as ts.Expression) ? fn.parent : undefined;
  const calleeName = call ? lastName(call.expression) : undefined;
  if (calleeName === 'onCall') {
    if (fn.parameters.length >= 2 && index === 0) return { kind: 'client', source: p, sourceText: name, label: 'callable data', path: [] };
    if (fn.parameters.length === 1) return { kind: 'callable', text: name };
  }
  if (calleeName && /^(mutation|query|action|subscription)$/.test(calleeName) && index === 0 && call && ts.isPropertyAccessExpression(unwrap(call.expression))) return { kind: 'procedure', text: name };
  // GraphQL resolvers: Mutation: { createPaymentIntent(_, { items }) { … } } — the second parameter is the client's arguments.
  if (index === 1 && (ts.isMethodDeclaration(fn) || ts.isPropertyAssignment(fn.parent)) && resolverMap(fn)) return { kind: 'client', source: p, sourceText: name, label: 'GraphQL args', path: [] };
  // Convex: mutation({ args, handler: async (ctx, args) => … }) — callable from any browser (internal* are not).
  if (index === 1 && ts.isPropertyAssignment(fn.parent) && nameText(fn.parent.name) === 'handler') {
    const outer = fn.parent.parent.parent;
    const outerName = ts.isCallExpression(outer) ? lastName(outer.expression) : undefined;
    if (outerName && /^(mutation|action|query)$/.test(outerName)) return { kind: 'client', source: p, sourceText: name, label: 'Convex args', path: [] };
  }
  return undefined;
}

/** `Mutation: { … }` / `Query: { … }`: the object a resolver function belongs to. */
function resolverMap(fn: ts.FunctionLikeDeclaration): boolean {
  const obj = ts.isMethodDeclaration(fn) ? fn.parent : fn.parent.parent;
  const owner = obj && ts.isObjectLiteralExpression(obj) ? obj.parent : undefined;
  return !!owner && ts.isPropertyAssignment(owner) && /^(Mutation|Query)$/.test(nameText(owner.name) ?? '');
}

/** A function with its own 'use server' directive, or exported from a module that starts with one. */
function isServerAction(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.body && ts.isBlock(fn.body) && hasUseServer(fn.body.statements)) return true;
  const sf = fn.getSourceFile();
  if (!hasUseServer(sf.statements)) return false;
  const top = ts.isFunctionDeclaration(fn) ? fn : ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : undefined;
  return !!top && top.parent === sf && !!(top as ts.HasModifiers).modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasUseServer(statements: ts.NodeArray<ts.Statement>): boolean {
  for (const st of statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use server') return true;
  }
  return false;
}

/** The array-method call a callback is passed to (`items.map(cb)`), if it is one. */
function arrayCallbackOf(fn: ts.Node): ts.CallExpression | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && ELEMENT_CALLBACKS.has(callee.name.text) ? call : undefined;
}

/** `onCall` in `functions.https.onCall`, `mutation` in `t.procedure.input(x).mutation`. */
function lastName(callee: ts.Expression): string | undefined {
  const e = unwrap(callee);
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name) return nameText(p.name);
  return undefined;
}

export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  walk(fn.body, (n) => {
    if (n !== fn.body && isFunctionLike(n)) return false;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    return undefined;
  });
  return out;
}

/** Right-hand sides assigned to a `let` after its declaration (`total += item.price`). */
function assignmentsTo(name: ts.Identifier): ts.Expression[] {
  const out: ts.Expression[] = [];
  const scope = name.parent.parent.parent?.parent ?? name.getSourceFile();
  walk(scope, (n) => {
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.left.text === name.text && n.left !== name && ASSIGNMENTS.has(n.operatorToken.kind)) {
      if (findDeclaration(n.left) === name.parent) out.push(n.right);
    }
  });
  return out;
}

const ASSIGNMENTS = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken]);
