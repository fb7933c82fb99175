// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import type { Diagnostic } from './types.js';
import type { FileRef } from './discover.js';
import { STRIPE_EVENT_TYPES } from '../rules/stripe-event-types.js';
import { decodeSource, readInto, readText } from './read-source.js';
import { PUBLIC_SECRET_ENV_SIGNAL } from './stripe/public-env.js';

export { MAX_FILE_BYTES } from './read-source.js';

/** Files per claim from the scan's shared pool (see scan.ts). */
export const POOL_BATCH = 200;

/**
 * The helper's side of the pool (run by the main thread while it waits for the scan): claims batches
 * until the pool is empty and hands back one part per batch, even for a batch that failed (the scan
 * waits for every claimed batch).
 */
export async function helpFilter(files: readonly FileRef[], next: Int32Array, post: (part: FilterPart) => void): Promise<void> {
  for (;;) {
    const from = Atomics.add(next, 0, POOL_BATCH);
    if (from >= files.length) return;
    const to = Math.min(from + POOL_BATCH, files.length);
    let part: FilterPart;
    try {
      part = filterBatch(files, from, to);
    } catch (err) {
      const diagnostic: Diagnostic = { kind: 'skipped-file', level: 'error', file: files[from].relPath, message: `could not filter ${to - from} files from ${files[from].relPath}: ${(err as Error).message}` };
      part = { count: to - from, kept: [], diagnostics: [{ order: from, diagnostic }], plainPaths: [] };
    }
    post(part);
    // Between batches, whatever else this thread has to do (loading the analysis) goes on.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface Candidate {
  file: FileRef;
  text: string;
  /** Why the file was kept (for --stats and debugging). */
  signal: string;
}

export interface Filtered {
  candidates: Candidate[];
  diagnostics: Diagnostic[];
  /** Files that may hold a Stripe secret literal (the key rules scan these without parsing). */
  secretFiles: Candidate[];
}

/** `req.rawBody = …` / `req['rawBody'] = …`: the app keeps the raw bytes itself (webhooks/analyze.ts reads it too). */
export const ASSIGNS_RAW_BODY = /(?:\.rawBody|\[['"]rawBody['"]\])\s*=(?!=)/;

/**
 * Strong signals: any of these makes a file a parse candidate.
 * - the SDK imported, its keys and secrets, its verification functions and signature header;
 * - a value whose name says stripe used as an object or called (`stripe.refunds`, `getStripe()`), not the
 *   word in prose, labels or URLs;
 * - Stripe event names (unverified webhook handlers compare `.type` with them);
 * - catalogued resources followed by a catalogued method (a client may come from elsewhere);
 * - rawRequest, NestFactory.create and rawBody assignments (the raw-body facts of a Nest app).
 */
const STRONG_SIGNALS: RegExp[] = [
  /(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"](?:npm:)?stripe(?:@[^'"/]*)?(?:\/[^'"]*)?['"]|esm\.sh\/stripe/,
  /whsec_|[sr]k_(?:live|test)_/,
  /[Ss]tripe-[Ss]ignature|STRIPE-SIGNATURE|constructEvent|verifyHeader|parseThinEvent|parseEventNotification|notificationHandler|WithoutVerification/,
  // A value named like stripe used as an object (`stripe.refunds`, `this.stripeClient.x`) or a
  // function that makes one (`getStripe()`, `Stripe(key)`): not the word in prose, labels, URLs or
  // component names.
  /(?<![/-])[Ss]tripe\w*\s*\.(?!com\b|dev\b|network\b|svg\b|png\b)[a-zA-Z_$]|[Ss]tripe(?:Client|Service|Instance|Api|Sdk)?\s*\(/,
  // Resources only Stripe has; generic ones (charges, payouts, …) are weak signals.
  /\b(?:paymentIntents|setupIntents|invoiceItems|subscriptionItems|subscriptionSchedules|creditNotes|applicationFees|outboundPayments|outboundTransfers|inboundTransfers|meterEvents|topups)\s*\.\s*(?:create|confirm|capture|pay|reverse|createReversal|incrementAuthorization|createRefund|createUsageRecord|applyCustomerBalance)\s*\(/,
  /\brawRequest\s*\(|NestFactory\.create/,
  // An app's own raw-body middleware (`req.rawBody = await getRawBody(req)`): a raw-body fact, like NestFactory.create.
  ASSIGNS_RAW_BODY,
  // A Stripe secret key in a variable the bundler inlines into client code (NEXT_PUBLIC_STRIPE_SECRET_KEY).
  PUBLIC_SECRET_ENV_SIGNAL,
];

/** A quoted string that starts like a Stripe event name (`'invoice.`): the cheap test before DOTTED_STRING. */
const EVENT_PREFIX = new RegExp(`['"\x60](?:${[...new Set([...STRIPE_EVENT_TYPES].map((t) => t.slice(0, t.indexOf('.'))))].join('|')})\\.`);

/** A dotted string compared with something (`=== 'invoice.paid'`, `case 'invoice.paid':`), in either order. */
const DOTTED_STRING = /(?:[=!]==?|\bcase)\s*['"`]([a-z_]+(?:\.[a-z_]+)+)['"`]|['"`]([a-z_]+(?:\.[a-z_]+)+)['"`]\s*[=!]==?/g;

/** The signals about values named stripe (the first and fourth) need the word: a native search first. */
const NEEDS_STRIPE_WORD = new Set([STRONG_SIGNALS[0], STRONG_SIGNALS[3]]);

function strongSignal(text: string): string | undefined {
  const hasWord = text.includes('tripe');
  for (const re of STRONG_SIGNALS) {
    if (!hasWord && NEEDS_STRIPE_WORD.has(re)) continue;
    const m = re.exec(text);
    if (m) return m[0];
  }
  // A Stripe event name compared with something: what unverified webhook handlers do with `.type`.
  if (EVENT_PREFIX.test(text)) for (const m of text.matchAll(DOTTED_STRING)) if (STRIPE_EVENT_TYPES.has(m[1] ?? m[2])) return m[0];
  return undefined;
}

/**
 * Weak signals: the file matters only when it imports Stripe code (directly or through up to three
 * modules): webhook routes, `.data.object`, and calls of resources other APIs have too (`db.charges.create`).
 */
const WEAK_RESOURCE_CALL = /\b(?:charges|customers|invoices|subscriptions|accounts|quotes|refunds|payouts|transfers)\s*\.\s*(?:create|capture|pay|reverse|createReversal|createRefund)\s*\(/;

function weakSignal(t: string): string | undefined {
  if (/webhook/i.test(t)) return 'webhook';
  if (t.includes('.data.object')) return '.data.object';
  // Client components matter when their imports pull in the server SDK (stripe-secret-key-client-exposed).
  if (/^\s*['"]use client['"]/m.test(t)) return "'use client'";
  return WEAK_RESOURCE_CALL.exec(t)?.[0];
}

/**
 * One pass over the text for a literal that every signal above contains, strong or weak. Nine files in
 * ten have none and are done after this pass; a single alternation is about twice as fast as a search
 * per literal or per signal.
 */
const ANY_SIGNAL = new RegExp(
  [
    // strong: the SDK, keys, verification, stripe-named values, Stripe-only resources, raw bodies
    'tripe|TRIPE|whsec_|k_live_|k_test_|ignature|IGNATURE|constructEvent|verifyHeader|parseThinEvent|parseEventNotification|otificationHandler|WithoutVerification',
    'Intents|Items|Schedules|creditNotes|applicationFees|Payments|Transfers|meterEvents|topups|rawRequest|NestFactory|rawBody',
    // an event name in quotes
    EVENT_PREFIX.source,
    // weak: webhooks, event payloads, resources other APIs share
    '[Ww][Ee][Bb][Hh][Oo][Oo][Kk]|\\.data\\.object|use client|' + WEAK_RESOURCE_CALL.source,
  ].join('|'),
);

/** Local import specifiers (relative, aliases, scoped workspace packages, SvelteKit's $lib): the edges promotion follows. */
const LOCAL_IMPORT = /(?:from|import|require\s*\()\s*['"](\.{1,2}\/[^'"\n]*|[@~#][^'"\n]*|\$lib(?:\/[^'"\n]*)?)['"]/g;
const PROMOTION_DEPTH = 3;

const SECRET_SIGNAL = /whsec_|[sr]k_(?:live|test)_/;

/** Resolves a relative/alias import of `fromAbs` to an absolute path, if it is a discovered file. */
export type ResolveImport = (fromAbs: string, specifier: string) => string | undefined;

/**
 * What filtering some files found, as plain data: a batch is filtered by whichever thread claimed it
 * (the scan worker, or the main thread helping once it is idle), and the parts are put together in
 * file order by TextFilter.
 */
export interface FilterPart {
  /** Files read. */
  count: number;
  /** Candidates (`strong`) and weakly signalled files, with their position in the scan's file list. */
  kept: Array<{ order: number; candidate: Candidate; strong: boolean; secret: boolean }>;
  diagnostics: Array<{ order: number; diagnostic: Diagnostic }>;
  /** Files read as plain text without a strong signal: the modules promotion may look through. */
  plainPaths: string[];
}

/** Filters files[from, to); `orderBase` is the position of files[0] in the scan's whole list. */
export function filterBatch(files: readonly FileRef[], from: number, to: number, orderBase = 0): FilterPart {
  const part: FilterPart = { count: to - from, kept: [], diagnostics: [], plainPaths: [] };
  for (let i = from; i < to; i++) {
    const file = files[i];
    const order = orderBase + i;
    const text = readText(file, (diagnostic) => part.diagnostics.push({ order, diagnostic }));
    if (text === undefined) continue;
    // Configuration files are only searched for keys (the key rules read them); they are never parsed.
    if (file.config) {
      if (SECRET_SIGNAL.test(text)) part.kept.push({ order, candidate: { file, text, signal: 'key in a configuration file' }, strong: false, secret: true });
      continue;
    }
    // Most files stop here: no literal of any signal.
    if (!ANY_SIGNAL.test(text)) {
      part.plainPaths.push(file.absPath);
      continue;
    }
    const strong = strongSignal(text);
    if (strong) {
      part.kept.push({ order, candidate: { file, text, signal: strong }, strong: true, secret: SECRET_SIGNAL.test(text) });
      continue;
    }
    part.plainPaths.push(file.absPath);
    const weak = weakSignal(text);
    if (weak) part.kept.push({ order, candidate: { file, text, signal: weak }, strong: false, secret: false });
  }
  return part;
}

/**
 * Puts the parts together (in any order they arrive) and, once every file is in, promotes weakly
 * signalled files whose imports reach Stripe code.
 */
export class TextFilter {
  private readonly kept: FilterPart['kept'] = [];
  private readonly diagnostics: FilterPart['diagnostics'] = [];
  private readonly candidatePaths = new Set<string>();
  private readonly plainPaths = new Set<string>();
  private read = 0;

  constructor(private readonly onProgress?: (read: number, candidates: number) => void) {}

  add(part: FilterPart): void {
    const before = this.read;
    this.read += part.count;
    for (const k of part.kept) {
      this.kept.push(k);
      if (k.strong) this.candidatePaths.add(k.candidate.file.absPath);
    }
    this.diagnostics.push(...part.diagnostics);
    for (const p of part.plainPaths) this.plainPaths.add(p);
    if (this.onProgress && Math.floor(this.read / 500) > Math.floor(before / 500)) this.onProgress(this.read, this.candidatePaths.size);
  }

  /**
   * A weakly signalled file matters when it imports Stripe code, directly or through a few modules
   * (routes → services/payments.ts → lib/stripe.ts). Imports are read only along these paths: the
   * modules in between are read again here (few), instead of scanning every file for imports.
   */
  finish(resolveImport: ResolveImport): Filtered {
    const { candidatePaths, plainPaths } = this;
    const importsOf = (abs: string, text?: string): string[] => {
      let t = text;
      if (t === undefined) {
        try {
          t = decodeSource(readInto(abs)) ?? '';
        } catch {
          return []; // gone since it was read: no edges
        }
      }
      return Array.from(t.matchAll(LOCAL_IMPORT), (m) => m[1]);
    };
    const reaches = new Map<string, boolean>();
    const reachesStripe = (abs: string, depth: number, text?: string): boolean => {
      const known = reaches.get(abs);
      if (known !== undefined) return known;
      reaches.set(abs, false); // cycle guard
      let hit = false;
      for (const spec of importsOf(abs, text)) {
        const target = resolveImport(abs, spec);
        if (!target) continue;
        if (candidatePaths.has(target) || (depth < PROMOTION_DEPTH && plainPaths.has(target) && reachesStripe(target, depth + 1))) {
          hit = true;
          break;
        }
      }
      reaches.set(abs, hit);
      return hit;
    };
    // File order, whichever thread filtered which file: the output does not depend on the timing.
    const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;
    const kept = [...this.kept].sort(byOrder);
    const out: Filtered = { candidates: [], diagnostics: [...this.diagnostics].sort(byOrder).map((d) => d.diagnostic), secretFiles: [] };
    for (const k of kept) {
      if (!k.strong) continue;
      out.candidates.push(k.candidate);
      if (k.secret) out.secretFiles.push(k.candidate);
    }
    for (const k of kept) {
      if (k.strong) continue;
      if (k.candidate.file.config) {
        out.secretFiles.push(k.candidate);
        continue;
      }
      const m = k.candidate;
      if (reachesStripe(m.file.absPath, 1, m.text)) out.candidates.push({ ...m, signal: `imports Stripe code (${m.signal})` });
    }
    return out;
  }
}
