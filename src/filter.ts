// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import type { Diagnostic } from './types.js';
import type { FileRef } from './discover.js';
import { STRIPE_EVENT_TYPES } from '../rules/stripe-event-types.js';
import { PUBLIC_SECRET_ENV_SIGNAL } from './stripe/public-env.js';

export const MAX_FILE_BYTES = 1024 * 1024;

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

const COMPILED_JS = /\.[cm]?js$/;
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=(?!data:)\S+\.map\s*$/;

const SECRET_SIGNAL = /whsec_|[sr]k_(?:live|test)_/;

const decoder = new TextDecoder('utf-8', { fatal: true });

function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  // Average line length over the first 20 kB (native indexOf jumps from newline to newline).
  const limit = 20_000;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < limit; i = text.indexOf('\n', i + 1)) lines++;
  return limit / lines > 500;
}

/** Resolves a relative/alias import of `fromAbs` to an absolute path, if it is a discovered file. */
export type ResolveImport = (fromAbs: string, specifier: string) => string | undefined;

/** UTF-8, or UTF-16 with a byte-order mark, without the BOM; undefined when the bytes are not valid. */
function decodeSource(buf: Buffer, utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))): string | undefined {
  // Most source files are ASCII: a SIMD check and a byte copy instead of UTF-8 validation and decoding.
  if (!utf16 && isAscii(buf)) return buf.toString('latin1');
  let text: string;
  try {
    text = utf16 ? new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(buf) : decoder.decode(buf);
  } catch {
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One buffer for every read: no per-file Buffer allocation (peak memory grows with candidates, not files). */
const READ_BUFFER = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);

function readInto(absPath: string): Buffer {
  const fd = fs.openSync(absPath, 'r');
  try {
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, READ_BUFFER, n, READ_BUFFER.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === READ_BUFFER.length) break;
    }
    return READ_BUFFER.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

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

/** The file's text, or undefined (with a diagnostic) when it is not source code we read. */
function readText(file: FileRef, report: (d: Diagnostic) => void): string | undefined {
  if (file.size !== undefined && file.size > MAX_FILE_BYTES) {
    report({ kind: 'skipped-file', level: file.config ? 'note' : 'warning', file: file.relPath, message: `skipped ${file.relPath}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit` });
    return undefined;
  }
  let buf: Buffer;
  try {
    buf = readInto(file.absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Gone since discovery (deleted in the work tree but still in git's index): nothing to audit.
    if (code === 'ENOENT') {
      report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: it no longer exists` });
      return undefined;
    }
    report({ kind: 'skipped-file', level: 'error', file: file.relPath, message: `could not read ${file.relPath} (${code ?? (err as Error).message})` });
    return undefined;
  }
  if (buf.length > MAX_FILE_BYTES) {
    report({ kind: 'skipped-file', level: file.config ? 'note' : 'warning', file: file.relPath, message: `skipped ${file.relPath}: over the 1 MB limit (${(fs.statSync(file.absPath).size / 1024 / 1024).toFixed(1)} MB)` });
    return undefined;
  }
  // UTF-16 with a byte-order mark is text (TypeScript reads it); NUL bytes elsewhere mean binary.
  const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (!utf16 && buf.subarray(0, 8000).includes(0)) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: binary content` });
    return undefined;
  }
  const text = decodeSource(buf, utf16);
  if (text === undefined) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: not valid ${utf16 ? 'UTF-16' : 'UTF-8'}` });
    return undefined;
  }
  // Compiled output that points back at its source (tsc/babel `lib/`, `dist/` committed): the source
  // itself is audited, so the copy would only repeat its findings.
  if (file.config) return text;
  if (COMPILED_JS.test(file.relPath) && SOURCE_MAP_COMMENT.test(text.slice(-300))) {
    report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: compiled output with a source map` });
    return undefined;
  }
  if (looksMinified(text)) {
    report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: minified bundle` });
    return undefined;
  }
  return text;
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
