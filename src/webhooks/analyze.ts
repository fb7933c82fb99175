// Webhook analysis: for every HTTP entry point the adapters found, follow the calls it makes (into other
// files too), find the verification calls on its paths and record neutral facts about them (where the
// result flows, what guards them, where the payload comes from) and about the handler (event shapes it
// reads, event-id reads, effects). The rules in rules/webhook-*.ts decide from these facts.
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import type { AdapterContext, FrameworkAdapter, HandlerEntry } from '../frameworks/types.js';
import { ADAPTERS, adapterByName } from '../frameworks/index.js';
import { resolveHandler } from '../frameworks/routes.js';
import { accessPath, isFunctionLike, nameText, stringValue, unwrap, walkOwnBody } from '../analysis/ast.js';
import { SIGNATURE_HEADER } from '../../rules/knowledge/stripe-verifiers.js';
import { STRIPE_EVENT_TYPES } from '../../rules/knowledge/stripe-event-types.js';
import { matchVerifier } from './verifiers.js';
import { enclosingOf, otherAssignments, promiseFallbacks, resultUse, runsUnconditionally, tupleWrapper, tupleWrapperNames } from './flow.js';
import { findEffects, frameworkParameters, inLoggingCall, isLoggingCall } from './effects.js';
import { payloadProvenance } from './payload.js';
import { handrolledChecksOn } from './handrolled.js';
import { testHeaderSource } from './forge.js';
import { eventCarriers, guardFunctions } from './guards.js';
import { RequestFlow } from './request-flow.js';
import type { Caught, EventIdRead, EventShape, Reached, VerificationFacts, WebhookHandler } from './model.js';

export { matchVerifier, findVerifications } from './verifiers.js';

const MAX_DEPTH = 4;
const MAX_REACHED = 40;

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

  /** Every Stripe webhook handler (see actsOnStripeEvents); generic entries called by another entry are dropped. */
  analyzeAll(files: ParsedFile[]): WebhookHandler[] {
    const all = this.findEntries(files).map((e) => this.analyze(e));
    const calledByOthers = new Set<ts.Node>();
    for (const h of all) for (const r of h.reached.slice(1)) calledByOthers.add(r.fn);
    return all.filter((h) => this.actsOnStripeEvents(h) && !(h.entry.framework === 'generic' && calledByOthers.has(h.entry.fn)));
  }

  analyze(entry: HandlerEntry): WebhookHandler {
    const adapter = adapterByName(entry.framework)!;
    const reached = this.reach(entry);
    const verifications: VerificationFacts[] = [];
    const shapes = new Map<string, EventShape>();
    const flow = new RequestFlow();
    for (const r of reached) {
      const file = this.fileOf(r.fn);
      // In a function the handler calls, an event shape counts only when it is read from the request's
      // data (a helper that also compares event names on its own data does not make an ordinary route a
      // webhook handler). Verification calls and the signature header count anywhere on the path.
      const see = (key: string, shape: EventShape, subject?: ts.Node) => {
        if (shapes.has(key)) return;
        if (r.via && shape.kind !== 'verification' && shape.kind !== 'signature-header' && !readFromRequest(shape, subject, r, flow)) return;
        shapes.set(key, shape);
      };
      walkOwnBody(r.fn, (n) => {
        if (ts.isCallExpression(n)) {
          const v = matchVerifier(n, file, this.customVerifiers);
          if (v) {
            const payload = v.payload && !(v.spec !== 'custom' && v.spec.refetch) ? payloadProvenance(v.payload, r, entry, adapter, this.ctx) : undefined;
            const result = resultUse(v.node);
            verifications.push({
              ...v,
              reached: r,
              result,
              tupleNames: tupleWrapperNames(v.node),
              runsUnconditionally: runsUnconditionally(v.node, r.fn),
              enclosing: enclosingOf(v.node, r.fn),
              promiseFallbacks: promiseFallbacks(v.node),
              caught: this.caught(v.node, r),
              otherAssignments: result.kind === 'variable' ? otherAssignments(result.name, r.fn, v.node) : [],
              payloadProvenance: payload ?? (v.spec !== 'custom' && v.spec.refetch ? undefined : { state: 'unknown' }),
              headerMadeBy: testHeaderSource(v, r.fn),
            });
            see(`verification:${v.verifies}`, { kind: 'verification', verifies: v.verifies, node: n });
          }
        } else if (ts.isStringLiteralLike(n)) {
          if (n.text.toLowerCase() === SIGNATURE_HEADER) see('signature-header', { kind: 'signature-header', node: n });
          else if (STRIPE_EVENT_TYPES.has(n.text) && isComparisonLike(n)) see(`type:${n.text}`, { kind: 'event-type-compared', name: n.text, node: n }, comparedWith(n));
        } else if (ts.isPropertyAccessExpression(n) && n.name.text === 'object' && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'data') {
          see('data-object', { kind: 'data-object', node: n }, n.expression.expression);
        } else if (ts.isQualifiedName(n) && n.right.text === 'Event' && ts.isIdentifier(n.left) && n.left.text === 'Stripe') {
          see('stripe-event-type', { kind: 'stripe-event-type', node: n });
        }
      });
    }
    // Parameter types of the handler itself (`@Body() event: Stripe.Event`).
    for (const p of entry.fn.parameters) if (p.type && /\bStripe\.Event\b/.test(p.type.getText()) && !shapes.has('stripe-event-type')) shapes.set('stripe-event-type', { kind: 'stripe-event-type', node: p.type });

    const verifying = verifications.filter((v) => v.verifies);
    return {
      entry,
      adapter: { label: adapter.label, rawBodyFix: adapter.rawBodyFix },
      shapes: [...shapes.values()],
      reached,
      verifications,
      opaqueVerification: verifying.length === 0 && this.passesSignatureToUnknownCode(reached, adapter),
      eventIdReads: verifying.length ? this.eventIdReads(verifying, reached) : [],
      effects: findEffects(reached, (n) => this.fileOf(n), new Set(verifications.map((v) => v.node)), frameworkParameters(reached)),
      wiringProblem: adapter.wiringProblem?.(entry, this.ctx),
      handrolled: handrolledChecksOn(reached.map((r) => r.fn), (n) => this.ctx.parser.get(n.getSourceFile().fileName), (c) => this.ctx.resolver.resolveFunction(c)),
    };
  }

  /**
   * An entry point is a Stripe webhook handler when it verifies, reads the signature header, types its input
   * `Stripe.Event` or compares an event type with a Stripe event name. `.data.object` alone is a shape other
   * APIs share: it counts only on a route that names Stripe (file path or route string), or in a file that
   * imports the SDK or a local module that does (the app's Stripe client).
   */
  private actsOnStripeEvents(h: WebhookHandler): boolean {
    if (h.shapes.some((s) => s.kind !== 'data-object')) return true;
    if (h.shapes.length === 0) return false;
    const { file, route } = h.entry;
    if (/stripe/i.test(file.relPath) || /stripe/i.test(route?.path ?? '') || importsStripe(file.sf)) return true;
    return moduleSpecifiers(file.sf).some((spec) => {
      const target = spec.startsWith('.') || spec.startsWith('@/') || spec.startsWith('~/') || spec.startsWith('#') ? this.ctx.parser.importModule(file, spec) : undefined;
      return !!target && importsStripe(target.sf);
    });
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
    const adapter = adapterByName(entry.framework);
    while (queue.length && out.length < MAX_REACHED) {
      const cur = queue.shift()!;
      if (seen.has(cur.fn)) continue;
      seen.add(cur.fn);
      const r: Reached = { fn: cur.fn, via: cur.via, parent: cur.parent };
      out.push(r);
      if (cur.depth >= MAX_DEPTH) continue;
      walkOwnBody(cur.fn, (n) => {
        if (!ts.isCallExpression(n)) return;
        const fn = this.ctx.resolver.resolveFunction(n.expression) ?? adapter?.callTarget?.(n, this.ctx);
        if (fn && fn.body && !seen.has(fn)) queue.push({ fn, via: n, parent: r, depth: cur.depth + 1 });
      });
    }
    return out;
  }

  /** The signature goes into a function the tool cannot read (another package): assume it verifies. */
  private passesSignatureToUnknownCode(reached: Reached[], adapter: FrameworkAdapter): boolean {
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
        if (!this.ctx.resolver.resolveFunction(n.expression) && !adapter.callTarget?.(n, this.ctx)) opaque = true;
      });
    }
    return opaque;
  }

  /** Reads of the verified event's id: the names that hold the event, followed through helpers that return it or receive it. */
  private eventIdReads(verifying: VerificationFacts[], reached: Reached[]): EventIdRead[] {
    const reads: EventIdRead[] = [];
    const names = new Set<string>();
    for (const v of verifying) {
      const use = v.result;
      for (const name of v.tupleNames) names.add(name);
      if (use.kind === 'variable') names.add(use.name);
      if (use.kind === 'destructured' && use.names.includes('id')) reads.push({ node: v.node, onlyLogged: false });
      if (use.kind === 'returned' && v.reached.via) {
        const outer = resultUse(v.reached.via);
        if (outer.kind === 'variable') names.add(outer.name);
        if (outer.kind === 'destructured' && outer.names.includes('id')) reads.push({ node: v.reached.via, onlyLogged: false });
      }
    }
    for (const name of eventCarriers(verifying, reached)) names.add(name);
    // verifyHeader returns a boolean (and constructEvent's result may be discarded): the event is then the
    // verified bytes parsed again, `const event = JSON.parse(raw)`.
    if (verifying.some((v) => v.result.kind === 'discarded')) {
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
        if (outer.kind === 'destructured' && outer.names.includes('id') && !reads.some((x) => x.node === r.via)) reads.push({ node: r.via, onlyLogged: false });
        if (outer.kind === 'variable' && !names.has(outer.name)) {
          names.add(outer.name);
          changed = true;
        }
      }
    }
    if (names.size === 0) return reads;
    // Helpers that receive the event under another name.
    for (const r of reached) {
      if (!r.via) continue;
      r.via.arguments.forEach((a, i) => {
        const p = r.fn.parameters[i];
        if (ts.isIdentifier(unwrap(a)) && names.has((unwrap(a) as ts.Identifier).text) && p && ts.isIdentifier(p.name)) names.add(p.name.text);
      });
    }
    const holdsEvent = (e: ts.Expression) => ts.isIdentifier(unwrap(e)) && names.has((unwrap(e) as ts.Identifier).text);
    for (const r of reached) {
      walkOwnBody(r.fn, (n) => {
        if (ts.isPropertyAccessExpression(n) && n.name.text === 'id' && holdsEvent(n.expression)) reads.push({ node: n, onlyLogged: inLoggingCall(n) || this.onlyLoggedBy(n) });
        if (ts.isElementAccessExpression(n) && stringValue(n.argumentExpression) === 'id' && ts.isIdentifier(n.expression) && names.has(n.expression.text)) reads.push({ node: n, onlyLogged: false });
        if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && holdsEvent(n.initializer)) {
          if (n.name.elements.some((e) => nameText(e.propertyName ?? e.name) === 'id')) reads.push({ node: n, onlyLogged: false });
        }
      });
    }
    return reads;
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
    return logs && findEffects([{ fn }], (n) => this.fileOf(n)).length === 0;
  }

  /** What catches an exception from `node` (in `at.fn`) on the way up to the entry point, if anything. */
  private caught(node: ts.Node, at: Reached): Caught | undefined {
    // `const [err, event] = await to(constructEventAsync(…))`: the wrapper turns the throw into a value.
    if (ts.isCallExpression(node)) {
      const w = tupleWrapper(node);
      if (w) return { how: 'tuple-wrapper', node: w.wrapper };
    }
    for (let n: ts.Node = node; n.parent && n !== at.fn; n = n.parent) {
      const p = n.parent;
      if (ts.isTryStatement(p) && n === p.tryBlock) return { how: 'try', node: p };
      if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent)) {
        if (p.name.text === 'catch' || (p.name.text === 'then' && p.parent.arguments.length >= 2)) return { how: 'promise-catch', node: p.parent };
      }
    }
    return at.via && at.parent ? this.caught(at.via, at.parent) : undefined;
  }
}

function isMiddlewareFunction(e: ts.Expression): boolean {
  const u = unwrap(e);
  return isFunctionLike(u) || ts.isIdentifier(u) || ts.isPropertyAccessExpression(u);
}

/** The module specifiers a file imports or requires. */
function moduleSpecifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of sf.statements) if (ts.isImportDeclaration(st)) out.push(stringValue(st.moduleSpecifier) ?? '');
  for (const m of sf.text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out.filter(Boolean);
}

/** `import … from 'stripe'`, `require('stripe')` (also `stripe/…` entry points and Deno's `npm:stripe`). */
function importsStripe(sf: ts.SourceFile): boolean {
  const isStripe = (s: string | undefined) => !!s && /^(?:npm:)?stripe(?:@[^/]*)?(?:\/|$)/.test(s);
  if (sf.statements.some((st) => ts.isImportDeclaration(st) && isStripe(stringValue(st.moduleSpecifier)))) return true;
  return /require\(\s*['"](?:npm:)?stripe(?:\/[^'"]*)?['"]\s*\)/.test(sf.text);
}

/** The value a Stripe event name is compared with (`x.type === 'invoice.paid'`, `switch (x.type) { case … }`), when it is one. */
function comparedWith(lit: ts.StringLiteralLike): ts.Node | undefined {
  const p = lit.parent;
  if (ts.isBinaryExpression(p)) return p.left === lit ? p.right : p.left;
  if (ts.isCaseClause(p)) return p.parent.parent.expression;
  return undefined;
}

/**
 * Is the value an event shape is read from request data (in a function the handler calls)? Event names in a
 * dispatch table or a `.on('invoice.paid', …)` have no subject: they count when the function reads `.type`
 * of request data.
 */
function readFromRequest(shape: EventShape, subject: ts.Node | undefined, r: Reached, flow: RequestFlow): boolean {
  if (subject) return flow.fromRequest(subject, r);
  if (shape.kind === 'stripe-event-type') {
    let n: ts.Node = shape.node;
    while (n.parent && (ts.isTypeNode(n.parent) || ts.isQualifiedName(n.parent))) n = n.parent;
    const holder = n.parent;
    if (holder && ts.isParameter(holder)) return flow.fromRequest(holder.name, r);
    if (holder && (ts.isAsExpression(holder) || ts.isTypeAssertionExpression(holder) || ts.isSatisfiesExpression(holder))) return flow.fromRequest(holder.expression, r);
    if (holder && ts.isVariableDeclaration(holder) && holder.initializer) return flow.fromRequest(holder.initializer, r);
    return false;
  }
  let readsType = false;
  walkOwnBody(r.fn, (n) => {
    if (!readsType && ts.isPropertyAccessExpression(n) && n.name.text === 'type' && flow.fromRequest(n.expression, r)) readsType = true;
  });
  return readsType;
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
