// The text prefilter's signals, derived from what the analysis knows: the method catalogue
// (rules/knowledge/stripe-methods.ts), the verifier table (rules/knowledge/stripe-verifiers.ts), the event names
// (rules/knowledge/stripe-event-types.ts) and the framework adapters' filter hints (src/frameworks/filter-hints.ts).
// Nothing here is a second copy of that knowledge: a method, verifier, event name or framework added
// there is a signal here. Runs in the scan worker: no TypeScript.
//
// A file is
// - strong: its own text can make a finding (the SDK imported, keys, a verifier call, an event name, a
//   catalogued call on a Stripe-only resource, …): parsed;
// - weak: it can make a finding only with a Stripe client or Stripe code from another module (an entry
//   point of some framework, as the adapters' filter hints say; a catalogued call on a resource other
//   APIs have too; a client component): parsed when its imports, through any number of modules, reach
//   Stripe code (TextFilter.finish);
// - plain: nothing. Nine files in ten, dropped after one regex pass.
//
// Whether a file is weak is asked only of the few files whose imports reach Stripe code (weakSignal),
// not in the pass over every file: entry points (`.post(`, `serve(`, `(req, res)`) are everywhere, and
// searching for them in every file cost as much as all the other signals together.
import { CATALOGUE, RAW_REQUEST } from '../../rules/knowledge/stripe-methods.js';
import { SIGNATURE_HEADER, VERIFIERS } from '../../rules/knowledge/stripe-verifiers.js';
import { STRIPE_EVENT_TYPES } from '../../rules/knowledge/stripe-event-types.js';
import { FRAMEWORK_FILTER_HINTS } from '../frameworks/filter-hints.js';
import { PUBLIC_SECRET_ENV_SIGNAL } from '../../rules/knowledge/public-env.js';


/** What the project's config adds to the analysis' knowledge (stripe-audit.config.json). */
export interface SignalOptions {
  /** The project's own verifier functions (config `verifiers`). */
  verifiers?: readonly string[];
  /** Extra money-moving methods (config `moneyMethods`, `resource.method`). */
  moneyMethods?: readonly string[];
}

/** The config's additions to the signals, when it has any (the engine's scan input and the worker's guess of it carry the same). */
export function scanSignals(config: { verifiers: string[]; moneyMethods: string[] }): { signals?: SignalOptions } {
  return config.verifiers.length || config.moneyMethods.length ? { signals: { verifiers: config.verifiers, moneyMethods: config.moneyMethods } } : {};
}

export interface FileSignals {
  /** Why the file is parsed by itself. */
  strong?: string;
  /**
   * The file is Stripe code an importer may need (a client, a verifier, event handling): weak files whose
   * imports reach it are promoted. Files parsed for other reasons (keys, project facts, a route named
   * like Stripe) are not targets.
   */
  target?: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `stripe-signature` → `[sS][tT]…`: HTTP header names are case-insensitive, and the alternation below has one set of flags. */
const caseless = (s: string) => [...s].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escape(c))).join('');
/** `a.b` as called: whitespace, `!` and `?.` between the segments. */
const DOT = '\\s*!?\\s*\\??\\.\\s*';
/** camelCase or longer: a name no other API is likely to use on its own. */
const distinctive = (name: string) => /[A-Z]/.test(name);

/** The SDK imported (ESM, CJS, dynamic, Deno's npm: and esm.sh). */
const STRIPE_IMPORT = /(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"](?:npm:)?stripe(?:@[^'"/]*)?(?:\/[^'"]*)?['"]|esm\.sh\/stripe/;
const SECRET = /whsec_|[sr]k_(?:live|test)_/;
/**
 * A value named like stripe used as an object (`stripe.refunds`, `this.stripeClient.x`, `Stripe.Event`)
 * or a function that makes one (`getStripe()`, `Stripe(key)`): not the word in prose, labels, URLs or
 * component names.
 */
const STRIPE_VALUE = /(?<![/-])[Ss]tripe\w*\s*\.(?!com\b|dev\b|network\b|svg\b|png\b|displayName\b|propTypes\b|defaultProps\b)[a-zA-Z_$]|[Ss]tripe(?:Client|Service|Instance|Api|Sdk)?\s*\(/;
/** The analysis reads `<x>.data.object` as a Stripe event payload (webhooks/analyze.ts). */
const EVENT_PAYLOAD = /\.data\s*\??\.\s*object\b/;
/**
 * An entry point in a file whose path names Stripe (app/api/stripe/route.ts, src/routes/stripe.ts) is
 * parsed by itself. A path that only says webhook is not enough: other services' webhooks are common,
 * and a Stripe one shows Stripe's event names or payloads (strong) or reaches code that does.
 */
const STRIPE_PATH = /stripe/i;

/** A client component (`'use client'`): it matters when its imports pull in the server SDK (stripe-secret-key-client-exposed). */
const CLIENT_DIRECTIVE = /^\s*['"]use client['"]/m;

/** Event names by prefix: a quoted string starting like one (`'invoice.`) is the cheap test. */
const EVENT_PREFIX = new RegExp(`['"\`](?:${[...new Set([...STRIPE_EVENT_TYPES].map((t) => t.slice(0, t.indexOf('.'))))].map(escape).join('|')})\\.`);
/**
 * A quoted dotted string: an event name in any position a handler uses one (comparison, `case`, object
 * key, array element, argument), but not a value given a name (`{ CREATED: 'customer.created' }`,
 * `Closed = 'review.closed'`) nor an event published with its payload (`events.publish('account.updated',
 * { id })`): other apps' own event buses name their events like Stripe's.
 */
const DOTTED_STRING = /(?<!:\s*|[^=!<>]=\s*)['"`]([a-z_]+(?:\.[a-z_]+)+)['"`](?!\s*,\s*\{)/g;

/**
 * Verifier calls: a camelCase function name is enough (`constructEvent`, also when destructured); a
 * plain one needs its path (`events.retrieve(`). With the gate: what every such call contains, for the
 * one pass over each file (names that contain another are left out: `constructEvent` covers
 * `constructEventAsync`).
 */
function verifierSources(extra: readonly string[]): { precise: string; gate: string } {
  const precise = new Set<string>();
  const names = new Set<string>();
  const gate = new Set<string>();
  for (const v of VERIFIERS) {
    const last = v.path[v.path.length - 1];
    const path = v.path.map(escape).join(DOT);
    precise.add(distinctive(last) ? `\\b${escape(last)}\\b` : `\\b${path}\\s*\\(`);
    // A plain name: the name first, its path in a lookbehind (a gate starting with `events` would be tried at every e).
    if (distinctive(last)) names.add(last);
    else gate.add(`${escape(last)}\\s*\\((?<=${path}\\s*\\()`);
  }
  for (const name of extra) {
    if (!/^[\w$]+$/.test(name)) continue;
    precise.add(`\\b${escape(name)}\\s*\\(`);
    names.add(name);
  }
  // A name that contains another is found with it (`constructEvent` finds `constructEventAsync`).
  for (const name of names) if (![...names].some((o) => o !== name && name.includes(o))) gate.add(fromHump(name));
  // HTTP header names are case-insensitive; the gate's `tripe|TRIPE` lets through every usual spelling.
  precise.add(caseless(SIGNATURE_HEADER));
  return { precise: [...precise].join('|'), gate: [...gate].join('|') };
}

/**
 * A camelCase name for the gate, from its first capital, the rest in a lookbehind (`Event(?<=constructEvent)`):
 * the gate is tried at every capital E rather than at every c, p, v or f of a file (with these first
 * letters among its alternatives, the pass over a file took about twice as long).
 */
function fromHump(name: string): string {
  const hump = name.search(/[A-Z]/);
  return hump > 0 ? `${escape(name.slice(hump))}(?<=${escape(name)})` : escape(name);
}

/**
 * Catalogued calls: `<last resource>.<method>(` for every method of the catalogue (and the config's
 * money methods), as one regex; the pair is then looked up. A pair whose resource or method is camelCase
 * (`paymentIntents.create`, `readers.processPaymentIntent`) is Stripe's: strong. Others
 * (`charges.create`, `orders.pay`) are weak: other APIs have them too, and the client must come from a
 * module that reaches Stripe code.
 */
function catalogueSignals(extra: readonly string[]) {
  const pairs = new Map<string, boolean>();
  const methods = [...CATALOGUE.keys(), ...extra];
  for (const m of methods) {
    const segs = m.split('.');
    if (segs.length < 2 || !segs.every((s) => /^[\w$]+$/.test(s))) continue;
    const method = segs[segs.length - 1];
    const resource = segs[segs.length - 2];
    const key = `${resource}.${method}`;
    pairs.set(key, (pairs.get(key) ?? false) || distinctive(resource) || distinctive(method));
  }
  const resources = [...new Set([...pairs.keys()].map((k) => k.slice(0, k.indexOf('.'))))].sort((a, b) => b.length - a.length);
  const names = [...new Set([...pairs.keys()].map((k) => k.slice(k.indexOf('.') + 1)))].sort((a, b) => b.length - a.length);
  const source = `\\b(${resources.map(escape).join('|')})${DOT}(${names.map(escape).join('|')})\\s*\\(`;
  // The gate starts at the dot before the method: one character to look for, not a hundred resource names.
  const gate = `\\.\\s*(?:${names.map(escape).join('|')})\\s*\\(`;
  return { pairs, source, gate };
}

function hintSources(key: 'entryText' | 'facts'): string[] {
  return [...new Set(Object.values(FRAMEWORK_FILTER_HINTS).flatMap((h) => (h[key] ? [h[key]!.source] : [])))];
}

const ROUTE_FILES = (() => {
  const sources = [...new Set(Object.values(FRAMEWORK_FILTER_HINTS).flatMap((h) => (h.routeFiles ? [h.routeFiles.source] : [])))];
  return sources.length ? new RegExp(sources.join('|')) : /(?!)/;
})();

/** The signals for one configuration, compiled once. */
export class Signals {
  /** Something every signal contains: one pass over the text; most files stop there. */
  private readonly gates: RegExp;
  /** Each kind's gate, to tell which kinds pass where the combined one matched (several may, at one place). */
  private readonly gateAt: Array<[Kind, RegExp]>;
  private readonly verifier: RegExp;
  private readonly catalogue: RegExp;
  private readonly cataloguePairs: Map<string, boolean>;
  private readonly rawRequest = new RegExp(`\\b${RAW_REQUEST.method}\\s*\\(`);
  /** Entry points of some framework, from the adapters' filter hints (weakSignal). */
  private readonly entry: RegExp;

  constructor(options: SignalOptions = {}) {
    const verifier = verifierSources(options.verifiers ?? []);
    const catalogue = catalogueSignals(options.moneyMethods ?? []);
    const entry = hintSources('entryText');
    const facts = hintSources('facts');
    this.verifier = new RegExp(verifier.precise);
    this.catalogue = new RegExp(catalogue.source, 'g');
    this.cataloguePairs = catalogue.pairs;
    this.entry = new RegExp(entry.join('|') || '(?!)');
    // Something every signal below contains, each starting with a literal: V8 skips most positions on
    // their first character (a hundred resource names or a leading \b would make this pass twice as slow).
    // Where a gate is the signal itself (payloads, facts, entry points), the precise check is the gate.
    const gates: Array<[Kind, string]> = [
      // the SDK, keys, values named stripe, the signature header
      ['stripe', 'tripe|TRIPE|whsec_|k_live_|k_test_'],
      ['verifier', verifier.gate],
      ['catalogue', catalogue.gate],
      ['raw', escape(RAW_REQUEST.method)],
      ['event', EVENT_PREFIX.source],
      ['payload', EVENT_PAYLOAD.source],
      ['facts', facts.join('|') || '(?!)'],
    ];
    this.gates = new RegExp(gates.map(([, g]) => g).join('|'), 'g');
    this.gateAt = gates.map(([k, g]) => [k, new RegExp(g, 'y')]);
  }

  /** Is this file a route file of some framework (by its path alone)? */
  static isRouteFile(relPath: string): boolean {
    return ROUTE_FILES.test(relPath);
  }

  /** Is the file Stripe code, or to be parsed for another reason of its own? */
  classify(text: string, relPath: string): FileSignals {
    const stripePath = STRIPE_PATH.test(relPath);
    // Which gates the text passes (the first text of each): only their precise checks run. Most files
    // pass none, and are done after the first search.
    const seen = new Map<Kind, string>();
    const gates = this.gates;
    gates.lastIndex = 0;
    let m = gates.exec(text);
    if (!m && !stripePath) return {};
    for (; m; m = gates.exec(text)) {
      for (const [kind, re] of this.gateAt) {
        if (seen.has(kind)) continue;
        re.lastIndex = m.index;
        const hit = re.exec(text);
        if (hit) seen.set(kind, hit[0]);
      }
      // Next from the character after this match's start: a gate that spans (a parameter list) must not hide one inside it.
      gates.lastIndex = m.index + 1;
    }
    const code = this.stripeCode(text, seen);
    if (code) return { strong: code, target: true };
    // Keys, a Stripe secret key in a variable the bundler inlines into client code, project facts.
    const other = (seen.has('stripe') ? (SECRET.exec(text) ?? PUBLIC_SECRET_ENV_SIGNAL.exec(text))?.[0] : undefined) ?? seen.get('facts');
    if (other) return { strong: other };
    // An entry point in a file whose path names Stripe (app/api/stripe/route.ts, src/routes/stripe.ts).
    const entry = stripePath ? this.entryPoint(text, relPath) : undefined;
    if (entry) return { strong: `${entry} in ${relPath}` };
    return {};
  }

  /**
   * Why a file that is not Stripe code by itself matters when its imports reach Stripe code, if it does:
   * an entry point of some framework (by its path or its text), a catalogued call on a resource other
   * APIs have too, a client component (it matters when its imports pull in the server SDK:
   * stripe-secret-key-client-exposed).
   */
  weakSignal(text: string, relPath: string): string | undefined {
    return this.entryPoint(text, relPath) ?? this.catalogueCall(text, false) ?? (CLIENT_DIRECTIVE.test(text) ? "'use client'" : undefined);
  }

  private entryPoint(text: string, relPath: string): string | undefined {
    return Signals.isRouteFile(relPath) ? 'route file' : this.entry.exec(text)?.[0];
  }

  /** Stripe code: the SDK, values named stripe, verifiers, event names and payloads, Stripe-only calls. */
  private stripeCode(text: string, seen: ReadonlyMap<Kind, string>): string | undefined {
    if (seen.has('stripe')) {
      const m = STRIPE_IMPORT.exec(text) ?? STRIPE_VALUE.exec(text);
      if (m) return m[0];
    }
    // The signature header passes the stripe gate, the verifiers theirs.
    if (seen.has('verifier') || seen.has('stripe')) {
      const m = this.verifier.exec(text);
      if (m) return m[0];
    }
    if (seen.has('raw')) {
      const m = this.rawRequest.exec(text);
      if (m) return m[0];
    }
    const payload = seen.get('payload');
    if (payload) return payload;
    // A Stripe event name anywhere in quotes: `case 'invoice.paid':`, `{ 'invoice.paid': onPaid }`, `['invoice.paid']`.
    if (seen.has('event')) for (const e of text.matchAll(DOTTED_STRING)) if (STRIPE_EVENT_TYPES.has(e[1])) return e[0];
    return seen.has('catalogue') ? this.catalogueCall(text, true) : undefined;
  }

  /** A catalogued call: with `strong`, only Stripe-only pairs; otherwise any. */
  private catalogueCall(text: string, strong: boolean): string | undefined {
    for (const m of text.matchAll(this.catalogue)) {
      const isStrong = this.cataloguePairs.get(`${m[1]}.${m[2]}`);
      if (isStrong === undefined) continue;
      if (!strong || isStrong) return m[0];
    }
    return undefined;
  }
}

type Kind = 'stripe' | 'verifier' | 'catalogue' | 'raw' | 'event' | 'payload' | 'facts';

export const SECRET_SIGNAL = SECRET;

/**
 * Every import specifier of a module: ESM (`from '…'`, `import '…'`, `import('…')`), CommonJS
 * `require('…')`. Bare ones too: tsconfig `baseUrl` and `paths`, workspace packages and package
 * `imports` make bare specifiers local; the module resolver decides.
 */
const IMPORT_SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"]([^'"\n]+)['"]/g;

/**
 * The import specifiers of a module, one per line ('' for none): what the filter keeps for every file
 * until promotion. Copied out of the file's text (V8 makes a match of 13 characters or more a slice
 * that keeps the whole text alive), and one string rather than an array of them: every file of a big
 * monorepo keeps its specifiers until promotion, and each young-generation GC of the scan worker copied
 * them all (~66,000 strings on an 8,000-file monorepo).
 */
export function joinedImportSpecifiers(text: string): string {
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT_SPECIFIER)) {
    const s = m[1];
    if (s.startsWith('node:') || s.includes('://')) continue;
    out.add(s);
  }
  // join writes one flat string: no piece of it points into the text.
  return out.size ? [...out].join('\n') : '';
}
