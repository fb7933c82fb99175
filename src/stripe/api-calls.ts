// Finds calls of catalogued Stripe methods on Stripe server clients (as decided by StripeResolver).
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { findDeclaration, nameText, stringValue, unwrap, walk } from '../analysis/ast.js';
import { bindingInitializer, type StripeResolver } from './resolve.js';
import { CATALOGUE, RAW_REQUEST, type CatalogueEntry } from '../../rules/knowledge/stripe-methods.js';

export interface ApiCall {
  file: ParsedFile;
  node: ts.CallExpression;
  /** 'refunds.create', 'treasury.outboundPayments.create' or 'rawRequest'. */
  method: string;
  entry: CatalogueEntry;
  receiver: ts.Expression;
}

export class Catalogue {
  private readonly entries = new Map<string, CatalogueEntry>(CATALOGUE);
  readonly methodNames = new Set<string>();

  constructor(moneyMethods: string[]) {
    for (const m of moneyMethods) {
      const known = this.entries.get(m);
      const optionsIndex = known?.optionsIndex ?? (/\.create$/.test(m) ? 1 : 2);
      this.entries.set(m, { method: m, tier: 'money', optionsIndex });
    }
    for (const m of this.entries.keys()) this.methodNames.add(m.slice(m.lastIndexOf('.') + 1));
  }

  get(method: string): CatalogueEntry | undefined {
    return this.entries.get(method);
  }
}

export function findApiCalls(file: ParsedFile, resolver: StripeResolver, catalogue: Catalogue): ApiCall[] {
  const calls: ApiCall[] = [];
  walk(file.sf, (n) => {
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    if (method === 'rawRequest') {
      const verb = stringValue(n.arguments[0]);
      if (verb && verb.toUpperCase() === 'POST' && resolver.classify(callee.expression) === 'client') {
        calls.push({ file, node: n, method: 'rawRequest', entry: RAW_REQUEST, receiver: callee.expression });
      }
      return;
    }
    if (!catalogue.methodNames.has(method)) return;
    // Collect up to three resource segments before the method: stripe.treasury.outboundPayments.create
    const segments: Array<{ name: string; receiver: ts.Expression }> = [];
    let cur: ts.Expression = unwrap(callee.expression);
    while (segments.length < 3 && ts.isPropertyAccessExpression(cur)) {
      segments.push({ name: cur.name.text, receiver: cur.expression });
      cur = unwrap(cur.expression);
    }
    for (let k = segments.length; k >= 1; k--) {
      const path = segments
        .slice(0, k)
        .map((s) => s.name)
        .reverse()
        .join('.');
      const entry = catalogue.get(`${path}.${method}`);
      if (!entry) continue;
      if (resolver.classify(segments[k - 1].receiver) === 'client') {
        calls.push({ file, node: n, method: entry.method, entry, receiver: segments[k - 1].receiver });
        return;
      }
    }
    // A resource taken off a client: `const { refunds } = stripe` or `const refunds = stripe.refunds`.
    if (ts.isIdentifier(cur) || segments.length === 0) {
      const id = segments.length === 0 ? unwrap(callee.expression) : cur;
      if (!ts.isIdentifier(id)) return;
      const resource = resourceAlias(id, resolver);
      if (!resource) return;
      const prefix = segments.map((s) => s.name).reverse().join('.');
      const full = [resource.path, prefix, method].filter(Boolean).join('.');
      const entry = catalogue.get(full);
      if (entry) calls.push({ file, node: n, method: entry.method, entry, receiver: resource.client });
    }
  });
  return calls;
}

function resourceAlias(id: ts.Identifier, resolver: StripeResolver): { path: string; client: ts.Expression } | undefined {
  const d = findDeclaration(id);
  if (!d) return undefined;
  if (ts.isBindingElement(d)) {
    const init = bindingInitializer(d);
    const prop = nameText(d.propertyName ?? d.name);
    if (init && prop && resolver.classify(init) === 'client') return { path: prop, client: init };
  }
  if (ts.isVariableDeclaration(d) && d.initializer) {
    const init = unwrap(d.initializer);
    if (ts.isPropertyAccessExpression(init) && resolver.classify(init.expression) === 'client') return { path: init.name.text, client: init.expression };
  }
  return undefined;
}
