// Webhook analysis: for every HTTP entry point the adapters found, follow the calls it makes, find the
// verification calls on its paths, and judge them (fail-open paths, raw body, error handling, dedup).
import { ts } from '#typescript';
import type { ParsedFile } from '../parse.js';
import type { AdapterContext, FrameworkAdapter, HandlerEntry, ProjectFacts } from '../frameworks/types.js';
import { ADAPTERS, adapterByName } from '../frameworks/index.js';
import { isNestBodyParam } from '../frameworks/nestjs/index.js';
import { resolveHandler } from '../frameworks/routes.js';
import { accessPath, findDeclaration, isFunctionLike, propertyValue, stringValue, unwrap, walk, walkOwnBody, nameText } from '../ast.js';
import { VERIFIERS, SIGNATURE_HEADER, type VerifierSpec } from '../../rules/stripe-verifiers.js';
import { STRIPE_EVENT_TYPES } from '../../rules/stripe-event-types.js';
import { ASSIGNS_RAW_BODY } from '../filter.js';
import { handrolledChecksOn } from './handrolled.js';
import { forgedHeader } from './forge.js';
import { eventCarriers, guardFunctions } from './guards.js';
import type { PayloadJudgement, Reached, VerificationCall, WebhookHandler } from './model.js';

const MAX_DEPTH = 4;
const MAX_REACHED = 40;

/** Matches a call against the verifier table (and the project's own verifier names). */
/** Matched calls: the engine lists every file's verification calls, and handler analysis meets them again. */
const matched = new WeakMap<ts.CallExpression, VerificationCall | null>();

export function matchVerifier(call: ts.CallExpression, file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall | undefined {
  let v = matched.get(call);
  if (v === undefined) {
    v = matchVerifierUncached(call, file, customVerifiers) ?? null;
    matched.set(call, v);
  }
  return v ?? undefined;
}

function matchVerifierUncached(call: ts.CallExpression, file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall | undefined {
  const path = memberChain(call.expression);
  if (!path.length) return undefined;
  for (const spec of VERIFIERS) {
    const n = spec.path.length;
    if (path.length < n || (n === 1 && path.length < 2)) continue;
    if (!spec.path.every((seg, i) => path[path.length - n + i] === seg)) continue;
    // Another SDK's look-alike takes one options object (WorkOS: webhooks.constructEvent({ payload,
    // sigHeader, secret })); Stripe's functions take the secret as a positional argument.
    if (spec.secret !== undefined && call.arguments.length <= spec.secret && !call.arguments.some(ts.isSpreadElement)) continue;
    return toVerification(call, file, spec);
  }
  if (customVerifiers.has(path[path.length - 1])) return { file, node: call, spec: 'custom', verifies: true };
  // handler.handle(rawBody, signature) on a stripe.notificationHandler(…) / …WithoutVerification(…)
  const callee = unwrap(call.expression);
  if (path[path.length - 1] === 'handle' && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(unwrap(callee.expression))) {
    const d = findDeclaration(unwrap(callee.expression) as ts.Identifier);
    const init = d && ts.isVariableDeclaration(d) && d.initializer ? unwrap(d.initializer) : undefined;
    if (init && ts.isCallExpression(init)) {
      const made = matchVerifier(init, file, customVerifiers);
      if (made && made.spec !== 'custom' && made.spec.path[made.spec.path.length - 1].startsWith('notificationHandler')) {
        return { file, node: call, spec: { ...made.spec, payload: 0, header: 1, secret: undefined, throws: true }, verifies: made.verifies, payload: call.arguments[0] };
      }
    }
  }
  return undefined;
}

/** Property names ending a callee, whatever the receiver is: `getStripe().webhooks.constructEvent` → ['<call>', 'webhooks', 'constructEvent']. */
function memberChain(expr: ts.Expression): string[] {
  const names: string[] = [];
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e)) {
    names.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  names.unshift(ts.isIdentifier(e) ? e.text : '<expr>');
  return names;
}

function toVerification(call: ts.CallExpression, file: ParsedFile, spec: VerifierSpec): VerificationCall {
  const arg = (i: number | undefined) => (i === undefined ? undefined : call.arguments[i]);
  return { file, node: call, spec, verifies: spec.verifies, payload: arg(spec.payload), secret: arg(spec.secret), tolerance: arg(spec.tolerance) };
}

export function findVerifications(file: ParsedFile, customVerifiers: ReadonlySet<string>): VerificationCall[] {
  const out: VerificationCall[] = [];
  walk(file.sf, (n) => {
    if (ts.isCallExpression(n)) {
      const v = matchVerifier(n, file, customVerifiers);
      if (v) out.push(v);
    }
  });
  return out;
}

export function projectFacts(files: ParsedFile[]): ProjectFacts {
  let nestRawBody: ProjectFacts['nestRawBody'] = 'unknown';
  for (const f of files) {
    if (!f.text.includes('NestFactory')) continue;
    walk(f.sf, (n) => {
      if (!ts.isCallExpression(n) || accessPath(n.expression)?.join('.') !== 'NestFactory.create') return;
      const opts = n.arguments[n.arguments.length - 1];
      const o = opts && unwrap(opts);
      let state: ProjectFacts['nestRawBody'] = 'missing';
      if (o && ts.isObjectLiteralExpression(o)) {
        const raw = propertyValue(o, 'rawBody');
        const bp = propertyValue(o, 'bodyParser');
        if (bp && unwrap(bp).kind === ts.SyntaxKind.FalseKeyword) state = 'bodyParser-disabled';
        else if (raw && unwrap(raw).kind === ts.SyntaxKind.TrueKeyword) state = 'enabled';
      }
      if (nestRawBody !== 'enabled') nestRawBody = state;
    });
  }
  // The app's own middleware keeps the raw bytes (`req.rawBody = await getRawBody(req)`): whatever
  // NestFactory.create says, req.rawBody may well be there.
  if ((nestRawBody as ProjectFacts['nestRawBody']) === 'missing' && files.some((f) => ASSIGNS_RAW_BODY.test(f.text))) nestRawBody = 'unknown';
  return { nestRawBody };
}

export class WebhookAnalyzer {
  constructor(
    private readonly ctx: AdapterContext,
    private readonly customVerifiers: ReadonlySet<string>,
  ) {}

  findEntries(files: ParsedFile[]): HandlerEntry[] {
    const seen = new Set<ts.Node>();
    const out: HandlerEntry[] = [];
    // Adapter by adapter over all files, so a specific framework claims a function before the generic one.
    for (const adapter of ADAPTERS) {
      for (const file of files) {
        for (const e of adapter.entries(file, this.ctx)) {
          if (seen.has(e.fn)) continue;
          seen.add(e.fn);
          out.push({ ...e, file: this.ctx.parser.get(e.fn.getSourceFile().fileName) ?? e.file });
        }
      }
    }
    return out;
  }

  /** Every Stripe webhook handler: entry points with Stripe signals; generic entries called by another entry are dropped. */
  analyzeAll(files: ParsedFile[]): WebhookHandler[] {
    const all = this.findEntries(files).map((e) => this.analyze(e));
    const calledByOthers = new Set<ts.Node>();
    for (const h of all) for (const r of h.reached.slice(1)) calledByOthers.add(r.fn);
    return all.filter((h) => h.signals.length > 0 && !(h.entry.framework === 'generic' && calledByOthers.has(h.entry.fn)));
  }

  analyze(entry: HandlerEntry): WebhookHandler {
    const adapter = adapterByName(entry.framework)!;
    const reached = this.reach(entry);
    const verifications: WebhookHandler['verifications'] = [];
    const signals = new Set<string>();
    for (const r of reached) {
      const file = this.fileOf(r.fn);
      walkOwnBody(r.fn, (n) => {
        if (ts.isCallExpression(n)) {
          const v = matchVerifier(n, file, this.customVerifiers);
          if (v) {
            verifications.push({ ...v, reached: r });
            signals.add(v.verifies ? 'verifies a Stripe signature' : 'calls a *WithoutVerification function');
          }
        } else if (ts.isStringLiteralLike(n)) {
          if (n.text.toLowerCase() === SIGNATURE_HEADER) signals.add('reads the stripe-signature header');
          else if (STRIPE_EVENT_TYPES.has(n.text) && isComparisonLike(n)) signals.add(`compares the event type with '${n.text}'`);
        } else if (ts.isPropertyAccessExpression(n) && n.name.text === 'object' && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'data') {
          signals.add('reads event.data.object');
        } else if (ts.isQualifiedName(n) && n.right.text === 'Event' && ts.isIdentifier(n.left) && n.left.text === 'Stripe') {
          signals.add('types its input Stripe.Event');
        }
      });
    }
    // Parameter types of the handler itself (`@Body() event: Stripe.Event`).
    for (const p of entry.fn.parameters) if (p.type && /\bStripe\.Event\b/.test(p.type.getText())) signals.add('types its input Stripe.Event');

    const verifying = verifications.filter((v) => v.verifies);
    const handler: WebhookHandler = {
      entry,
      signals: [...signals],
      reached,
      verifications,
      opaqueVerification: verifying.length === 0 && this.passesSignatureToUnknownCode(reached),
      readsEventId: false,
      hasEffects: hasEffects(reached, verifications.map((v) => v.node), frameworkParameters(reached)),
      rawBody: new Map(),
      unhandled: [],
      handrolled: handrolledChecksOn(reached.map((r) => r.fn), (n) => this.ctx.parser.get(n.getSourceFile().fileName)),
    };
    if (verifying.length === 0) return handler;
    handler.bypass = forgedHeader(verifying) ?? this.findBypass(verifying, signals);
    handler.readsEventId = this.readsEventId(verifying, reached);
    for (const v of verifying) {
      const j = this.judgePayload(v, entry, adapter);
      if (j) handler.rawBody.set(v.node, j);
      if (v.spec !== 'custom' && v.spec.throws && !this.handled(v.node, v.reached)) handler.unhandled.push(v.node);
    }
    return handler;
  }

  private fileOf(node: ts.Node): ParsedFile {
    return this.ctx.parser.get(node.getSourceFile().fileName)!;
  }

  /** The handler, route middlewares that are functions, and the functions they call (bounded). */
  private reach(entry: HandlerEntry): Reached[] {
    const out: Reached[] = [];
    const seen = new Set<ts.Node>();
    const queue: Array<Reached & { depth: number }> = [{ fn: entry.fn, depth: 0 }];
    for (const m of entry.route?.middlewares ?? []) {
      const fn = isMiddlewareFunction(m) ? resolveHandler(m, this.ctx) : undefined;
      if (fn) queue.push({ fn, depth: 1 });
    }
    for (const fn of guardFunctions(entry, this.ctx)) queue.push({ fn, depth: 1 });
    while (queue.length && out.length < MAX_REACHED) {
      const cur = queue.shift()!;
      if (seen.has(cur.fn)) continue;
      seen.add(cur.fn);
      const r: Reached = { fn: cur.fn, via: cur.via, parent: cur.parent };
      out.push(r);
      if (cur.depth >= MAX_DEPTH) continue;
      walkOwnBody(cur.fn, (n) => {
        if (!ts.isCallExpression(n)) return;
        const fn = this.ctx.resolver.resolveFunction(n.expression);
        if (fn && fn.body && !seen.has(fn)) queue.push({ fn, via: n, parent: r, depth: cur.depth + 1 });
      });
    }
    return out;
  }

  /** The signature goes into a function the tool cannot read (another package): assume it verifies. */
  private passesSignatureToUnknownCode(reached: Reached[]): boolean {
    let opaque = false;
    for (const r of reached) {
      const sigVars = new Set<string>();
      walkOwnBody(r.fn, (n) => {
        if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.name) && /stripe-signature/i.test(n.initializer.getText())) sigVars.add(n.name.text);
      });
      walkOwnBody(r.fn, (n) => {
        if (opaque || !ts.isCallExpression(n)) return;
        const carries = n.arguments.some((a) => /stripe-signature/i.test(a.getText()) || (ts.isIdentifier(a) && sigVars.has(a.text)) || (ts.isObjectLiteralExpression(a) && a.properties.some((p) => sigVars.has(nameText(p.name) ?? ''))));
        if (!carries) return;
        const name = accessPath(n.expression)?.slice(-1)[0] ?? '';
        if (/^(log|warn|error|info|debug|get|header|set|json|send|text|status|trim|toString|includes|startsWith|split)$/.test(name)) return;
        if (!this.ctx.resolver.resolveFunction(n.expression)) opaque = true;
      });
    }
    return opaque;
  }

  private findBypass(verifying: WebhookHandler['verifications'], signals: Set<string>): string | undefined {
    for (const v of verifying) {
      const fn = v.reached.fn;
      const use = resultUse(v.node);
      // (a) the verified event is thrown away and the handler acts on the body instead
      if (use.kind === 'discarded' && v.spec !== 'custom' && v.spec.semantics !== 'header' && [...signals].some((s) => s.startsWith('compares') || s.startsWith('reads event.data'))) {
        return 'it verifies the signature but throws the verified event away and acts on the request body';
      }
      // (b) the event variable is also filled from somewhere else (the unverified body)
      if (use.kind === 'variable') {
        // An unconditional verification overwrites what the variable held before: only a later
        // assignment (or a conditional verification) leaves the unverified value in place.
        const other = otherAssignments(use.name, fn, v.node, runsUnconditionally(v.node, fn) ? v.node.getStart() : undefined);
        if (other) return `\`${use.name}\` is also taken from \`${truncate(other.getText())}\`, which nobody verified`;
      }
      // (c) verification only on one branch of a condition
      for (let n: ts.Node = v.node; n.parent && n !== fn; n = n.parent) {
        const p = n.parent;
        if (ts.isIfStatement(p) && (n === p.thenStatement || n === p.elseStatement)) {
          const other = n === p.thenStatement ? p.elseStatement : p.thenStatement;
          if (other && !terminates(other) && trustsBody(other)) {
            return `verification runs only when \`${truncate(p.expression.getText())}\` ${n === p.thenStatement ? 'holds' : 'fails'}; the other branch trusts the unverified body (fail-open)`;
          }
        }
        if (ts.isConditionalExpression(p) && (n === p.whenTrue || n === p.whenFalse)) {
          const other = n === p.whenTrue ? p.whenFalse : p.whenTrue;
          if (!isNullish(other) && trustsBody(other)) return `verification runs only when \`${truncate(p.condition.getText())}\`; otherwise \`${truncate(other.getText())}\` is trusted (fail-open)`;
        }
        // (d) a catch that carries on
        if (ts.isTryStatement(p) && n === p.tryBlock && p.catchClause) {
          const c = p.catchClause.block;
          if (!terminates(c) && !sendsError(c) && followedByCode(p)) return 'the catch block of the verification neither returns nor throws, so processing goes on with an unverified request';
        }
      }
      // promise form: constructEventAsync(…).catch(() => fallback)
      const pa = v.node.parent;
      if (ts.isPropertyAccessExpression(pa) && pa.name.text === 'catch' && ts.isCallExpression(pa.parent)) {
        const cb = pa.parent.arguments[0] && unwrap(pa.parent.arguments[0]);
        if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) {
          const returned = ts.isBlock(cb.body) ? returnedExpressions(cb.body) : [cb.body];
          const bad = returned.find((e) => !isNullish(e) && !isThrowish(e));
          if (bad) return `a failed verification falls back to \`${truncate(bad.getText())}\``;
        }
      }
    }
    return undefined;
  }

  private readsEventId(verifying: WebhookHandler['verifications'], reached: Reached[]): boolean {
    const names = new Set<string>();
    for (const v of verifying) {
      const use = resultUse(v.node);
      for (const name of tupleWrapperNames(v.node)) names.add(name);
      if (use.kind === 'variable') names.add(use.name);
      if (use.kind === 'destructured' && use.names.includes('id')) return true;
      if (use.kind === 'returned' && v.reached.via) {
        const outer = resultUse(v.reached.via);
        if (outer.kind === 'variable') names.add(outer.name);
        if (outer.kind === 'destructured' && outer.names.includes('id')) return true;
      }
    }
    for (const name of eventCarriers(verifying, reached)) names.add(name);
    // verifyHeader returns a boolean (and constructEvent's result may be discarded): the event is then the
    // verified bytes parsed again, `const event = JSON.parse(raw)`.
    if (verifying.some((v) => resultUse(v.node).kind === 'discarded')) {
      for (const r of reached) {
        walkOwnBody(r.fn, (n) => {
          if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && /JSON\.parse\s*\(/.test(n.initializer.getText())) names.add(n.name.text);
        });
      }
    }
    // A helper that verifies and returns the event in a variable (`return stripeEvent`): the caller's
    // variable holds it too.
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of reached) {
        if (!r.via) continue;
        let returnsEvent = false;
        walkOwnBody(r.fn, (n) => {
          if (ts.isReturnStatement(n) && n.expression && ts.isIdentifier(unwrap(n.expression)) && names.has((unwrap(n.expression) as ts.Identifier).text)) returnsEvent = true;
        });
        if (!returnsEvent) continue;
        const outer = resultUse(r.via);
        if (outer.kind === 'destructured' && outer.names.includes('id')) return true;
        if (outer.kind === 'variable' && !names.has(outer.name)) {
          names.add(outer.name);
          changed = true;
        }
      }
    }
    if (names.size === 0) return false;
    // Helpers that receive the event under another name.
    for (const r of reached) {
      if (!r.via) continue;
      r.via.arguments.forEach((a, i) => {
        const p = r.fn.parameters[i];
        if (ts.isIdentifier(unwrap(a)) && names.has((unwrap(a) as ts.Identifier).text) && p && ts.isIdentifier(p.name)) names.add(p.name.text);
      });
    }
    let found = false;
    for (const r of reached) {
      walkOwnBody(r.fn, (n) => {
        if (found) return false;
        if (ts.isPropertyAccessExpression(n) && n.name.text === 'id' && ts.isIdentifier(unwrap(n.expression)) && names.has((unwrap(n.expression) as ts.Identifier).text) && !inLoggingCall(n) && !this.onlyLoggedBy(n)) found = true;
        if (ts.isElementAccessExpression(n) && stringValue(n.argumentExpression) === 'id' && ts.isIdentifier(n.expression) && names.has(n.expression.text)) found = true;
        if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && ts.isIdentifier(unwrap(n.initializer)) && names.has((unwrap(n.initializer) as ts.Identifier).text)) {
          if (n.name.elements.some((e) => nameText(e.propertyName ?? e.name) === 'id')) found = true;
        }
        return undefined;
      });
    }
    return found;
  }

  /** `helper(event.id)` where the helper does nothing but log (a logging module): the id guards nothing. */
  private onlyLoggedBy(node: ts.Node): boolean {
    const call = node.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
    const fn = this.ctx.resolver.resolveFunction(call.expression);
    if (!fn?.body) return false; // a declaration without a body (or unknown code) may well look it up
    let logs = false;
    walkOwnBody(fn, (n) => {
      if (ts.isCallExpression(n) && isLoggingCall(n)) logs = true;
    });
    return logs && !hasEffects([{ fn }], []);
  }

  private judgePayload(v: VerificationCall & { reached: Reached }, entry: HandlerEntry, adapter: FrameworkAdapter): PayloadJudgement | undefined {
    if (v.spec !== 'custom' && v.spec.refetch) return undefined;
    if (v.payload) {
      const t = this.trace(v.payload, v.reached, entry, adapter, 0);
      if (t?.problem) return { kind: 'payload', problem: t.problem };
    }
    const wiring = adapter.wiringProblem?.(entry, this.ctx);
    return wiring ? { kind: 'wiring', problem: wiring } : undefined;
  }

  private trace(expr: ts.Expression, at: Reached, entry: HandlerEntry, adapter: FrameworkAdapter, depth: number): { problem?: string; raw?: boolean } | undefined {
    if (depth > 6) return undefined;
    const e = unwrap(expr);
    if (ts.isCallExpression(e)) {
      const path = accessPath(e.expression) ?? [];
      const last = path[path.length - 1] ?? (ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : '');
      if (last === 'stringify') return { problem: `the payload is \`${truncate(e.getText())}\`: re-serialised JSON never matches the bytes Stripe signed` };
      if (last === 'json' && e.arguments.length === 0) return { problem: `the payload comes from \`${truncate(e.getText())}\`, which parses the body` };
      if (last === 'parse' && path[0] === 'JSON') return { problem: `the payload is \`${truncate(e.getText())}\`, a parsed object` };
      if (last === 'toString' && ts.isPropertyAccessExpression(unwrap(e.expression))) return this.trace((unwrap(e.expression) as ts.PropertyAccessExpression).expression, at, entry, adapter, depth + 1);
      if (last === 'from' && path[0] === 'Buffer' && e.arguments[0]) {
        const inner = this.trace(e.arguments[0], at, entry, adapter, depth + 1);
        return inner?.problem ? inner : { raw: true };
      }
      return { raw: true }; // text(), arrayBuffer(), buffer(req), getRawBody(req), helpers: trust them
    }
    if (ts.isIdentifier(e)) {
      const d = findDeclaration(e);
      if (!d) return undefined;
      if (ts.isVariableDeclaration(d) && d.initializer) return this.trace(d.initializer, at, entry, adapter, depth + 1);
      if (ts.isParameter(d)) {
        if (isNestBodyParam(d)) return { problem: 'the payload is the `@Body()` parameter, which Nest has already parsed' };
        const fn = d.parent;
        if (at.fn === fn && at.via) {
          const i = fn.parameters.indexOf(d);
          const arg = at.via.arguments[i];
          if (arg && at.parent) return this.trace(arg, at.parent, entry, adapter, depth + 1);
        }
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const prop = ts.isPropertyAccessExpression(e) ? e.name.text : stringValue(e.argumentExpression);
      if (prop === 'body') {
        const verdict = adapter.requestBody?.(entry, e, this.ctx);
        if (verdict?.parsed) return { problem: `the payload is \`${truncate(e.getText())}\`, but ${verdict.reason}` };
        return verdict ? { raw: true } : undefined;
      }
      if (prop && /raw/i.test(prop)) return { raw: true };
    }
    return undefined;
  }

  /** Is an exception from `node` (in `at.fn`) caught somewhere on the way up to the entry point? */
  private handled(node: ts.Node, at: Reached): boolean {
    // `const [err, event] = await to(constructEventAsync(…))`: the wrapper turns the throw into a value.
    if (ts.isCallExpression(node) && tupleWrapperNames(node).length) return true;
    for (let n: ts.Node = node; n.parent && n !== at.fn; n = n.parent) {
      const p = n.parent;
      if (ts.isTryStatement(p) && n === p.tryBlock) return true;
      if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent)) {
        if (p.name.text === 'catch' || (p.name.text === 'then' && p.parent.arguments.length >= 2)) return true;
      }
    }
    return at.via && at.parent ? this.handled(at.via, at.parent) : false;
  }
}

// Calls that only log, read the request or answer it: a handler made of these alone is harmless to re-run.
const INERT_ROOTS = new Set(['console', 'logger', 'log', 'res', 'response', 'reply', 'ctx', 'c', 'req', 'request', 'JSON', 'Object', 'Array', 'String', 'Number', 'Math', 'Date', 'Buffer', 'NextResponse', 'Response', 'headers', 'process']);
const INERT_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'json', 'send', 'sendStatus', 'status', 'end', 'text', 'header', 'get', 'set', 'setHeader', 'writeHead', 'redirect', 'parse', 'stringify', 'toString', 'code', 'type', 'arrayBuffer', 'keys', 'entries', 'isArray', 'from', 'now', 'exit', 'on']);

/** Methods that read, on any object (`this.config.get(…)`, `prisma.user.findUnique(…)`, `stripe.invoices.retrieve(…)`): repeating them is harmless. */
const READ_METHODS = new Set(['get', 'has', 'find', 'findOne', 'findFirst', 'findUnique', 'findMany', 'findById', 'retrieve', 'list', 'count', 'exists']);

const INERT_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'require', 'buffer', 'getRawBody', 'rawBody', 'text', 'json', 'parseInt', 'parseFloat', 'setTimeout', 'env', 'getEnv', 'useRuntimeConfig', 'defineSecret', 'defineString', 'getSecret']);

/** Names of the handler's and middlewares' own parameters (request, response, context, whatever they are called). */
function frameworkParameters(reached: Reached[]): Set<string> {
  const names = new Set<string>();
  const add = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) add(e.name);
  };
  for (const r of reached) if (!r.via) for (const p of r.fn.parameters) add(p.name);
  return names;
}

/**
 * `frameworkRoots`: the handler's own parameters. Reading the request and answering through them is not
 * work, whatever the handler calls them (`context.req.text()`, `context.get('stripe')`,
 * `context.text('', 200)`); bindings reached through them are (`env.QUEUE.send(…)`, `c.env.KV.put(…)`).
 */
function hasEffects(reached: Reached[], verifications: ts.Node[], frameworkRoots: ReadonlySet<string> = new Set()): boolean {
  const skip = new Set(verifications);
  const inertPath = (path: string[]) => (INERT_ROOTS.has(path[0]) || frameworkRoots.has(path[0])) && !path.includes('env');
  // A helper reached through a logging call (`log(ctx, {...})` posting to a log service) only logs.
  const underLogging = (r: Reached) => {
    for (let x: Reached | undefined = r; x; x = x.parent) if (x.via && isLoggingCall(x.via)) return true;
    return false;
  };
  for (const r of reached) {
    if (underLogging(r)) continue;
    let effect = false;
    walkOwnBody(r.fn, (n) => {
      if (effect || skip.has(n)) return false;
      if (ts.isCallExpression(n)) {
        const path = chainPath(n.expression);
        const last = path?.[path.length - 1] ?? '';
        const inert = isLoggingCall(n) || makesStripeClient(n) || (!!path && (path.length === 1 ? INERT_FUNCTIONS.has(last) : READ_METHODS.has(last) || (inertPath(path) && INERT_METHODS.has(last))));
        // calls to helpers are followed through `reached`; count only what does not resolve to our own code
        if (!inert && !reached.some((x) => x.via === n)) effect = true;
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
        const target = accessPath(n.left);
        if (target && !inertPath(target)) effect = true;
      }
      return undefined;
    });
    if (effect) return true;
  }
  return false;
}

/**
 * `const [err, event] = await to(stripe.webhooks.constructEventAsync(…))` (await-to-js, unpackPromise):
 * the names the wrapper's tuple is destructured into (the event is one of them).
 */
function tupleWrapperNames(call: ts.Expression): string[] {
  let n: ts.Node = call;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const wrapper = n.parent;
  if (!wrapper || !ts.isCallExpression(wrapper) || !wrapper.arguments.includes(n as ts.Expression)) return [];
  let w: ts.Node = wrapper;
  while (w.parent && (ts.isAwaitExpression(w.parent) || ts.isParenthesizedExpression(w.parent) || ts.isAsExpression(w.parent))) w = w.parent;
  const decl = w.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || decl.initializer !== w || !ts.isArrayBindingPattern(decl.name)) return [];
  return decl.name.elements.flatMap((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? [e.name.text] : []));
}

type ResultUse =
  | { kind: 'variable'; name: string }
  | { kind: 'destructured'; names: string[] }
  | { kind: 'returned' }
  | { kind: 'discarded' }
  | { kind: 'other' };

/** How the value of a call is used: stored in a variable, returned, thrown away, … */
function resultUse(call: ts.Expression): ResultUse {
  let n: ts.Node = call;
  while (n.parent && (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  // constructEventAsync(…).catch(() => null)
  if (ts.isPropertyAccessExpression(n.parent) && n.parent.name.text === 'catch' && ts.isCallExpression(n.parent.parent)) return resultUse(n.parent.parent);
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    if (ts.isIdentifier(p.name)) return { kind: 'variable', name: p.name.text };
    if (ts.isObjectBindingPattern(p.name)) return { kind: 'destructured', names: p.name.elements.map((e) => nameText(e.propertyName ?? e.name) ?? '') };
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n && ts.isIdentifier(p.left)) return { kind: 'variable', name: p.left.text };
  if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n)) return { kind: 'returned' };
  if (ts.isExpressionStatement(p)) return { kind: 'discarded' };
  return { kind: 'other' };
}

/** Does `node` run on every path through `fn` that gets that far (no if/loop/switch/ternary around it)? */
function runsUnconditionally(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let n: ts.Node = node; n.parent && n !== fn.body; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) || ts.isConditionalExpression(p) || ts.isSwitchStatement(p) || ts.isCaseClause(p) || ts.isIterationStatement(p, false)) return false;
    if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && n === p.right) return false;
    if (ts.isTryStatement(p) && n === p.tryBlock && p.catchClause && !terminates(p.catchClause.block)) return false;
    if (isFunctionLike(p)) return false;
  }
  return true;
}

function otherAssignments(name: string, fn: ts.FunctionLikeDeclaration, verification: ts.Node, onlyAfter?: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const isVerification = (e: ts.Expression) => {
    for (let n: ts.Node | undefined = verification; n; n = n.parent) if (n === e) return true;
    return false;
  };
  const fromRequest = (e: ts.Expression) => /body|JSON\.parse|json\(\)|payload|request|req\b|event\b/i.test(e.getText()) && !ts.isCallExpression(unwrap(e)) || /JSON\.parse|\.json\(\)/.test(e.getText());
  walkOwnBody(fn, (n) => {
    if (found) return false;
    let rhs: ts.Expression | undefined;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) rhs = n.initializer;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name) rhs = n.right;
    if (rhs && !isVerification(rhs) && !isNullish(rhs) && fromRequest(rhs) && (onlyAfter === undefined || rhs.getStart() > onlyAfter)) found = rhs;
    return undefined;
  });
  return found;
}

function isMiddlewareFunction(e: ts.Expression): boolean {
  const u = unwrap(e);
  return isFunctionLike(u) || ts.isIdentifier(u) || ts.isPropertyAccessExpression(u);
}

function isComparisonLike(lit: ts.StringLiteralLike): boolean {
  const p = lit.parent;
  if (ts.isBinaryExpression(p)) return [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind);
  if (ts.isCaseClause(p)) return true;
  if (ts.isCallExpression(p)) return true; // .on('invoice.paid', …), set.has('…')
  if (ts.isArrayLiteralExpression(p)) return true;
  if (ts.isPropertyAssignment(p) && p.name === lit) return true;
  return false;
}

function terminates(node: ts.Node): boolean {
  if (ts.isBlock(node)) return node.statements.length > 0 && terminates(node.statements[node.statements.length - 1]);
  if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) return true;
  if (ts.isIfStatement(node)) return !!node.elseStatement && terminates(node.thenStatement) && terminates(node.elseStatement);
  if (ts.isExpressionStatement(node)) return /process\.exit|\.throw\(/.test(node.getText());
  return false;
}

function sendsError(block: ts.Block): boolean {
  return /(?:status|sendStatus|code)\(\s*[45]\d\d|status\s*[:=]\s*[45]\d\d|\bthrow\b|respondWith|error\(\s*[45]\d\d/.test(block.getText());
}

/** Does a branch act on the unverified request (parse or read the body, or the event's fields)? */
function trustsBody(node: ts.Node): boolean {
  return /JSON\.parse|\.body\b|\.json\(\s*\)|\.text\(\s*\)|rawBody|\.data\b|\.type\b|payload/.test(node.getText());
}

/** Like accessPath, through calls in the chain: `res.status(400).send` → res, status, send. */
function chainPath(expr: ts.Expression): string[] | undefined {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) return chainPath(e.expression);
  if (ts.isPropertyAccessExpression(e)) {
    const base = chainPath(e.expression);
    return base ? [...base, e.name.text] : undefined;
  }
  return accessPath(e);
}

/** Making the client is not work: `Stripe(key)`, `require('stripe')(key)`. */
function makesStripeClient(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'Stripe';
  return ts.isCallExpression(callee) && ts.isIdentifier(unwrap(callee.expression)) && (unwrap(callee.expression) as ts.Identifier).text === 'require' && stringValue(callee.arguments[0]) === 'stripe';
}

/** Objects whose calls only log, measure or track, in any case (`Logger.info`, `LOG.debug`, `posthog().capture`). */
const LOGGING_ROOTS = /^(console|logger|logs?|logging|sentry|debug|trace|metrics|analytics|posthog|segment|mixpanel|amplitude|statsd|datadog|newrelic|bugsnag|rollbar|honeybadger)$/i;

/** A call on a logging object: `logger.info(…)`, `Logger.warn(…)`, or a member one (`this.logger.log(…)` in a Nest service). */
function isLoggingCall(call: ts.CallExpression): boolean {
  const path = chainPath(call.expression);
  const root = path?.[0] === 'this' ? path[1] : path?.[0];
  return !!root && LOGGING_ROOTS.test(root);
}

/** Inside a logging call (`console.log({ id: event.id })` reads the id but guards nothing)? */
function inLoggingCall(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isStatement(n); n = n.parent) {
    if (ts.isCallExpression(n) && isLoggingCall(n)) return true;
  }
  return false;
}

function followedByCode(tryStmt: ts.TryStatement): boolean {
  const parent = tryStmt.parent;
  if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
    const i = parent.statements.indexOf(tryStmt);
    return i >= 0 && i < parent.statements.length - 1;
  }
  return false;
}

function isNullish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === ts.SyntaxKind.NullKeyword || u.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(u) && u.text === 'undefined') || ts.isVoidExpression(u);
}

function isThrowish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isCallExpression(u) && /reject|throw|error/i.test(u.expression.getText());
}

function returnedExpressions(block: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  walk(block, (n) => {
    if (n !== block && isFunctionLike(n)) return false;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    return undefined;
  });
  return out;
}

function truncate(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
